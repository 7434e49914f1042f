#!/usr/bin/env node
// A grow-only counter kept in the lab's lin-kv service (as in Gossip Glomers, with lin-kv): each
// node keeps its own total under its own key, updated with compare-and-set; a read sums every
// node's key. The service is linearizable, so the sum is never stale.
import { Node } from './node.mjs';

const node = new Node();
const KEY_DOES_NOT_EXIST = 20;
const PRECONDITION_FAILED = 22;

async function readKey(key) {
  try {
    return (await node.rpc('lin-kv', { type: 'read', key })).value;
  } catch (err) {
    if (err.code === KEY_DOES_NOT_EXIST) return 0;
    throw err;
  }
}

node.on('add', async (msg) => {
  for (;;) {
    const current = await readKey(node.id);
    try {
      await node.rpc('lin-kv', { type: 'cas', key: node.id, from: current, to: current + msg.body.delta, create_if_not_exists: true });
      break;
    } catch (err) {
      if (err.code !== PRECONDITION_FAILED) throw err;
    }
  }
  node.reply(msg, { type: 'add_ok' });
});

node.on('read', async (msg) => {
  const values = await Promise.all(node.nodeIds.map(readKey));
  node.reply(msg, { type: 'read_ok', value: values.reduce((a, b) => a + b, 0) });
});
node.main();
