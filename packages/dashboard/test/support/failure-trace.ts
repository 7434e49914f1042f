/**
 * Hand-made traces for the page's partial-failure views: the lab's process events (pause,
 * resume, crash, revive), the `detector` behaviour's `suspect` and `trust` lines and the `leader`
 * behaviour's terms, each parsed by the real schema. True time moves by `ms` a line (1 unless told).
 */
import { traceLineSchema, type TraceLine } from '@faultline/protocol';

export const T0 = 1_767_225_600_000;

export class FailureTrace {
  readonly lines: TraceLine[] = [];
  trueMs = T0;

  /** The run's first line, for a run of `nodes` nodes. */
  start(nodes: number): this {
    this.lines.push(traceLineSchema.parse({ seq: 1, trueMs: this.trueMs, kind: 'run_start', seed: '7', config: { nodes } }));
    return this;
  }

  add(event: Record<string, unknown>, ms = 1): TraceLine {
    this.trueMs += ms;
    const line = traceLineSchema.parse({ seq: this.lines.length + 1, trueMs: this.trueMs, ...event });
    this.lines.push(line);
    return line;
  }

  /** A lab event about `node`: `pause`, `resume`, `crash`, `revive`. */
  lab(node: string, kind: 'pause' | 'resume' | 'crash' | 'revive', ms = 1): TraceLine {
    return this.add({ node, kind, ...(kind === 'crash' ? { signal: 'SIGKILL' } : {}), ...(kind === 'revive' ? { pid: 4242 } : {}) }, ms);
  }

  state(node: string, behaviour: string, key: string, value: unknown, ms = 1): TraceLine {
    return this.add({ node, kind: 'state', behaviour, key, value }, ms);
  }

  suspect(observer: string, peer: string, sinceMs: number, ms = 1): TraceLine {
    return this.state(observer, 'detector', 'suspect', { peer, sinceMs, method: 'timeout', timeoutMs: 400 }, ms);
  }

  trust(observer: string, peer: string, suspectedForMs: number, ms = 1): TraceLine {
    return this.state(observer, 'detector', 'trust', { peer, sinceMs: 400 + suspectedForMs, suspectedForMs }, ms);
  }

  lead(node: string, term: number, ms = 1): TraceLine {
    return this.state(node, 'leader', 'leader', { term, quorum: false }, ms);
  }

  stepDown(node: string, term: number, ms = 1): TraceLine {
    return this.state(node, 'leader', 'step_down', { term, reason: `heard term ${term + 1}`, was: 'leader' }, ms);
  }

  /** Any line of `node` (a local event): time passes on the diagram. */
  local(node: string, ms = 1): TraceLine {
    return this.add({ node, kind: 'local', label: 'tick' }, ms);
  }
}
