/**
 * The shell around one toxic's runner on one link: it queues the runner's timed actions, delivers
 * them in order with the precise timer, and handles Toxiproxy's interrupts (update, remove).
 */
import type { Rng } from '@faultline/random';
import type { Action, AnyToxicDefinition, Chunk, MessageEventDraft, ToxicRunner } from '../toxics/toxic.js';
import { cancel, nowMs, scheduleAt, type TimerHandle } from './precise-timer.js';

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
  private readonly queue: Pending[] = [];
  private timer: TimerHandle | undefined;
  private tickTimer: TimerHandle | undefined;
  private lastAtMs = -Infinity;
  private inputEnded = false;
  private closed = false;
  private readonly state: unknown;
  private readonly closesOnRemove: boolean;

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
    const [inFlight, ...rest] = pending;
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
    for (const p of pending) this.next.data(p.chunk);
    for (const a of held ?? []) {
      if (a.type === 'emit') this.next.data(a.chunk);
      else if (a.type === 'event') this.host.event(a.event);
    }
    this.runner = passthrough;
    if (this.inputEnded) this.close();
  }

  /** Stops timers and forgets queued data (the connection is gone). */
  dispose(): void {
    this.closed = true;
    cancel(this.timer);
    cancel(this.tickTimer);
    this.drop(this.queue.splice(0));
  }

  /** Cancels timers; returns the queued emits (pending closes are dropped, resets kept firing). */
  private interrupt(): Extract<Pending, { type: 'emit' }>[] {
    cancel(this.timer);
    cancel(this.tickTimer);
    this.timer = this.tickTimer = undefined;
    const emits: Extract<Pending, { type: 'emit' }>[] = [];
    for (const p of this.queue.splice(0)) {
      if (p.type === 'emit') {
        emits.push(p);
        this.host.buffered(-p.chunk.data.length);
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
      if (a.type === 'emit') this.host.buffered(a.chunk.data.length);
    }
    this.pump();
    this.armTick();
  }

  private pump(): void {
    const now = nowMs();
    while (this.queue.length > 0 && !this.closed) {
      const head = this.queue[0];
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
      this.queue.shift();
      if (head.type === 'emit') {
        this.host.buffered(-head.chunk.data.length);
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
    this.drop(this.queue.splice(0));
    this.next.end();
  }

  private drop(items: Pending[]): void {
    for (const p of items) if (p.type === 'emit') this.host.buffered(-p.chunk.data.length);
  }
}
