/**
 * The one error this package throws. Every clock here is pure arithmetic, so the only way to fail
 * is to be handed a value that makes no sense as a time or a counter; the `code` says which rule
 * was broken and stays stable, so callers (and lesson checkers) can match on it instead of on the
 * wording of the message.
 */
export type ClockErrorCode =
  /** A time, offset or jump was NaN or ±Infinity. */
  | 'not-finite'
  /** A drift at or below -1e6 ppm (the clock would stop or run backwards) or above +1e6 ppm. */
  | 'drift-out-of-range'
  /** A Lamport value, vector entry or HLC counter that is not a non-negative safe integer. */
  | 'invalid-counter'
  /** A physical reading or HLC wall time below 0 (they are ms since the Unix epoch). */
  | 'negative-time'
  /** A node id that is not a non-empty string. */
  | 'invalid-node-id';

export class ClockError extends Error {
  override readonly name = 'ClockError';

  constructor(
    readonly code: ClockErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
