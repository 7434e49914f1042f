#!/usr/bin/env node
// Exercise broadcast-partitions: make every acknowledged message reach every node, across
// partitions. `npx faultline exercise check broadcast-partitions` runs this under faults.
import { Node } from './node.mjs';

const node = new Node();
const messages = new Set();

node.on('topology', (msg) => node.reply(msg, { type: 'topology_ok' }));

node.on('broadcast', (msg) => {
  messages.add(msg.body.message);
  // TODO: the other nodes must learn this message too, even if the network loses it.
  node.reply(msg, { type: 'broadcast_ok' });
});

node.on('read', (msg) => node.reply(msg, { type: 'read_ok', messages: [...messages] }));

node.main();
