/**
 * Random executions of N processes for the property tests, built from a fast-check command list.
 *
 * A command is a local event, a send to another process, or the receive of a message that was
 * sent earlier and is still in flight, at its destination (any of the messages in flight there:
 * the network reorders, and a message may never arrive). Before each command true time advances by a random gap.
 *
 * Every event is stamped the way a real run would do it: each process owns a `LamportClock`, a
 * `VectorClock`, a `HybridClock` and a `SkewedClock` (its physical clock); a send ticks the clocks
 * and puts their values on the message; a receive hands the message's values to the clocks. The
 * HLC is fed the process's skewed reading of the current true time.
 *
 * Independently of every clock, the execution records its causal structure as a graph (each
 * event → the next event of its process, each send → its receive), and `happensBefore` is that
 * graph's reachability: the definition of "happened before", not a clock's opinion of it.
 */
import fc from 'fast-check';
import {
  HybridClock,
  LamportClock,
  SkewedClock,
  VectorClock,
  type HlcTimestamp,
  type VectorTimestamp,
} from '../../src/index.js';

/** Upper bound on the number of processes; commands name processes modulo the actual count. */
export const MAX_PROCESSES = 5;
/** True time at the start of every execution (an ordinary epoch ms value). */
export const START_TRUE_MS = 1_700_000_000_000;

export type EventKind = 'local' | 'send' | 'receive';

export interface ExecEvent {
  readonly id: number;
  readonly process: number;
  readonly kind: EventKind;
  readonly trueMs: number;
  /** The process's physical (skewed) reading at this event: what its HLC was fed. */
  readonly pt: number;
  /** For a receive: the id of the matching send event. */
  readonly sendId?: number;
  readonly lamport: number;
  readonly vc: VectorTimestamp;
  readonly hlc: HlcTimestamp;
}

export interface ProcessSkew {
  readonly offsetMs: number;
  readonly driftPpm: number;
}

export interface ExecutionConfig {
  readonly processes: number;
  /** One per possible process; only the first `processes` are used. */
  readonly skews: readonly ProcessSkew[];
  /** Smallest gap of true time between two commands (0 lets events share an instant). */
  readonly minGapMs: number;
}

interface InFlight {
  readonly sendId: number;
  readonly lamport: number;
  readonly vc: VectorTimestamp;
  readonly hlc: HlcTimestamp;
}

interface ProcessState {
  readonly lamport: LamportClock;
  readonly vc: VectorClock;
  readonly hlc: HybridClock;
  readonly physical: SkewedClock;
  lastEvent: number | undefined;
}

export const nodeName = (p: number): string => `n${p + 1}`;

/** The system under test of the command list: processes, their clocks, and what happened. */
export class Execution {
  readonly events: ExecEvent[] = [];
  readonly inFlight: InFlight[][];
  /** Direct causal predecessors of each event (the graph's edges, reversed). */
  private readonly parents: number[][] = [];
  private readonly states: ProcessState[];
  private trueMs = START_TRUE_MS;

  constructor(readonly config: ExecutionConfig) {
    this.states = Array.from({ length: config.processes }, (_, p) => ({
      lamport: new LamportClock(),
      vc: new VectorClock(nodeName(p)),
      hlc: new HybridClock(),
      physical: new SkewedClock(config.skews[p] ?? {}, START_TRUE_MS),
      lastEvent: undefined,
    }));
    this.inFlight = Array.from({ length: config.processes }, () => []);
  }

  get processes(): number {
    return this.config.processes;
  }

  /** Process p's physical clock at true time t (reading is pure, it changes nothing). */
  physicalAt(p: number, trueMs: number): number {
    return this.states[p].physical.read(trueMs);
  }

  advance(gapMs: number): void {
    this.trueMs += Math.max(gapMs, this.config.minGapMs);
  }

  local(p: number): void {
    const s = this.states[p];
    const pt = s.physical.read(this.trueMs);
    this.record(p, 'local', pt, s.lamport.tick(), s.vc.tick(), s.hlc.now(pt));
  }

  send(p: number, to: number): void {
    const s = this.states[p];
    const pt = s.physical.read(this.trueMs);
    const event = this.record(p, 'send', pt, s.lamport.tick(), s.vc.send(), s.hlc.now(pt));
    this.inFlight[to].push({ sendId: event.id, lamport: event.lamport, vc: event.vc, hlc: event.hlc });
  }

  /** Process p receives its `index`-th message in flight. */
  receive(p: number, index: number): void {
    const [message] = this.inFlight[p].splice(index, 1);
    if (message === undefined) throw new Error(`no message in flight to ${nodeName(p)} at ${index}`);
    const s = this.states[p];
    const pt = s.physical.read(this.trueMs);
    const lamport = s.lamport.receive(message.lamport);
    const vc = s.vc.receive(message.vc);
    const hlc = s.hlc.receive(message.hlc, pt);
    this.record(p, 'receive', pt, lamport, vc, hlc, message.sendId);
  }

  private record(
    p: number,
    kind: EventKind,
    pt: number,
    lamport: number,
    vc: VectorTimestamp,
    hlc: HlcTimestamp,
    sendId?: number,
  ): ExecEvent {
    const id = this.events.length;
    const event: ExecEvent = { id, process: p, kind, trueMs: this.trueMs, pt, lamport, vc, hlc, sendId };
    const parents: number[] = [];
    const last = this.states[p].lastEvent;
    if (last !== undefined) parents.push(last);
    if (sendId !== undefined) parents.push(sendId);
    this.events.push(event);
    this.parents.push(parents);
    this.states[p].lastEvent = id;
    return event;
  }

  /**
   * `hb[e][f]` is true iff e → f: f is reachable from e in the causal graph. Events are recorded
   * in an order where every edge goes from a smaller id to a larger one, so one pass in id order
   * computes the closure: f's causal past is its parents plus their causal pasts.
   */
  happensBefore(): boolean[][] {
    const n = this.events.length;
    const hb = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
    for (let f = 0; f < n; f++) {
      for (const parent of this.parents[f]) {
        hb[parent][f] = true;
        for (let e = 0; e < parent; e++) if (hb[e][parent]) hb[e][f] = true;
      }
    }
    return hb;
  }
}

/** What the commands check against: how many messages are in flight to each process. */
interface Model {
  readonly inFlightTo: number[];
}

type ExecCommand = fc.Command<Model, Execution>;

/** `p` and `r` are drawn below MAX_PROCESSES and folded onto the actual process count. */
const proc = (p: number, n: number): number => p % n;
const other = (p: number, r: number, n: number): number => (p + 1 + (r % (n - 1))) % n;

class LocalCommand implements ExecCommand {
  constructor(
    readonly p: number,
    readonly gapMs: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(_m: Model, r: Execution): void {
    r.advance(this.gapMs);
    r.local(proc(this.p, r.processes));
  }
  toString(): string {
    return `+${this.gapMs}ms local(p${this.p})`;
  }
}

class SendCommand implements ExecCommand {
  constructor(
    readonly p: number,
    readonly r: number,
    readonly gapMs: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Execution): void {
    const from = proc(this.p, r.processes);
    const to = other(from, this.r, r.processes);
    r.advance(this.gapMs);
    r.send(from, to);
    m.inFlightTo[to] += 1;
  }
  toString(): string {
    return `+${this.gapMs}ms send(p${this.p}, r${this.r})`;
  }
}

/** Receives at the `p`-th process (mod their count) that has messages in flight; its `k`-th one. */
class ReceiveCommand implements ExecCommand {
  constructor(
    readonly p: number,
    readonly k: number,
    readonly gapMs: number,
  ) {}
  check(m: Readonly<Model>): boolean {
    return m.inFlightTo.some((count) => count > 0);
  }
  run(m: Model, r: Execution): void {
    const waiting = m.inFlightTo.flatMap((count, p) => (count > 0 ? [p] : []));
    const at = waiting[this.p % waiting.length];
    r.advance(this.gapMs);
    r.receive(at, this.k % m.inFlightTo[at]);
    m.inFlightTo[at] -= 1;
  }
  toString(): string {
    return `+${this.gapMs}ms receive(p${this.p}, k${this.k})`;
  }
}

/** Gaps of true time before a command: often 0 (events at the same instant) or a few ms. */
const gap = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 50 }));
const anyProcess = fc.nat({ max: MAX_PROCESSES - 1 });

/** A command list; receives are weighted up so most messages do arrive. */
export const commandsArb = (maxCommands: number): fc.Arbitrary<Iterable<ExecCommand>> =>
  fc.commands(
    [
      fc.tuple(anyProcess, gap).map(([p, g]) => new LocalCommand(p, g)),
      fc.tuple(anyProcess, anyProcess, gap).map(([p, r, g]) => new SendCommand(p, r, g)),
      fc.tuple(anyProcess, fc.nat({ max: 7 }), gap).map(([p, k, g]) => new ReceiveCommand(p, k, g)),
      fc.tuple(anyProcess, fc.nat({ max: 7 }), gap).map(([p, k, g]) => new ReceiveCommand(p, k, g)),
    ],
    { maxCommands, size: 'max' },
  );

export interface SkewLimits {
  /** Offsets are integers in [-maxOffsetMs, +maxOffsetMs]. */
  readonly maxOffsetMs: number;
  /** Drifts are 0 or integers in [-maxDriftPpm, +maxDriftPpm] (0 here: every clock runs at true rate). */
  readonly maxDriftPpm: number;
}

export const configArb = (limits: SkewLimits): fc.Arbitrary<ExecutionConfig> =>
  fc.record({
    processes: fc.integer({ min: 2, max: MAX_PROCESSES }),
    skews: fc.array(
      fc.record({
        offsetMs: fc.integer({ min: -limits.maxOffsetMs, max: limits.maxOffsetMs }),
        // Half the clocks keep the true rate, so readings (and l values) often coincide.
        driftPpm: fc.oneof(fc.constant(0), fc.integer({ min: -limits.maxDriftPpm, max: limits.maxDriftPpm })),
      }),
      { minLength: MAX_PROCESSES, maxLength: MAX_PROCESSES },
    ),
    minGapMs: fc.constantFrom(0, 1),
  });

/** Runs the command list on a fresh execution and returns it. */
export function runExecution(config: ExecutionConfig, cmds: Iterable<ExecCommand>): Execution {
  const execution = new Execution(config);
  fc.modelRun(() => ({ model: { inFlightTo: new Array<number>(config.processes).fill(0) }, real: execution }), cmds);
  return execution;
}
