#!/usr/bin/env node
// Exercise idempotent-counter: n1 keeps the counter, n2 and n3 forward to it and retry on a
// timeout. `npx faultline exercise check idempotent-counter` runs this under faults.
import { Node } from './node.mjs';

const OWNER = 'n1';
const node = new Node();
let total = 0;

/** Ask the owner, again after each timeout; after 3 tries, give up (an error to the client). */
async function ask(body) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const reply = await node.rpc(OWNER, body, 300).catch((err) => err);
    if (reply.type !== 'error') return reply;
    if (reply.code !== 0) throw new Error(reply.text); // an answer, but an error: no retry
  }
  throw new Error(`no answer from ${OWNER} after 3 tries`);
}

// The owner's side: an add a front end forwards, and a read of the total.
node.on('apply', (msg) => {
  // TODO: the same add may arrive here more than once (a retry, or the network repeating it).
  total += msg.body.delta;
  node.reply(msg, { type: 'apply_ok' });
});
node.on('total', (msg) => node.reply(msg, { type: 'total_ok', value: total }));

// The clients' side, on every node.
node.on('add', async (msg) => {
  if (node.id === OWNER) total += msg.body.delta;
  else await ask({ type: 'apply', delta: msg.body.delta });
  node.reply(msg, { type: 'add_ok' });
});
node.on('read', async (msg) => {
  const value = node.id === OWNER ? total : (await ask({ type: 'total' })).value;
  node.reply(msg, { type: 'read_ok', value });
});

node.main();
