#!/usr/bin/env node
// The reference solution of g-counter-converges: a state-based CRDT. Each node counts the adds
// made on it; every 200 ms it sends its whole table, and a node merges a table by keeping the
// larger count for each node: a lost, repeated or late table changes nothing.
import { Node } from './node.mjs';

const node = new Node();
const counts = new Map();

node.on('add', (msg) => {
  counts.set(node.id, (counts.get(node.id) ?? 0) + msg.body.delta);
  node.reply(msg, { type: 'add_ok' });
});
node.on('read', (msg) => {
  let sum = 0;
  for (const c of counts.values()) sum += c;
  node.reply(msg, { type: 'read_ok', value: sum });
});
node.on('merge', (msg) => {
  for (const [id, c] of Object.entries(msg.body.counts)) if (c > (counts.get(id) ?? 0)) counts.set(id, c);
});
node.onInit(() =>
  setInterval(() => {
    const table = Object.fromEntries(counts);
    for (const other of node.nodeIds) if (other !== node.id) node.send(other, { type: 'merge', counts: table });
  }, 200),
);
node.main();
