/**
 * unique-ids: each client asks its node to `generate` an id; `generate_ok {id}` may carry any
 * JSON value, and it must differ from every other id handed out, by any node, ever. A failed or
 * timed-out generate is `info` (it may have used up an id). Checker: checkers/unique-ids.ts.
 */
import { checkUniqueIds } from '../checkers/unique-ids.js';
import { okReply } from './reply.js';
import { nodeOf, type Workload } from './workload.js';

export const uniqueIdsWorkload: Workload = {
  name: 'unique-ids',
  doc: 'answer every `generate` with an `id` no node has ever given before (any JSON value)',
  idempotent: new Set(),
  generator({ nodeIds }) {
    return {
      next: (process) => ({ node: nodeOf(nodeIds, process), f: 'generate', body: { type: 'generate' } }),
      final: () => [],
    };
  },
  setup: () => [],
  okValue: (_invoke, reply) => okReply('generate', reply, (r) => r.id),
  check: (history) => checkUniqueIds(history),
};
