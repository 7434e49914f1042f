/**
 * The shell around one toxic's runner on one link: it queues the runner's timed actions, delivers
 * them in order with the precise timer, and handles Toxiproxy's interrupts (update, remove).
 */
import type { Rng } from '@faultline/random';
import type { Action, AnyToxicDefinition, Chunk, MessageEventDraft, ToxicRunner } from '../toxics/toxic.js';
import { Fifo } from './fifo.js';
import { rejoinReads } from './rejoin-reads.js';
import { cancel, nowMs, scheduleAt, type TimerHandle } from './precise-timer.js';
import { budgetLeft, spend } from './turn-budget.js';

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
  /**
   * Input that came while yielding, not yet given to the toxic: a backlogged slicer does not cut
   * the next 64 KiB into 65,536 pieces before it wrote the last ones.
   */
  private readonly inbox = new Fifo<Chunk>();
  /** The input ended while the inbox still held chunks. */
  private endPending = false;
  private tickTimer: TimerHandle | undefined;
  private lastAtMs = -Infinity;
  private inputEnded = false;
  private closed = false;
  private readonly state: unknown;
  private readonly closesOnRemove: boolean;
  private readonly messageLevel: boolean;
  private maxFeedBytes = Infinity;

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
    this.maxFeedBytes = active ? (spec.def.maxFeedBytes?.(spec.attributes) ?? Infinity) : Infinity;
    this.runner = active ? spec.def.create(spec.attributes, { rng: this.rng, ...(this.rngFor ? { rngFor: this.rngFor } : {}), state: this.state, name: spec.name }) : passthrough;
    if (this.runner.start) this.apply(this.runner.start(nowMs()));
  }

  private applyEnd(now: number): void {
    this.apply(this.runner.end ? this.runner.end(now) : [{ type: 'close', atMs: now }]);
  }

  data(chunk: Chunk): void {
    if (this.closed || this.inputEnded) return;
    if (chunk.data.length > this.maxFeedBytes) {
      // Fed a piece at a time: all of it waits in the inbox, pump takes it from there.
      for (let at = 0; at < chunk.data.length; at += this.maxFeedBytes) {
        const piece = { ...chunk, data: chunk.data.subarray(at, at + this.maxFeedBytes) };
        this.inbox.push(piece);
        this.host.buffered(queuedCost(piece));
      }
      if (!this.yielding) this.pump();
      this.armTick();
      return;
    }
    if (this.yielding || this.inbox.length > 0 || !budgetLeft()) {
      this.inbox.push(chunk);
      this.host.buffered(queuedCost(chunk));
      if (!this.yielding) this.yieldTurn();
      return;
    }
    this.apply(this.feed(chunk));
  }

  end(): void {
    if (this.closed || this.inputEnded) return;
    this.inputEnded = true;
    if (this.inbox.length > 0) this.endPending = true;
    else this.applyEnd(nowMs());
  }

  /** Gives one input chunk to the toxic; what it decides counts against the turn's budget. */
  private feed(chunk: Chunk): Action[] {
    const actions = this.runner.data(chunk, nowMs());
    spend(actions.length);
    return actions;
  }

  /** Takes the inbox (chunks not yet given to the toxic) back, in order. */
  private takeInbox(): Chunk[] {
    const chunks = this.inbox.drain();
    for (const c of chunks) this.host.buffered(-queuedCost(c));
    this.endPending = false;
    return chunks;
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
    const inbox = this.takeInbox();
    if (inFlight) this.next.data(inFlight.chunk);
    this.run(spec);
    const now = nowMs();
    for (const p of rest) if (!this.closed) this.apply(this.runner.data(p.chunk, now));
    for (const c of inbox) if (!this.closed) this.apply(this.runner.data(c, now));
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
    const inbox = this.takeInbox();
    const held = this.runner.remove?.(nowMs());
    for (const p of this.rejoin(pending)) this.next.data(p.chunk);
    for (const a of held ?? []) {
      if (a.type === 'emit') this.next.data(a.chunk);
      else if (a.type === 'event') this.host.event(a.event);
    }
    for (const c of inbox) this.next.data(c);
    this.runner = passthrough;
    if (this.inputEnded) this.close();
  }

  /** Pieces of one read joined again, on byte stages only (see rejoin-reads.ts). */
  private rejoin(emits: Extract<Pending, { type: 'emit' }>[]): Extract<Pending, { type: 'emit' }>[] {
    return this.messageLevel ? emits : rejoinReads(emits);
  }

  /** Stops timers and forgets queued data (the connection is gone). */
  dispose(): void {
    this.closed = true;
    cancel(this.timer);
    cancel(this.tickTimer);
    this.yielding = false;
    this.drop(this.queue.drain());
    this.takeInbox();
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
    this.enqueue(actions);
    // While yielding, the continuation already scheduled carries on (pumping here would give
    // this link a second budget in the same turn).
    if (!this.yielding) this.pump();
    this.armTick();
  }

  private enqueue(actions: Action[]): void {
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
  }

  /**
   * Carries out what is due, in order, at most MAX_ACTIONS_PER_TURN of it and only while the
   * turn's shared budget lasts; then yields to the event loop. Input that waited in the inbox is
   * given to the toxic once nothing is due any more.
   */
  private pump(): void {
    let budget = MAX_ACTIONS_PER_TURN;
    for (;;) {
      if (this.closed) return;
      const now = nowMs();
      const head = this.queue.peek();
      if (head === undefined || head.atMs > now) {
        if (this.inbox.length > 0) {
          if (budget <= 0 || !budgetLeft()) return this.yieldTurn();
          const chunk = this.inbox.shift()!;
          this.host.buffered(-queuedCost(chunk));
          const actions = this.feed(chunk);
          budget -= actions.length;
          this.enqueue(actions);
          if (this.inbox.length === 0 && this.endPending) {
            this.endPending = false;
            this.enqueue(this.runner.end ? this.runner.end(now) : [{ type: 'close', atMs: now }]);
          }
          continue;
        }
        if (head !== undefined && (!this.timer || this.timer.cancelled || this.timer.atMs !== head.atMs)) {
          cancel(this.timer);
          this.timer = scheduleAt(head.atMs, () => {
            this.timer = undefined;
            this.pump();
          });
        }
        return;
      }
      if (budget-- <= 0 || !budgetLeft()) return this.yieldTurn();
      spend(1);
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

  /** Goes on in a later turn, after the event loop polled the sockets (other links, the API). */
  private yieldTurn(): void {
    this.yielding = true;
    cancel(this.timer);
    this.timer = scheduleAt(nowMs(), () => {
      this.timer = undefined;
      this.yielding = false;
      this.pump();
      this.armTick();
    });
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
    this.takeInbox();
    this.next.end();
  }

  private drop(items: Pending[]): void {
    for (const p of items) if (p.type === 'emit') this.host.buffered(-queuedCost(p.chunk));
  }
}
