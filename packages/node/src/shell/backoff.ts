/**
 * Reconnect delays: exponential backoff with "equal jitter" (half fixed, half random), capped.
 * After the n-th failure in a row (n from 1) the delay is in [ceil/2, ceil] with
 * ceil = min(capMs, baseMs · 2^(n-1)): never 0 (no reconnect storm), never above the cap, and
 * spread out so that the nodes of a lab do not all retry at the same instant.
 */
import type { Rng } from '@faultline/random';

export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 50, capMs: 2_000 };

export function reconnectDelayMs(failures: number, rng: Rng, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceil = Math.min(options.capMs, options.baseMs * 2 ** exponent);
  return ceil / 2 + rng.next() * (ceil / 2);
}
