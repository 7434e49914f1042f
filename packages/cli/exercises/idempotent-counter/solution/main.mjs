#!/usr/bin/env node
// The reference solution of idempotent-counter: each forwarded add carries a key its front end
// makes once (the same on every retry); the owner remembers the keys it has applied, and answers
// a key it has seen again without adding it twice.
import { Node } from './node.mjs';

const OWNER = 'n1';
const node = new Node();
let total = 0;
let sent = 0;
const applied = new Set();

/** Ask the owner, again after each timeout; after 3 tries, give up (an error to the client). */
async function ask(body) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const reply = await node.rpc(OWNER, body, 300).catch((err) => err);
    if (reply.type !== 'error') return reply;
    if (reply.code !== 0) throw new Error(reply.text); // an answer, but an error: no retry
  }
  throw new Error(`no answer from ${OWNER} after 3 tries`);
}

node.on('apply', (msg) => {
  if (!applied.has(msg.body.key)) {
    applied.add(msg.body.key);
    total += msg.body.delta;
  }
  node.reply(msg, { type: 'apply_ok' });
});
node.on('total', (msg) => node.reply(msg, { type: 'total_ok', value: total }));

node.on('add', async (msg) => {
  if (node.id === OWNER) total += msg.body.delta;
  else await ask({ type: 'apply', delta: msg.body.delta, key: `${node.id}-${++sent}` });
  node.reply(msg, { type: 'add_ok' });
});
node.on('read', async (msg) => {
  const value = node.id === OWNER ? total : (await ask({ type: 'total' })).value;
  node.reply(msg, { type: 'read_ok', value });
});

node.main();
