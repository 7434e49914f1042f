#!/usr/bin/env node
// Maelstrom's broadcast workload, made to survive partitions: every value a node learns it keeps
// and gossips to its neighbours until each has acknowledged it, retrying every 200 ms, so values
// cut off by a partition arrive once it heals.
import { Node } from './node.mjs';

const node = new Node();
const seen = new Set();
/** neighbour → values it has not acknowledged yet. */
const unacked = new Map();
let neighbours = [];

node.on('topology', (msg) => {
  neighbours = msg.body.topology[node.id] ?? neighbours;
  for (const n of neighbours) if (!unacked.has(n)) unacked.set(n, new Set());
  node.reply(msg, { type: 'topology_ok' });
});

node.on('broadcast', (msg) => {
  learn([msg.body.message], msg.src);
  node.reply(msg, { type: 'broadcast_ok' });
});

// Between servers: a batch of values; the answer acknowledges them.
node.on('gossip', (msg) => {
  learn(msg.body.messages, msg.src);
  node.reply(msg, { type: 'gossip_ok', messages: msg.body.messages });
});

node.on('read', (msg) => node.reply(msg, { type: 'read_ok', messages: [...seen] }));

function learn(values, from) {
  for (const v of values) {
    if (seen.has(v)) continue;
    seen.add(v);
    for (const n of neighbours) if (n !== from) unacked.get(n)?.add(v);
  }
}

node.onInit(() => {
  // Until a topology comes (and after a restart, when none comes again): every other node.
  neighbours = node.nodeIds.filter((id) => id !== node.id);
  for (const n of neighbours) unacked.set(n, new Set());
  setInterval(() => {
    for (const [n, values] of unacked) {
      if (values.size === 0) continue;
      const batch = [...values];
      node.rpc(n, { type: 'gossip', messages: batch }, 500).then(
        () => batch.forEach((v) => values.delete(v)),
        () => undefined, // lost or cut off: tried again next round
      );
    }
  }, 200);
});
node.main();
