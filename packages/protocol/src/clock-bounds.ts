/**
 * The bounds of every clock value faultline accepts from outside: from a peer (an envelope's
 * stamps), from a person (the CLI's `clock` command, the control API) and from a lesson file. A
 * value past one of them is refused with a line that names the bound, and changes nothing.
 *
 * Why each is what it is:
 * - `MAX_CLOCK_OFFSET_MS`, one day: a wall clock set a day wrong shows every lesson about skew;
 *   past that a value is a typo or an attack (`1e300` pinned every hybrid clock for good).
 * - drift must be above −1,000,000 ppm (the clock would stand still) and at most +1,000,000 ppm
 *   (twice as fast): the skewed clock's own rule, so a lesson file that passes the check also runs.
 * - `MAX_HLC_OFFSET_MS`, seven days: how far ahead of the receiver's own wall clock a message's
 *   hybrid timestamp may be (CockroachDB refuses a remote clock past its `--max-offset` the same
 *   way). Two nodes set a day apart each way differ by two days, so a message of the lab's own is
 *   never refused; a forged `wallMs` of `1e300` is.
 * - `MAX_COUNTER`, 2^48: the largest Lamport value, vector clock entry or HLC logical count an
 *   envelope may carry. A node at 100,000 events a second needs 89 years to reach it, and it is
 *   far below 2^53, so `+ 1` stays exact: `9007199254740991` wedged every clock that merged it.
 */
import * as z from 'zod';

export const MAX_CLOCK_OFFSET_MS = 86_400_000;
export const MAX_DRIFT_PPM = 1_000_000;
/** Drift must be strictly above this: at −1e6 ppm the clock would stand still. */
export const MIN_DRIFT_PPM_EXCLUSIVE = -1_000_000;
export const MAX_HLC_OFFSET_MS = 7 * 86_400_000;
export const MAX_COUNTER = 2 ** 48;

/** Why `offsetMs` (a clock offset or jump, ms) is out of bounds, or null. `what` names it. */
export function offsetProblem(offsetMs: number, what: string): string | null {
  if (Number.isFinite(offsetMs) && Math.abs(offsetMs) <= MAX_CLOCK_OFFSET_MS) return null;
  return `expected ${what} within ±1 day (±${MAX_CLOCK_OFFSET_MS} ms), got ${offsetMs} ms`;
}

/** Why `driftPpm` is out of bounds, or null. `what` names it. */
export function driftProblem(driftPpm: number, what: string): string | null {
  if (Number.isFinite(driftPpm) && driftPpm > MIN_DRIFT_PPM_EXCLUSIVE && driftPpm <= MAX_DRIFT_PPM) return null;
  return `expected ${what} above ${MIN_DRIFT_PPM_EXCLUSIVE} ppm and at most ${MAX_DRIFT_PPM} ppm, got ${driftPpm}`;
}

/** A clock offset or jump in ms, within ±`MAX_CLOCK_OFFSET_MS` (the control API and the control channel). */
export const clockOffsetMsSchema = z.number().superRefine((v, ctx) => {
  const problem = offsetProblem(v, 'a clock offset or jump');
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** A drift in ppm, within the skewed clock's bounds. */
export const driftPpmSchema = z.number().superRefine((v, ctx) => {
  const problem = driftProblem(v, 'a drift');
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});
