/**
 * The shell around one toxic's runner on one link: it queues the runner's timed actions, delivers
 * them in order with the precise timer, and handles Toxiproxy's interrupts (update, remove).
 */
import type { Rng } from '@faultline/random';
import type { Action, AnyToxicDefinition, Chunk, MessageEventDraft, ToxicRunner } from '../toxics/toxic.js';
import { Fifo } from './fifo.js';
import { cancel, nowMs, scheduleAt, type TimerHandle } from './precise-timer.js';

/**
 * At most this many queued actions are carried out in one go; the rest wait for the next turn of
 * the event loop, so a toxic that cuts a read into 65,536 one-byte slices cannot hold up the
 * other links and the API (each action is one socket write, a few µs).
 */
export const MAX_ACTIONS_PER_TURN = 256;
/**
 * What one queued item costs beside its bytes, for backpressure: a slicer's one-byte pieces are
 * objects of ~100 bytes each, so counting only their bytes would let millions of them queue up.
 */
export const ITEM_COST_BYTES = 128;

/** The backpressure weight of a queued chunk. */
export function queuedCost(chunk: Chunk): number {
  return chunk.data.length + ITEM_COST_BYTES;
}

/** What flows from one stage to the next. */
export interface StageSink {
  data(chunk: Chunk): void;
  end(): void;
}

export interface StageHost {
  reset(): void;
  event(draft: MessageEventDraft): void;
  /** Bytes queued in stages changed by `delta` (for backpressure on the source). */
  buffered(delta: number): void;
}

export interface ToxicSpec {
  name: string;
  def: AnyToxicDefinition;
  toxicity: number;
  /** Attribute values as numbers, in the definition's order. */
  attributes: Record<string, number>;
}

type Pending = Exclude<Action, { type: 'event' }>;

const passthrough: ToxicRunner = { data: (chunk, now) => [{ type: 'emit', chunk, atMs: now }] };

export class Stage {
  next: StageSink;
  readonly name: string;
  private runner: ToxicRunner = passthrough;
  private readonly queue = new Fifo<Pending>();
  private timer: TimerHandle | undefined;
  /** The per-turn budget ran out: the rest of the queue runs on a later turn (see pump). */
  private yielding = false;
  private tickTimer: TimerHandle | undefined;
  private lastAtMs = -Infinity;
  private inputEnded = false;
  private closed = false;
  private readonly state: unknown;
  private readonly closesOnRemove: boolean;
  private readonly messageLevel: boolean;

  constructor(
    spec: ToxicSpec,
    next: StageSink,
    private readonly host: StageHost,
    private readonly rng: Rng,
    private readonly rngFor?: (key: string) => Rng,
  ) {
    this.name = spec.name;
    this.next = next;
    this.state = spec.def.newState?.();
    this.closesOnRemove = spec.def.closesOnRemove === true;
    this.messageLevel = spec.def.messageLevel === true;
    this.run(spec);
  }

  /** Starts (or re-starts, after an update) the toxic; toxicity is decided here, once per run. */
  private run(spec: ToxicSpec): void {
    const active = this.rng.next() < spec.toxicity;
    this.runner = active ? spec.def.create(spec.attributes, { rng: this.rng, ...(this.rngFor ? { rngFor: this.rngFor } : {}), state: this.state, name: spec.name }) : passthrough;
    if (this.runner.start) this.apply(this.runner.start(nowMs()));
  }

  private applyEnd(now: number): void {
    this.apply(this.runner.end ? this.runner.end(now) : [{ type: 'close', atMs: now }]);
  }

  data(chunk: Chunk): void {
    if (this.closed || this.inputEnded) return;
    this.apply(this.runner.data(chunk, nowMs()));
  }

  end(): void {
    if (this.closed || this.inputEnded) return;
    this.inputEnded = true;
    this.applyEnd(nowMs());
  }

  /**
   * Toxiproxy's UpdateToxic: interrupt, deliver the in-flight item, run again with the new
   * attributes, feed it what was queued, then the end of the input if it came. A runner that
   * updates in place (a message toxic holding messages) keeps its state instead.
   */
  update(spec: ToxicSpec): void {
    if (this.closed) return;
    if (this.runner !== passthrough && this.runner.update) {
      this.runner.update(spec.attributes);
      this.armTick();
      return;
    }
    const pending = this.interrupt();
    const [inFlight, ...rest] = this.rejoin(pending);
    if (inFlight) this.next.data(inFlight.chunk);
    this.run(spec);
    const now = nowMs();
    for (const p of rest) if (!this.closed) this.apply(this.runner.data(p.chunk, now));
    if (this.inputEnded && !this.closed) this.applyEnd(now);
  }

  /** Toxiproxy's RemoveToxic: flush everything held to the next stage (timeout: close the link). */
  remove(): void {
    if (this.closed) return;
    if (this.closesOnRemove) {
      this.close();
      return;
    }
    const pending = this.interrupt();
    const held = this.runner.remove?.(nowMs());
    for (const p of this.rejoin(pending)) this.next.data(p.chunk);
    for (const a of held ?? []) {
      if (a.type === 'emit') this.next.data(a.chunk);
      else if (a.type === 'event') this.host.event(a.event);
    }
    this.runner = passthrough;
    if (this.inputEnded) this.close();
  }

  /**
   * Queued pieces cut from the same read (same arrival) joined again, when the toxic that cut them
   * stops: 65,536 one-byte slices flushed on removal become one write, not 65,536 in one turn.
   * Only on byte stages: what follows them (byte toxics, the socket) ignores message boundaries.
   */
  private rejoin(emits: Extract<Pending, { type: 'emit' }>[]): Extract<Pending, { type: 'emit' }>[] {
    if (this.messageLevel || emits.length < 2) return emits;
    const out: Extract<Pending, { type: 'emit' }>[] = [];
    let run: Extract<Pending, { type: 'emit' }>[] = [];
    const flush = (): void => {
      if (run.length === 1) out.push(run[0]);
      else if (run.length > 1) out.push({ ...run[0], chunk: { ...run[0].chunk, data: Buffer.concat(run.map((e) => e.chunk.data)) } });
      run = [];
    };
    for (const e of emits) {
      if (run.length > 0 && run[0].chunk.arrivalMs !== e.chunk.arrivalMs) flush();
      run.push(e);
    }
    flush();
    return out;
  }

  /** Stops timers and forgets queued data (the connection is gone). */
  dispose(): void {
    this.closed = true;
    cancel(this.timer);
    cancel(this.tickTimer);
    this.yielding = false;
    this.drop(this.queue.drain());
  }

  /** Cancels timers; returns the queued emits (pending closes are dropped, resets kept firing). */
  private interrupt(): Extract<Pending, { type: 'emit' }>[] {
    cancel(this.timer);
    cancel(this.tickTimer);
    this.timer = this.tickTimer = undefined;
    this.yielding = false;
    const emits: Extract<Pending, { type: 'emit' }>[] = [];
    for (const p of this.queue.drain()) {
      if (p.type === 'emit') {
        emits.push(p);
        this.host.buffered(-queuedCost(p.chunk));
      } else if (p.type === 'reset') {
        scheduleAt(p.atMs, () => this.host.reset());
      }
    }
    this.lastAtMs = -Infinity;
    return emits;
  }

  private apply(actions: Action[]): void {
    for (const a of actions) {
      if (a.type === 'event') {
        this.host.event(a.event);
        continue;
      }
      const atMs = Math.max(a.atMs, this.lastAtMs);
      this.lastAtMs = atMs;
      this.queue.push({ ...a, atMs });
      if (a.type === 'emit') this.host.buffered(queuedCost(a.chunk));
    }
    // While yielding, the continuation already scheduled carries on (pumping here would give
    // this link a second budget in the same turn).
    if (!this.yielding) this.pump();
    this.armTick();
  }

  private pump(): void {
    const now = nowMs();
    let budget = MAX_ACTIONS_PER_TURN;
    while (this.queue.length > 0 && !this.closed) {
      const head = this.queue.peek()!;
      if (head.atMs > now) {
        if (!this.timer || this.timer.cancelled || this.timer.atMs !== head.atMs) {
          cancel(this.timer);
          this.timer = scheduleAt(head.atMs, () => {
            this.timer = undefined;
            this.pump();
          });
        }
        return;
      }
      if (budget-- === 0) {
        // Yield: the event loop polls sockets (other links, the API) before this goes on.
        this.yielding = true;
        cancel(this.timer);
        this.timer = scheduleAt(nowMs(), () => {
          this.timer = undefined;
          this.yielding = false;
          this.pump();
        });
        return;
      }
      this.queue.shift();
      if (head.type === 'emit') {
        this.host.buffered(-queuedCost(head.chunk));
        this.next.data(head.chunk);
      } else if (head.type === 'close') {
        this.close();
      } else {
        this.host.reset();
        return;
      }
    }
  }

  private armTick(): void {
    const at = this.runner.wakeAtMs?.();
    if (at === undefined || this.closed) return;
    if (this.tickTimer && !this.tickTimer.cancelled && this.tickTimer.atMs === at) return;
    cancel(this.tickTimer);
    this.tickTimer = scheduleAt(at, () => {
      this.tickTimer = undefined;
      if (this.closed || !this.runner.tick) return;
      this.apply(this.runner.tick(nowMs()));
    });
  }

  /** Toxiproxy's stub.Close(): the output ends; whatever this stage still queued is lost. */
  private close(): void {
    if (this.closed) return;
    this.closed = true;
    cancel(this.timer);
    cancel(this.tickTimer);
    this.yielding = false;
    this.drop(this.queue.drain());
    this.next.end();
  }

  private drop(items: Pending[]): void {
    for (const p of items) if (p.type === 'emit') this.host.buffered(-queuedCost(p.chunk));
  }
}
