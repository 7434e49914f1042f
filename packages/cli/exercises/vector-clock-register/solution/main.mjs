#!/usr/bin/env node
// The reference solution of vector-clock-register: dotted version vectors, done simply. Each
// value carries its dot (the node that took the write and that node's own counter, which only
// grows) and the context it was written with (a version vector: node → highest counter seen).
// A value is obsolete once another value's context covers its dot. A read answers the live
// values and, as the context, the join of their contexts and dots; a write adds a new value and
// drops what its context covers. Every 150 ms a node sends its values to the others, which merge
// by union and drop the obsolete: a lost, repeated or late message changes nothing.
//
// (A plain version vector per value, bumped with the node's counter, would order two blind
// writes on the same node as if the second had seen the first; a dot names one write only.)
import { Node } from './node.mjs';

const node = new Node();
// key → [{ value, dot: [node id, counter], context: { node id: counter } }]
const registers = new Map();
let counter = 0;

const covers = (context, [id, n]) => (context[id] ?? 0) >= n;
const sameDot = (a, b) => a.dot[0] === b.dot[0] && a.dot[1] === b.dot[1];

/** Each value once, and only those no other value's context covers. */
function live(items) {
  const once = items.filter((item, i) => items.findIndex((other) => sameDot(item, other)) === i);
  return once.filter((item) => !once.some((other) => covers(other.context, item.dot)));
}

/** What a client has seen when it read `items`: every context, and every dot, joined. */
function contextOf(items) {
  const joined = {};
  for (const { dot, context } of items) {
    for (const [id, n] of [...Object.entries(context), dot]) joined[id] = Math.max(joined[id] ?? 0, n);
  }
  return joined;
}

node.on('read', (msg) => {
  const items = registers.get(msg.body.key) ?? [];
  node.reply(msg, { type: 'read_ok', values: items.map((item) => item.value), context: contextOf(items) });
});

node.on('write', (msg) => {
  const context = msg.body.context ?? {};
  counter += 1;
  const kept = (registers.get(msg.body.key) ?? []).filter((item) => !covers(context, item.dot));
  registers.set(msg.body.key, [...kept, { value: msg.body.value, dot: [node.id, counter], context }]);
  node.reply(msg, { type: 'write_ok' });
});

node.on('gossip', (msg) => {
  for (const [key, theirs] of msg.body.registers) registers.set(key, live([...(registers.get(key) ?? []), ...theirs]));
});

node.onInit(() =>
  setInterval(() => {
    const all = [...registers];
    for (const other of node.nodeIds) if (other !== node.id) node.send(other, { type: 'gossip', registers: all });
  }, 150),
);
node.main();
