/**
 * Hand-made traces with clocks that behave: each node has a wall clock at an offset from true time
 * and real Lamport, vector and hybrid clocks (`@faultline/clock`), ticked on every line as the node
 * core ticks them (a receive merges the send's stamp). Lines are parsed by the real schema; true
 * time moves 1 ms a line unless told otherwise (`wait`). `tamper` rewrites a line's clocks, to make
 * the traces a broken clock would.
 */
import { HybridClock, LamportClock, VectorClock } from '@faultline/clock';
import { traceLineSchema, type ClockStamp, type RegisterDecisionKind, type RegisterResolution, type RegisterWrite, type TraceLine } from '@faultline/protocol';

export const T0 = 1_767_225_600_000;

interface Clocks {
  offset: number;
  lamport: LamportClock;
  vc: VectorClock;
  hlc: HybridClock;
}

type Stamped = TraceLine & { clocks: ClockStamp };

export class ClockLab {
  readonly lines: TraceLine[] = [];
  trueMs = T0;
  private readonly nodes = new Map<string, Clocks>();
  private writes = 0;

  /** Sets `node`'s wall clock `offsetMs` from true time (as the lab's `clock` fault does; no line). */
  skew(node: string, offsetMs: number): this {
    this.clocksOf(node).offset = offsetMs;
    return this;
  }

  wait(ms: number): this {
    this.trueMs += ms;
    return this;
  }

  /** A line of `node`'s own, 1 ms after the last; `received`: the stamp of the message it receives. */
  event(node: string, event: Record<string, unknown>, received?: ClockStamp): Stamped {
    this.trueMs += 1;
    const c = this.clocksOf(node);
    const wallMs = this.trueMs + c.offset;
    const lamport = received ? c.lamport.receive(received.lamport) : c.lamport.tick();
    const vc = received ? c.vc.receive(received.vc) : c.vc.tick();
    const hlc = received ? c.hlc.receive(received.hlc, wallMs) : c.hlc.now(wallMs);
    const clocks: ClockStamp = { trueMs: this.trueMs, wallMs, lamport, vc: { ...vc }, hlc };
    const line = traceLineSchema.parse({ seq: this.lines.length + 1, trueMs: this.trueMs, node, clocks, ...event }) as Stamped;
    this.lines.push(line);
    return line;
  }

  /** `node` restarts (a revive): new clocks from zero, its wall clock's offset kept; a `node_start` line. */
  restart(node: string): this {
    const offset = this.clocksOf(node).offset;
    this.nodes.delete(node);
    this.clocksOf(node).offset = offset;
    this.event(node, { kind: 'node_start', pid: 100 + this.lines.length, port: 4000 });
    return this;
  }

  send(from: string, to: string, msg: string, msgType = 'ping'): Stamped {
    return this.event(from, { kind: 'send', to, msg, msgType, size: 10 });
  }

  /** `to` receives `msg` from `from` (its send must be in the trace), `ms` after the last line. */
  receive(to: string, from: string, msg: string, ms = 0): Stamped {
    const send = this.lines.find((l): l is Stamped => l.kind === 'send' && l.node === from && l.msg === msg);
    if (!send || send.kind !== 'send') throw new Error(`no send of ${msg} by ${from}`);
    this.wait(ms);
    return this.event(to, { kind: 'receive', from, msg, msgType: send.msgType, size: 10, sentWall: send.clocks.wallMs }, send.clocks);
  }

  /** A message from `from` to `to`, `ms` on the wire. */
  message(from: string, to: string, msg: string, msgType = 'ping', ms = 0): this {
    this.send(from, to, msg, msgType);
    this.receive(to, from, msg, ms);
    return this;
  }

  /** Rewrites the clocks of line `seq` (what a broken clock would have stamped). */
  tamper(seq: number, clocks: Partial<ClockStamp>): this {
    const line = this.lines[seq - 1] as Stamped;
    this.lines[seq - 1] = { ...line, clocks: { ...line.clocks, ...clocks } };
    return this;
  }

  state(node: string, behaviour: string, key: string, value: unknown): Stamped {
    return this.event(node, { kind: 'state', behaviour, key, value });
  }

  // The register.

  /** A client's write on `node`: its `write` line; the write, stamped with that line's clocks. */
  write(node: string, key: string, value: unknown, id = `${node}/w${++this.writes}`): RegisterWrite {
    const { clocks } = this.state(node, 'register', 'write', { id, node, key, value });
    const { trueMs: _, ...stamp } = clocks;
    return { id, node, key, value, stamp };
  }

  decide(node: string, kind: RegisterDecisionKind, write: RegisterWrite, others: RegisterWrite[] = [], resolution: RegisterResolution = 'wall'): this {
    this.state(node, 'register', kind, { key: write.key, resolution, write, others });
    return this;
  }

  /** `from` gossips `write` to `to` (a `reg_put` message, `ms` on the wire). */
  gossip(from: string, to: string, write: RegisterWrite, ms = 0): this {
    return this.message(from, to, `${from}-put-${write.id}-${to}`, 'reg_put', ms);
  }

  read(node: string, key: string, writes: RegisterWrite[]): this {
    this.state(node, 'register', 'read', { key, values: writes.map((w) => w.value), ids: writes.map((w) => w.id) });
    return this;
  }

  // Clock synchronisation.

  /**
   * One round of `client` asking `server`, as the `sync` behaviour runs it: the request `reqMs` on
   * the wire, the server answers 1 ms later, the reply `respMs` on the wire, then the client's
   * `sync` line from whole-ms readings t1…t4. `lie` is added to the estimate (a wrong method);
   * `traceReplySend: false` leaves the server's send of the reply out of the trace; `correct` steps
   * the client's clock by the estimate (a `clock_change` line) before its `sync` line.
   */
  syncRound(client: string, server: string, o: { round?: number; method?: 'cristian' | 'ntp'; reqMs?: number; respMs?: number; lie?: number; traceReplySend?: boolean; correct?: boolean } = {}): this {
    const { round = 0, method = 'ntp', reqMs = 5, respMs = 5, lie = 0 } = o;
    const req = `${client}-req-${round}`;
    const reply = `${server}-resp-${round}`;
    const t1 = Math.floor(this.send(client, server, req, 'time_req').clocks.wallMs);
    const t2 = Math.floor(this.receive(server, client, req, reqMs).clocks.wallMs);
    const sent = this.send(server, client, reply, 'time_resp');
    const t3 = Math.floor(sent.clocks.wallMs);
    const t4 = Math.floor(this.receive(client, server, reply, respMs).clocks.wallMs);
    if (o.traceReplySend === false) {
      const { seq, trueMs, node, clocks } = sent;
      this.lines[seq - 1] = traceLineSchema.parse({ seq, trueMs, node, clocks, kind: 'local', label: 'its report was lost' });
    }
    const rttMs = t4 - t1;
    const estimateMs = (method === 'ntp' ? (t2 - t1 + (t3 - t4)) / 2 : t3 + rttMs / 2 - t4) + lie;
    const boundMs = method === 'ntp' ? (rttMs - (t3 - t2)) / 2 : rttMs / 2;
    if (o.correct) {
      const offsetMs = this.clocksOf(client).offset + estimateMs;
      this.skew(client, offsetMs).event(client, { kind: 'clock_change', offsetMs, driftPpm: 0, jumpMs: estimateMs });
    }
    this.state(client, 'sync', 'sync', { server, method, round, t1, t2, t3, t4, rttMs, estimateMs, boundMs, reply, ...(o.correct ? { correctedMs: estimateMs } : {}) });
    return this;
  }

  private clocksOf(node: string): Clocks {
    let c = this.nodes.get(node);
    if (!c) {
      c = { offset: 0, lamport: new LamportClock(), vc: new VectorClock(node), hlc: new HybridClock() };
      this.nodes.set(node, c);
    }
    return c;
  }
}
