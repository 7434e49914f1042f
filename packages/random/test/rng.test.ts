import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../src/index.js';

const seeds = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), fc.integer());

describe('createRng', () => {
  it('replays: the same seed and label give the same draws (property)', () => {
    fc.assert(
      fc.property(seeds, fc.string(), (seed, label) => {
        const a = createRng(seed, label);
        const b = createRng(seed, label);
        const draws = (r: typeof a) => [r.next(), r.int(10), r.next(), r.int(1_000_000)];
        expect(draws(a)).toEqual(draws(b));
      }),
    );
  });

  it('draws what it drew before it moved here (the proxy and the nodes replay old seeds the same)', () => {
    const r = createRng(42n, 'n1-n2/1/upstream/drop');
    expect([r.next(), r.next(), r.int(1000), r.int(7)]).toEqual([0.08553496724925935, 0.814490515505895, 701, 3]);
    const c = createRng(7);
    expect([c.next(), c.int(100)]).toEqual([0.7966983611695468, 69]);
  });

  it('another label or another seed gives another sequence', () => {
    const first = (seed: bigint, label: string) => Array.from({ length: 4 }, createRng(seed, label).next);
    expect(first(7n, 'reconnect:n1')).not.toEqual(first(7n, 'reconnect:n2'));
    expect(first(7n, 'reconnect:n1')).not.toEqual(first(8n, 'reconnect:n1'));
    // A seed is taken modulo 2^64: -1 and 2^64 - 1 are one seed.
    expect(first(-1n, 'x')).toEqual(first(2n ** 64n - 1n, 'x'));
  });

  it('next() is in [0, 1) and roughly uniform; int(n) in [0, n)', () => {
    const rng = createRng(-123456789012345n, 'x');
    const values = Array.from({ length: 10_000 }, rng.next);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    for (let d = 0; d < 10; d++) expect(values.filter((v) => Math.floor(v * 10) === d).length).toBeGreaterThan(800);
    fc.assert(
      fc.property(seeds, fc.integer({ min: 1, max: 2 ** 31 }), (seed, n) => {
        const k = createRng(seed, 'int').int(n);
        expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
      }),
    );
    expect(new Set(Array.from({ length: 200 }, () => rng.int(3)))).toEqual(new Set([0, 1, 2]));
  });
});

describe('deriveSeed', () => {
  it('is stable, differs by label, and is a non-negative integer below 2^53 (property)', () => {
    fc.assert(
      fc.property(seeds, fc.string(), (seed, label) => {
        const s = deriveSeed(seed, label);
        expect(s).toBe(deriveSeed(seed, label));
        expect(s >= 0n && s < 2n ** 53n).toBe(true);
      }),
    );
    expect(deriveSeed(7n, 'node:n1')).not.toBe(deriveSeed(7n, 'node:n2'));
  });
});
