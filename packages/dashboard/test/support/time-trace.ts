/**
 * Hand-made traces for the page's time views: nodes with wall clocks at an offset from true time
 * and real Lamport, vector and hybrid clocks (`@faultline/clock`), ticked as the node core ticks
 * them; register writes and decisions; clock-sync rounds. Lines are parsed by the real schema and
 * true time moves 1 ms a line unless told otherwise (`wait`).
 */
import { HybridClock, LamportClock, VectorClock } from '@faultline/clock';
import { traceLineSchema, type ClockStamp, type RegisterDecisionKind, type RegisterResolution, type RegisterWrite, type TraceLine } from '@faultline/protocol';

export const T0 = 1_767_225_600_000;

type Stamped = TraceLine & { clocks: ClockStamp };

export class TimeTrace {
  readonly lines: TraceLine[] = [];
  trueMs = T0;
  private readonly clocks = new Map<string, { offset: number; lamport: LamportClock; vc: VectorClock; hlc: HybridClock }>();
  private writes = 0;

  /** The run's first line, for a run of `nodes` nodes. */
  start(nodes: number): this {
    this.lines.push(traceLineSchema.parse({ seq: this.lines.length + 1, trueMs: this.trueMs, kind: 'run_start', seed: '7', config: { nodes } }));
    return this;
  }

  /** Sets `node`'s wall clock `offsetMs` from true time (as the lab's `clock` fault does; no line). */
  skew(node: string, offsetMs: number): this {
    this.of(node).offset = offsetMs;
    return this;
  }

  wait(ms: number): this {
    this.trueMs += ms;
    return this;
  }

  event(node: string, event: Record<string, unknown>, received?: ClockStamp): Stamped {
    this.trueMs += 1;
    const c = this.of(node);
    const wallMs = this.trueMs + c.offset;
    const lamport = received ? c.lamport.receive(received.lamport) : c.lamport.tick();
    const vc = received ? c.vc.receive(received.vc) : c.vc.tick();
    const hlc = received ? c.hlc.receive(received.hlc, wallMs) : c.hlc.now(wallMs);
    const clocks: ClockStamp = { trueMs: this.trueMs, wallMs, lamport, vc: { ...vc }, hlc };
    const line = traceLineSchema.parse({ seq: this.lines.length + 1, trueMs: this.trueMs, node, clocks, ...event }) as Stamped;
    this.lines.push(line);
    return line;
  }

  send(from: string, to: string, msg: string, msgType = 'ping'): Stamped {
    return this.event(from, { kind: 'send', to, msg, msgType, size: 10 });
  }

  receive(to: string, from: string, msg: string, ms = 0): Stamped {
    const send = this.lines.find((l): l is Stamped => l.kind === 'send' && l.node === from && l.msg === msg);
    if (!send || send.kind !== 'send') throw new Error(`no send of ${msg} by ${from}`);
    this.wait(ms);
    return this.event(to, { kind: 'receive', from, msg, msgType: send.msgType, size: 10, sentWall: send.clocks.wallMs }, send.clocks);
  }

  /** A client's write on `node`: its `write` line; the write, stamped with that line's clocks. */
  write(node: string, key: string, value: unknown): RegisterWrite {
    const id = `${node}/w${++this.writes}`;
    const { clocks } = this.event(node, { kind: 'state', behaviour: 'register', key: 'write', value: { id, node, key, value } });
    const { trueMs: _, ...stamp } = clocks;
    return { id, node, key, value, stamp };
  }

  decide(node: string, kind: RegisterDecisionKind, write: RegisterWrite, others: RegisterWrite[] = [], resolution: RegisterResolution = 'wall'): Stamped {
    return this.event(node, { kind: 'state', behaviour: 'register', key: kind, value: { key: write.key, resolution, write, others } });
  }

  /** One NTP round of `client` asking `server`: the request and the reply `reqMs` and `respMs` on the wire; `lie` added to the estimate. */
  syncRound(client: string, server: string, o: { round?: number; reqMs?: number; respMs?: number; lie?: number } = {}): this {
    const { round = 0, reqMs = 5, respMs = 5, lie = 0 } = o;
    const req = `${client}-req-${round}`;
    const reply = `${server}-resp-${round}`;
    const t1 = Math.floor(this.send(client, server, req, 'time_req').clocks.wallMs);
    const t2 = Math.floor(this.receive(server, client, req, reqMs).clocks.wallMs);
    const t3 = Math.floor(this.send(server, client, reply, 'time_resp').clocks.wallMs);
    const t4 = Math.floor(this.receive(client, server, reply, respMs).clocks.wallMs);
    const rttMs = t4 - t1;
    const estimateMs = (t2 - t1 + (t3 - t4)) / 2 + lie;
    const boundMs = (rttMs - (t3 - t2)) / 2;
    this.event(client, { kind: 'state', behaviour: 'sync', key: 'sync', value: { server, method: 'ntp', round, t1, t2, t3, t4, rttMs, estimateMs, boundMs, reply } });
    return this;
  }

  private of(node: string): { offset: number; lamport: LamportClock; vc: VectorClock; hlc: HybridClock } {
    let c = this.clocks.get(node);
    if (!c) this.clocks.set(node, (c = { offset: 0, lamport: new LamportClock(), vc: new VectorClock(node), hlc: new HybridClock() }));
    return c;
  }
}
