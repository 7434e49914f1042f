/**
 * A node's wall clock: what the node *believes* the time of day is.
 *
 * faultline has three kinds of time (see ARCHITECTURE.md, "Three kinds of time"):
 * - **true time**, the machine's clock, which only the coordinator and the trace reporter read;
 * - **monotonic time**, which drives every timeout, retry and heartbeat interval;
 * - **a node's wall time**, which is true time passed through that node's `SkewedClock`.
 *
 * This class is the third kind and nothing else. It never reads a clock itself: every method is
 * handed the true time (`trueNowMs`, ms since the epoch) and does arithmetic on it, so the same
 * inputs always give the same answers and a lesson can replay a run exactly. It deals with
 * monotonic time not at all: a node must never time anything out by its wall clock, because a
 * wall clock can be stepped backwards (see `jump`), and a timeout measured across a backward step
 * would fire late or never.
 *
 * The model is the one real clocks follow (and the one tigerbeetle's simulator uses): an
 * **offset** (how far ahead of true time the clock is), a linear **drift** (how fast it runs,
 * in parts per million: +50 ppm gains 50 µs every second, about 4.3 s a day), and **step jumps**
 * (an operator or NTP setting the clock). Between two changes the wall time is a straight line:
 *
 *     wall(t) = anchorWallMs + (t - anchorTrueMs) * (1 + driftPpm / 1e6)
 *
 * Every change re-anchors that line at the moment of the change. Changing the drift keeps the
 * line continuous (the clock just starts running at the new rate from where it is); setting the
 * offset or jumping is a deliberate step.
 *
 * What it guarantees:
 * - zero offset and zero drift read exactly the true time you pass in;
 * - between steps, wall time never runs backwards and never stops in principle: the rate
 *   `1 + driftPpm / 1e6` is always > 0 because drift must be > -1e6 ppm. (At a rate very close
 *   to 0 the increase can be smaller than a float can show, so two reads may be equal; they are
 *   never decreasing.)
 *
 * What it cannot do:
 * - it knows nothing about other nodes: skew between nodes is just the difference of their
 *   offsets and drifts, and nothing here corrects it;
 * - it keeps no history. `read(t)` for a `t` before the last change extrapolates the current line
 *   backwards; it does not replay what the clock said back then;
 * - after a backward `jump` (or `set` to a smaller offset) the wall time goes back: two reads in
 *   true-time order can come out in the wrong order. That is the lesson, not a bug.
 */
import { FaultlineError } from '@faultline/protocol/errors';
import { assertFinite } from './validate.js';

/** How to change a clock. Both fields are optional; a missing field keeps its current value. */
export interface SkewParams {
  /** Wall minus true time, in ms, from the moment of the change on (a step). */
  readonly offsetMs?: number;
  /** Rate error in parts per million; positive runs fast. Must be > -1e6 and <= 1e6. */
  readonly driftPpm?: number;
}

/** A snapshot for display: how far ahead the clock is right now, and how fast it runs. */
export interface SkewState {
  /** Current wall time minus true time, in ms (grows by driftPpm µs per second). */
  readonly offsetMs: number;
  readonly driftPpm: number;
}

/** The fastest allowed drift: +1e6 ppm, the clock runs twice as fast as true time. */
export const MAX_DRIFT_PPM = 1_000_000;
/** Drift must be strictly above this: at -1e6 ppm the clock would stand still. */
export const MIN_DRIFT_PPM_EXCLUSIVE = -1_000_000;

function assertDrift(driftPpm: number): void {
  assertFinite(driftPpm, 'driftPpm');
  if (!(driftPpm > MIN_DRIFT_PPM_EXCLUSIVE && driftPpm <= MAX_DRIFT_PPM)) {
    throw new FaultlineError(
      'drift-out-of-range',
      `expected driftPpm above ${MIN_DRIFT_PPM_EXCLUSIVE} and at most ${MAX_DRIFT_PPM} ` +
        `(so the clock never stops or runs backwards), got ${driftPpm}`,
    );
  }
}

export class SkewedClock {
  /** The true time of the last change: where the current line starts. */
  private anchorTrueMs: number;
  /** The wall time at `anchorTrueMs`. */
  private anchorWallMs: number;
  private driftPpm: number;
  /** Wall ms per true ms: 1 + driftPpm / 1e6, always > 0. */
  private rate: number;

  /**
   * A clock started at true time `trueNowMs` with the given offset (default 0) and drift
   * (default 0). Like every method here, the true time comes last.
   */
  constructor(params: SkewParams, trueNowMs: number) {
    const offsetMs = params.offsetMs ?? 0;
    const driftPpm = params.driftPpm ?? 0;
    assertFinite(trueNowMs, 'trueNowMs');
    assertFinite(offsetMs, 'offsetMs');
    assertDrift(driftPpm);
    this.anchorTrueMs = trueNowMs;
    this.anchorWallMs = trueNowMs + offsetMs;
    this.driftPpm = driftPpm;
    this.rate = 1 + driftPpm / 1e6;
  }

  /** The node's wall time (ms since the epoch) when the true time is `trueNowMs`. */
  read(trueNowMs: number): number {
    assertFinite(trueNowMs, 'trueNowMs');
    // A product by a positive rate and sums are each monotone under float rounding, so this is
    // non-decreasing in trueNowMs (with drift 0 the rate is exactly 1 and no rounding happens
    // for integer ms).
    return this.anchorWallMs + (trueNowMs - this.anchorTrueMs) * this.rate;
  }

  /**
   * Change offset and/or drift at true time `trueNowMs`.
   * - `offsetMs` given: from now on wall = true + offsetMs (a step, like setting the clock by hand).
   * - only `driftPpm` given: the clock keeps its current reading and runs at the new rate from now
   *   on, so the change is continuous: `read(trueNowMs)` is the same before and after.
   * Nothing changes if any value is invalid.
   */
  set(params: SkewParams, trueNowMs: number): void {
    assertFinite(trueNowMs, 'trueNowMs');
    if (params.offsetMs !== undefined) assertFinite(params.offsetMs, 'offsetMs');
    if (params.driftPpm !== undefined) assertDrift(params.driftPpm);
    const wallNowMs = params.offsetMs === undefined ? this.read(trueNowMs) : trueNowMs + params.offsetMs;
    this.anchorTrueMs = trueNowMs;
    this.anchorWallMs = wallNowMs;
    if (params.driftPpm !== undefined) {
      this.driftPpm = params.driftPpm;
      this.rate = 1 + params.driftPpm / 1e6;
    }
  }

  /**
   * Step the clock by `deltaMs` at true time `trueNowMs`: forward (positive) or backward
   * (negative). Right after, `read(trueNowMs)` is exactly `deltaMs` away from what it was (up to
   * float rounding of the sum); the drift is unchanged.
   */
  jump(deltaMs: number, trueNowMs: number): void {
    assertFinite(deltaMs, 'deltaMs');
    const wallNowMs = this.read(trueNowMs);
    this.anchorTrueMs = trueNowMs;
    this.anchorWallMs = wallNowMs + deltaMs;
  }

  /** For display: the current offset (wall - true at `trueNowMs`) and the drift. */
  state(trueNowMs: number): SkewState {
    return { offsetMs: this.read(trueNowMs) - trueNowMs, driftPpm: this.driftPpm };
  }
}
