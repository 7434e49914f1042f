/**
 * txn-list-append: transactions over a map of keys to lists. A client sends `txn {txn: [[f, k,
 * v] …]}` of 1 … `maxTxnLength` (default 4) micro-operations, each half the time a read `["r", k,
 * null]` and half an append `["append", k, e]`; the node answers `txn_ok` with the same
 * micro-operations, each read's null replaced by the list it saw (null for a key never written).
 * Keys are integers; `keyCount` (default 3) are in play at once, each drawn uniformly; the
 * elements appended to a key are 1, 2, 3 … (each once per key), and after `maxWritesPerKey`
 * (default 16) appends a key is retired for a fresh one. Nothing is idempotent: an indefinite
 * error or a timeout is `info`. Checker: checkers/txn/txn-list-append.ts.
 */
import { checkTxnListAppend } from '../checkers/txn/txn-list-append.js';
import { okReply } from './reply.js';
import { nodeOf, type PlannedOp, type Workload } from './workload.js';

type MicroOp = ['r', number, null] | ['append', number, number];

export const txnListAppendWorkload: Workload = {
  name: 'txn-list-append',
  doc: 'transactions of reads and appends on lists, answered with the reads filled in, as if one at a time',
  idempotent: new Set(),
  generator({ rng, nodeIds, keyCount = 3, maxTxnLength = 4, maxWritesPerKey = 16 }) {
    const keys = Array.from({ length: Math.max(1, keyCount) }, (_, i) => i);
    const appended = new Map<number, number>();
    let fresh = keys.length;
    return {
      next(process): PlannedOp {
        const length = 1 + rng.int(Math.max(1, maxTxnLength));
        const txn: MicroOp[] = [];
        for (let i = 0; i < length; i++) {
          const slot = rng.int(keys.length);
          const key = keys[slot];
          if (rng.int(2) === 0) {
            txn.push(['r', key, null]);
            continue;
          }
          const element = (appended.get(key) ?? 0) + 1;
          appended.set(key, element);
          txn.push(['append', key, element]);
          if (element >= maxWritesPerKey) keys[slot] = fresh++;
        }
        return { node: nodeOf(nodeIds, process), f: 'txn', value: txn, body: { type: 'txn', txn } };
      },
      final: () => [],
    };
  },
  setup: () => [],
  okValue: (_invoke, reply) => okReply('txn', reply, (r) => r.txn),
  check: (history) => checkTxnListAppend(history),
};
