/**
 * g-set: clients mix, half and half, `add {element}` (elements 0, 1, 2 …, each added once) and
 * `read` (answered with the set's elements as a list in `value`); each node gets one final read.
 * Reads are idempotent. Checker: checkers/set-full.ts (every acknowledged element in every final
 * read), as Maelstrom checks it.
 */
import { checkSet } from '../checkers/set-full.js';
import { okReply } from './reply.js';
import { nodeOf, type Workload } from './workload.js';

export const gSetWorkload: Workload = {
  name: 'g-set',
  doc: 'a grow-only set: `add` an element; `read` answers every element added, on any node',
  idempotent: new Set(['read']),
  generator({ rng, nodeIds }) {
    let element = 0;
    return {
      next(process) {
        const node = nodeOf(nodeIds, process);
        if (rng.int(2) === 0) {
          const value = element++;
          return { node, f: 'add', value, body: { type: 'add', element: value } };
        }
        return { node, f: 'read', body: { type: 'read' } };
      },
      final: () => nodeIds.map((node) => ({ node, f: 'read', body: { type: 'read' }, final: true })),
    };
  },
  setup: () => [],
  okValue: (invoke, reply) => (invoke.f === 'read' ? okReply('gSetRead', reply, (r) => r.value) : okReply('gSetAdd', reply, () => invoke.value)),
  check: (history) => checkSet(history, { add: 'add', noun: 'element' }),
};
