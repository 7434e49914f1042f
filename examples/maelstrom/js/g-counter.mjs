#!/usr/bin/env node
// A grow-only counter that converges (a state-based CRDT): each node counts what was added on it,
// gossips its whole table every 200 ms, and merges others' by taking the larger count per node.
// A read answers the sum of the table. Survives partitions: gossip after the heal catches up.
import { Node } from './node.mjs';

const node = new Node();
/** node id → how much was added on that node, as far as this node knows. */
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

node.onInit(() => {
  setInterval(() => {
    const table = Object.fromEntries(counts);
    for (const other of node.nodeIds) if (other !== node.id) node.send(other, { type: 'merge', counts: table });
  }, 200);
});
node.main();
