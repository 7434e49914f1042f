/**
 * lin-kv: a linearizable key-value store. Clients mix, in equal parts, `read {key}`, `write {key,
 * value}` and `cas {key, from, to}`, with values drawn from 0 … 4 (few values, so operations
 * collide and a wrong answer shows). `keyCount` keys (default 3) are in play at once, each drawn
 * uniformly; after `opsPerKey` operations (default 100) a key is retired for a fresh one (0, 1, 2
 * …), so each key's history stays small enough to check.
 *
 * Replies: a read's `value`; a `cas` answered error 22 (precondition-failed) or 20
 * (key-does-not-exist) did nothing: `fail`. A read answered 20 is recorded as `ok` with value
 * null (the key holds nothing, which the model's initial null says too: stricter than Maelstrom,
 * which drops it). Reads are idempotent: their other errors and timeouts are `fail`s; a write or
 * cas that times out or errs indefinitely is `info`.
 * Checker: checkers/lin-kv.ts (the checkers package's linearizability search, key by key).
 */
import { MAELSTROM_ERROR_CODE } from '@faultline/protocol';
import { checkLinKv } from '../checkers/lin-kv.js';
import { okReply, pick } from './reply.js';
import { nodeOf, type PlannedOp, type Workload } from './workload.js';

const OPS = ['read', 'write', 'cas'] as const;

export const linKvWorkload: Workload = {
  name: 'lin-kv',
  doc: 'a linearizable key-value store: `read`, `write` and `cas` on keys, as if one copy answered every client in real-time order',
  idempotent: new Set(['read']),
  generator({ rng, nodeIds, keyCount = 3, opsPerKey = 100 }) {
    const keys = Array.from({ length: Math.max(1, keyCount) }, (_, i) => i);
    const used = keys.map(() => 0);
    let fresh = keys.length;
    return {
      next(process): PlannedOp {
        const node = nodeOf(nodeIds, process);
        const slot = rng.int(keys.length);
        const key = keys[slot];
        if (++used[slot] >= opsPerKey) {
          keys[slot] = fresh++;
          used[slot] = 0;
        }
        switch (pick(rng, OPS)) {
          case 'read':
            return { node, f: 'read', key, body: { type: 'read', key } };
          case 'write': {
            const value = rng.int(5);
            return { node, f: 'write', key, value, body: { type: 'write', key, value } };
          }
          case 'cas': {
            const from = rng.int(5);
            const to = rng.int(5);
            return { node, f: 'cas', key, value: [from, to], body: { type: 'cas', key, from, to } };
          }
        }
      },
      final: () => [],
    };
  },
  setup: () => [],
  okValue(invoke, reply) {
    if (invoke.f === 'read') return okReply('kvRead', reply, (r) => r.value);
    return invoke.f === 'write' ? okReply('kvWrite', reply, () => invoke.value) : okReply('kvCas', reply, () => invoke.value);
  },
  readError: (invoke, code) => (invoke.f === 'read' && code === MAELSTROM_ERROR_CODE['key-does-not-exist'] ? { type: 'ok', value: null } : undefined),
  check: (history, options) => checkLinKv(history, options),
};
