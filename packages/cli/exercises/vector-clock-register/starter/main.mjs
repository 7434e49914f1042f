#!/usr/bin/env node
// Exercise vector-clock-register: a write replaces the values its context has seen, and
// concurrent writes are kept side by side. `npx faultline exercise check vector-clock-register`
// runs this under faults.
import { Node } from './node.mjs';

const node = new Node();
// key → { value, stamp: [lamport, node id] }: the one value this node keeps for the key.
const registers = new Map();
let lamport = 0;

const newer = (a, b) => (a[0] !== b[0] ? a[0] > b[0] : a[1] > b[1]);

node.on('read', (msg) => {
  const held = registers.get(msg.body.key);
  node.reply(msg, { type: 'read_ok', values: held ? [held.value] : [], context: held?.stamp ?? null });
});

node.on('write', (msg) => {
  // TODO: the context is ignored, and the larger stamp wins: of two writes that never saw each
  // other, one is silently lost.
  lamport += 1;
  registers.set(msg.body.key, { value: msg.body.value, stamp: [lamport, node.id] });
  node.reply(msg, { type: 'write_ok' });
});

node.on('gossip', (msg) => {
  for (const [key, theirs] of msg.body.registers) {
    lamport = Math.max(lamport, theirs.stamp[0]);
    const mine = registers.get(key);
    if (!mine || newer(theirs.stamp, mine.stamp)) registers.set(key, theirs);
  }
});

node.onInit(() =>
  setInterval(() => {
    const all = [...registers];
    for (const other of node.nodeIds) if (other !== node.id) node.send(other, { type: 'gossip', registers: all });
  }, 150),
);
node.main();
