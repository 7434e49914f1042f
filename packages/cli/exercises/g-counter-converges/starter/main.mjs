#!/usr/bin/env node
// Exercise g-counter-converges: every node's read must, in the end, be the sum of every
// acknowledged add. `npx faultline exercise check g-counter-converges` runs this under faults.
import { Node } from './node.mjs';

const node = new Node();
let total = 0;

node.on('add', (msg) => {
  total += msg.body.delta;
  // TODO: the other nodes never hear of this add.
  node.reply(msg, { type: 'add_ok' });
});

node.on('read', (msg) => node.reply(msg, { type: 'read_ok', value: total }));

node.main();
