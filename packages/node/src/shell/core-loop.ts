/**
 * What feeds the node's core (shell): inputs are queued and fed to the core one at a time, each
 * with the time read now, so an effect whose execution produces a new input (closing a link
 * reports it down) never re-enters the core mid-step. Until `start` (the control channel is open
 * and `hello` sent) inputs wait in the queue. It owns the one wake-up timer the core's `wake`
 * effects ask for; every other effect goes to `execute`, in order.
 */
import type { Effect } from '../core/effect.js';
import type { NodeInput } from '../core/input.js';
import type { Now } from '../core/now.js';
import type { Logger } from './logger.js';

export interface SteppedCore {
  step(input: NodeInput, now: Now): Effect[];
}

export function now(): Now {
  return { monoMs: performance.now(), trueMs: Date.now() };
}

export class CoreLoop {
  private readonly queue: NodeInput[] = [];
  private core: SteppedCore | undefined;
  private draining = false;
  private stopped = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeNow: NodeJS.Immediate | undefined;
  /** When the armed wake-up is for (undefined: none armed). */
  private wakeAtMs: number | undefined;

  constructor(
    private readonly execute: (effect: Exclude<Effect, { kind: 'wake' }>) => void,
    private readonly logger: Logger,
  ) {}

  /** Feeds `core` from now on, starting with a `start` input and then what waited. */
  start(core: SteppedCore): void {
    this.core = core;
    this.feed({ kind: 'start' });
  }

  feed(input: NodeInput): void {
    this.queue.push(input);
    const core = this.core;
    if (this.draining || !core || this.stopped) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next !== undefined && !this.stopped; next = this.queue.shift()) {
        try {
          for (const effect of core.step(next, now())) {
            if (effect.kind === 'wake') this.wake(effect.atMonoMs);
            else this.execute(effect);
          }
        } catch (err) {
          this.logger.error({ err, input: next.kind }, 'the core failed on an input; it was dropped');
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Feeds nothing more and disarms the wake-up. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.wakeTimer);
    clearImmediate(this.wakeNow);
  }

  /** Arms the one wake-up for `atMonoMs`, in place of any other (nearly every step asks again for the same time: kept). */
  private wake(atMonoMs: number): void {
    if (atMonoMs === this.wakeAtMs) return;
    clearTimeout(this.wakeTimer);
    clearImmediate(this.wakeNow);
    this.wakeAtMs = atMonoMs;
    const fire = (): void => {
      this.wakeAtMs = undefined;
      this.feed({ kind: 'tick' });
    };
    const delayMs = atMonoMs - performance.now();
    // Due already (a burst goes on): the next turn, after this one's writes, not a timer's 1 ms later.
    if (delayMs <= 0) this.wakeNow = setImmediate(fire);
    else this.wakeTimer = setTimeout(fire, delayMs);
  }
}
