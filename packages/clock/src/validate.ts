/**
 * Input checks shared by the clocks. Each message says what was expected and what came, e.g.
 * `expected a finite number of ms for trueNowMs, got NaN`.
 */
import { FaultlineError } from '@faultline/protocol/errors';

/** How a bad value is shown in a message: strings quoted, everything else as JS prints it. */
function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function assertFinite(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new FaultlineError('not-finite', `expected a finite number for ${what}, got ${show(value)}`);
  }
}

/** A time in ms since the epoch: finite and not negative. */
export function assertEpochMs(value: number, what: string): void {
  assertFinite(value, what);
  if (value < 0) {
    throw new FaultlineError('negative-time', `expected ms since the epoch (>= 0) for ${what}, got ${show(value)}`);
  }
}

/** A logical counter: a non-negative safe integer (so `+ 1` is always exact). */
export function assertCounter(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new FaultlineError('invalid-counter', `expected a non-negative integer for ${what}, got ${show(value)}`);
  }
}

export function assertNodeId(value: string, what: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new FaultlineError('invalid-node-id', `expected a non-empty node id string for ${what}, got ${show(value)}`);
  }
}
