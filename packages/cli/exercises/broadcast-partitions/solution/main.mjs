#!/usr/bin/env node
// The reference solution of broadcast-partitions: every node keeps, for each other node, the
// messages it has not acknowledged yet, and sends them again every 200 ms until it has.
import { Node } from './node.mjs';

const node = new Node();
const messages = new Set();
/** other node → messages it has not acknowledged. */
const unacked = new Map();

function learn(values, from) {
  for (const v of values) {
    if (messages.has(v)) continue;
    messages.add(v);
    for (const other of node.nodeIds) if (other !== node.id && other !== from) unacked.get(other).add(v);
  }
}

node.onInit(() => {
  for (const other of node.nodeIds) if (other !== node.id) unacked.set(other, new Set());
  setInterval(() => {
    for (const [other, pending] of unacked) {
      if (pending.size === 0) continue;
      const batch = [...pending];
      node.rpc(other, { type: 'gossip', messages: batch }, 500).then(
        () => batch.forEach((v) => pending.delete(v)),
        () => undefined,
      );
    }
  }, 200);
});

node.on('topology', (msg) => node.reply(msg, { type: 'topology_ok' }));
node.on('broadcast', (msg) => {
  learn([msg.body.message], undefined);
  node.reply(msg, { type: 'broadcast_ok' });
});
node.on('gossip', (msg) => {
  learn(msg.body.messages, msg.src);
  node.reply(msg, { type: 'gossip_ok' });
});
node.on('read', (msg) => node.reply(msg, { type: 'read_ok', messages: [...messages] }));
node.main();
