import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '@faultline/random';
import { DEFAULT_BACKOFF, reconnectDelayMs } from '../../src/index.js';

/** A generator that always draws `r`. */
const always = (r: number): Rng => ({ next: () => r, int: (n) => Math.floor(r * n) });

describe('reconnect backoff', () => {
  it('doubles from the base up to the cap, with equal jitter: always in [ceil/2, ceil] (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failures, r) => {
        const ceil = Math.min(DEFAULT_BACKOFF.capMs, DEFAULT_BACKOFF.baseMs * 2 ** (failures - 1));
        const delay = reconnectDelayMs(failures, always(r));
        expect(delay).toBeGreaterThanOrEqual(ceil / 2);
        expect(delay).toBeLessThanOrEqual(ceil);
        expect(delay).toBeLessThanOrEqual(DEFAULT_BACKOFF.capMs);
      }),
    );
    expect(reconnectDelayMs(1, always(0))).toBe(25);
    expect(reconnectDelayMs(4, always(0))).toBe(200);
    expect(reconnectDelayMs(50, always(0))).toBe(1_000);
  });

  it('the same seed and node give the same delays; another node another sequence', () => {
    const delays = (seed: bigint, node: string) => {
      const rng = createRng(seed, `reconnect:${node}`);
      return Array.from({ length: 8 }, (_, i) => reconnectDelayMs(i + 1, rng));
    };
    expect(delays(7n, 'n1')).toEqual(delays(7n, 'n1'));
    expect(delays(7n, 'n1')).not.toEqual(delays(7n, 'n2'));
    expect(delays(7n, 'n1')).not.toEqual(delays(8n, 'n1'));
  });
});
