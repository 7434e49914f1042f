/** Hand-made traces for the checks and the lens: lines parsed by the real schema, seq and time rising. */
import { traceLineSchema, type RpcResult, type TraceLine } from '@faultline/protocol';

export class TraceBuilder {
  readonly lines: TraceLine[] = [];
  private t = 1_767_225_600_000;

  /** Adds a node's line `ms` after the last one, stamped with clocks. */
  add(line: Record<string, unknown>, ms = 1): this {
    this.t += ms;
    const n = this.lines.length + 1;
    const clocks = { trueMs: this.t, wallMs: this.t, lamport: n, vc: { [String(line.node)]: n }, hlc: { wallMs: this.t, logical: 0 } };
    this.lines.push(traceLineSchema.parse({ seq: n, trueMs: this.t, clocks, ...line }));
    return this;
  }

  /** Adds a line the lab observed (no clocks). */
  lab(node: string | undefined, event: Record<string, unknown>, ms = 1): this {
    this.t += ms;
    this.lines.push(traceLineSchema.parse({ seq: this.lines.length + 1, trueMs: this.t, ...(node ? { node } : {}), ...event }));
    return this;
  }

  send(node: string, to: string, msg: string, msgType: string, replyTo?: string, ms = 1): this {
    return this.add({ node, kind: 'send', to, msg, msgType, size: 50, ...(replyTo ? { replyTo } : {}) }, ms);
  }

  receive(node: string, from: string, msg: string, msgType: string, replyTo?: string, ms = 1): this {
    return this.add({ node, kind: 'receive', from, msg, msgType, size: 50, sentWall: this.t, ...(replyTo ? { replyTo } : {}) }, ms);
  }

  proxy(link: string, action: string, msg: string, ms = 1, msgType = 'work'): this {
    return this.lab(link.split('-')[0], { kind: 'proxy', action, link, msg, msgType, size: 50 }, ms);
  }

  timeout(node: string, to: string, msg: string, timeoutMs = 1000, attempt = 1): this {
    return this.add({ node, kind: 'rpc_timeout', to, msg, msgType: 'work', attempt, timeoutMs }, timeoutMs);
  }

  state(node: string, key: string, value: unknown, msg?: string, ms = 1): this {
    return this.add({ node, kind: 'state', behaviour: 'service', key, value, ...(msg ? { msg } : {}) }, ms);
  }
}

export function timedOut(requestIds: string[], attempts = requestIds.length): RpcResult {
  return { outcome: 'timeout', attempts, requestIds, elapsedMs: 1000 * attempts };
}

/** 12:00:03.512 local time: what `clockTime` prints for lines at T0. */
export const T0 = new Date(2026, 10, 25, 12, 0, 3, 512).getTime();

const at = (seq: number, line: Record<string, unknown>): TraceLine => traceLineSchema.parse({ seq, trueMs: T0, ...line });

/** One line of every kind of trace event, keyed by kind: a new kind is a type error here until it has one. */
export const ONE_OF_EACH_KIND: Readonly<Record<TraceLine['kind'], TraceLine>> = {
  run_start: at(1, { kind: 'run_start', seed: '42', config: {} }),
  node_start: at(2, { node: 'n1', kind: 'node_start', pid: 4242, port: 40001 }),
  send: at(3, { node: 'n1', kind: 'send', to: 'n2', msg: 'n1-1-7', msgType: 'ping', size: 10, replyTo: 'n2-1-3' }),
  receive: at(4, { node: 'n2', kind: 'receive', from: 'n1', msg: 'n1-1-7', msgType: 'ping', size: 10, sentWall: T0 }),
  failed_send: at(5, { node: 'n1', kind: 'failed_send', to: 'n3', msg: 'n1-1-8', msgType: 'ping', size: 10, reason: 'no link' }),
  rpc_timeout: at(6, { node: 'n1', kind: 'rpc_timeout', to: 'n2', msg: 'n1-1-9', msgType: 'work', attempt: 2, timeoutMs: 1500 }),
  late_reply: at(7, { node: 'n1', kind: 'late_reply', from: 'n2', msg: 'n2-1-4', replyTo: 'n1-1-9', lateByMs: 250 }),
  retry: at(8, { node: 'n1', kind: 'retry', to: 'n2', msg: 'n1-1-10', retryOf: 'n1-1-9', attempt: 2 }),
  malformed: at(9, { node: 'n2', kind: 'malformed', source: 'n3', error: 'not JSON:\nat byte 3' }),
  peer_up: at(10, { node: 'n1', kind: 'peer_up', peer: 'n2' }),
  peer_down: at(11, { node: 'n1', kind: 'peer_down', peer: 'n3' }),
  clock_change: at(12, { node: 'n2', kind: 'clock_change', offsetMs: -2000, driftPpm: 50, jumpMs: 1500 }),
  local: at(13, { node: 'n3', kind: 'local', label: 'hello' }),
  state: at(14, { node: 'n2', kind: 'state', behaviour: 'counter', key: 'counter', value: 2, msg: 'n1-1-11' }),
  crash: at(15, { node: 'n2', kind: 'crash', signal: 'SIGKILL' }),
  pause: at(16, { node: 'n3', kind: 'pause' }),
  resume: at(17, { node: 'n3', kind: 'resume' }),
  revive: at(18, { node: 'n2', kind: 'revive', pid: 4343 }),
  exit: at(19, { node: 'n3', kind: 'exit', code: 1, signal: null }),
  fault: at(20, { kind: 'fault', action: 'set', fault: 'partition n1 n2,n3', links: ['n1-n2', 'n1-n3'] }),
  proxy: at(21, { kind: 'proxy', action: 'held', link: 'n1-n3', msg: 'n1-1-12', msgType: 'ping', size: 10, heldMs: 800 }),
  refused: at(22, { node: 'n1', kind: 'refused', stage: 'envelope', from: 'n2', msg: 'n2-1-5', reason: 'lamport: 9007199254740991 is past the bound' }),
};
