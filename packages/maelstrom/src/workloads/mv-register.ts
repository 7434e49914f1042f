/**
 * mv-register (faultline's own, not Maelstrom's): a multi-value register, as Dynamo and Riak keep
 * one. `read {key}` answers every sibling `values` the node holds and an opaque causal `context`;
 * `write {key, value, context?}` replaces exactly the values its context has seen (none without
 * a context: a blind write is one more sibling).
 *
 * Clients mostly read, then write with the context of that read (read-modify-write); one time in
 * four, with no read to build on, a client writes blind. The written values are 1, 2, 3 … (each
 * once per run, so the checker can name every write). `keyCount` keys (default 1) are drawn
 * uniformly; each node gets one final read per key. The history's write value is `{value, seen}`:
 * the value and the values its context had seen (the client's last read), so the checker needs
 * nothing but the history. Reads are idempotent. Checker: checkers/mv-register.ts.
 */
import { checkMvRegister } from '../checkers/mv-register.js';
import { okReply, pick } from './reply.js';
import { nodeOf, type PlannedOp, type Workload } from './workload.js';

interface LastRead {
  readonly key: string | number;
  readonly values: readonly unknown[];
  readonly context: unknown;
}

export const mvRegisterWorkload: Workload = {
  name: 'mv-register',
  doc: 'a multi-value register: a `write` replaces the values its `context` has seen; concurrent writes are all kept, and `read` answers them all',
  idempotent: new Set(['read']),
  generator({ rng, nodeIds, keyCount = 1 }) {
    const keys = Array.from({ length: Math.max(1, keyCount) }, (_, i) => i);
    let written = 0;
    /** Each client's last read, until it writes on it. */
    const lastRead = new Map<number, LastRead>();
    return {
      next(process): PlannedOp {
        const node = nodeOf(nodeIds, process);
        const read = lastRead.get(process);
        lastRead.delete(process);
        if (read) {
          const value = ++written;
          return { node, f: 'write', key: read.key, value: { value, seen: read.values }, body: { type: 'write', key: read.key, value, context: read.context } };
        }
        const key = pick(rng, keys);
        if (rng.int(4) === 0) {
          const value = ++written;
          return { node, f: 'write', key, value: { value, seen: [] }, body: { type: 'write', key, value } };
        }
        return { node, f: 'read', key, body: { type: 'read', key } };
      },
      observe(process, completed) {
        if (completed.f !== 'read' || completed.type !== 'ok' || completed.final || completed.key === undefined) return;
        const { values, context } = completed.value as { values: unknown[]; context: unknown };
        lastRead.set(process, { key: completed.key, values, context });
      },
      final: () => keys.flatMap((key) => nodeIds.map((node): PlannedOp => ({ node, f: 'read', key, body: { type: 'read', key }, final: true }))),
    };
  },
  setup: () => [],
  okValue: (invoke, reply) => (invoke.f === 'read' ? okReply('mvRead', reply, (r) => ({ values: r.values, context: r.context })) : okReply('mvWrite', reply, () => invoke.value)),
  check: (history) => checkMvRegister(history),
};
