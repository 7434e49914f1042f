/**
 * g-counter and pn-counter: clients mix, half and half, `add {delta}` and `read` (answered with
 * the counter's `value`); each node gets one final read. Deltas are drawn uniformly from
 * −5 … 4 for pn-counter and 0 … 4 for g-counter (Maelstrom's draw with the negatives left out).
 * Reads are idempotent; an add that errs indefinitely or times out is `info` (it may count).
 * Checker: checkers/counter.ts. Each workload has its file (g-counter.ts, pn-counter.ts).
 */
import { checkCounter } from '../checkers/counter.js';
import { okReply } from './reply.js';
import { nodeOf, type Workload } from './workload.js';

export function counterWorkload(name: 'g-counter' | 'pn-counter'): Workload {
  const grow = name === 'g-counter';
  return {
    name,
    doc: grow ? 'a grow-only counter: `add` a delta ≥ 0; every final `read` answers the sum of all adds' : 'a counter: `add` a delta (maybe negative); every final `read` answers the sum of all adds',
    idempotent: new Set(['read']),
    generator({ rng, nodeIds }) {
      return {
        next(process) {
          const node = nodeOf(nodeIds, process);
          if (rng.int(2) === 0) {
            const delta = grow ? rng.int(5) : rng.int(10) - 5;
            return { node, f: 'add', value: delta, body: { type: 'add', delta } };
          }
          return { node, f: 'read', body: { type: 'read' } };
        },
        final: () => nodeIds.map((node) => ({ node, f: 'read', body: { type: 'read' }, final: true })),
      };
    },
    setup: () => [],
    okValue: (invoke, reply) => (invoke.f === 'read' ? okReply('counterRead', reply, (r) => r.value) : okReply('counterAdd', reply, () => invoke.value)),
    check: (history) => checkCounter(history, { grow }),
  };
}
