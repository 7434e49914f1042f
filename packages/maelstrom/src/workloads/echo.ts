/**
 * echo: each client sends `echo {echo: "Please echo 17"}` to its node and expects `echo_ok` with
 * the same payload. Nothing is idempotent here (as in Maelstrom): an error or a timeout is `info`.
 * Checker: checkers/echo.ts.
 */
import { checkEcho } from '../checkers/echo.js';
import { okReply } from './reply.js';
import { nodeOf, type Workload } from './workload.js';

export const echoWorkload: Workload = {
  name: 'echo',
  doc: 'answer every `echo` with an `echo_ok` carrying the same `echo` payload',
  idempotent: new Set(),
  generator({ rng, nodeIds }) {
    return {
      next(process) {
        const value = `Please echo ${rng.int(128)}`;
        return { node: nodeOf(nodeIds, process), f: 'echo', value, body: { type: 'echo', echo: value } };
      },
      final: () => [],
    };
  },
  setup: () => [],
  okValue: (_invoke, reply) => okReply('echo', reply, (r) => r.echo),
  check: (history) => checkEcho(history),
};
