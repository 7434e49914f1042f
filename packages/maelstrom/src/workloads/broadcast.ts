/**
 * broadcast: after init each node is sent a `topology` (the same map of every node's suggested
 * neighbours to every node; topology.ts). Then clients mix, half and half, `broadcast
 * {message}` (the messages are 0, 1, 2 …, each sent once, to one node) and `read` (answered with
 * every message the node has). After the faults heal and the cluster has had time, each node gets
 * one final `read`. Reads are idempotent: their errors and timeouts are `fail`s.
 * Checker: checkers/set-full.ts (every acknowledged message in every final read).
 */
import { checkSet } from '../checkers/set-full.js';
import { okReply } from './reply.js';
import { topology } from './topology.js';
import { nodeOf, type Workload } from './workload.js';

export const broadcastWorkload: Workload = {
  name: 'broadcast',
  doc: 'spread every `broadcast` message to all nodes; answer `read` with every message this node has',
  idempotent: new Set(['read']),
  generator({ rng, nodeIds }) {
    let message = 0;
    return {
      next(process) {
        const node = nodeOf(nodeIds, process);
        if (rng.int(2) === 0) {
          const value = message++;
          return { node, f: 'broadcast', value, body: { type: 'broadcast', message: value } };
        }
        return { node, f: 'read', body: { type: 'read' } };
      },
      final: () => nodeIds.map((node) => ({ node, f: 'read', body: { type: 'read' }, final: true })),
    };
  },
  setup({ nodeIds, topology: name = 'grid' }) {
    const map = topology(name, nodeIds);
    return nodeIds.map((node) => ({ node, body: { type: 'topology', topology: map } }));
  },
  okValue: (invoke, reply) => (invoke.f === 'read' ? okReply('broadcastRead', reply, (r) => r.messages) : okReply('broadcast', reply, () => invoke.value)),
  check: (history) => checkSet(history, { add: 'broadcast', noun: 'message' }),
};
