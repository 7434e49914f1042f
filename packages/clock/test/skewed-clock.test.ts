import fc from 'fast-check';
import { FaultlineError } from '@faultline/protocol/errors';
import { describe, expect, it } from 'vitest';
import { SkewedClock } from '../src/index.js';

const T0 = 1_700_000_000_000;
/** Integer epoch ms around today, as Date.now() gives. */
const trueMs = fc.integer({ min: T0, max: T0 + 10 * 86_400_000 });
const elapsedMs = fc.integer({ min: 0, max: 86_400_000 });
const offsetMs = fc.integer({ min: -3_600_000, max: 3_600_000 });
/** Every drift the clock accepts, including the extremes: > -1e6, <= 1e6. */
const anyDrift = fc.double({ min: -999_999, max: 1_000_000, noNaN: true });
const realisticDrift = fc.integer({ min: -1_000, max: 1_000 });

describe('SkewedClock by hand', () => {
  it('offset and drift with concrete numbers', () => {
    const clock = new SkewedClock({ offsetMs: 250, driftPpm: 100 }, 1_000_000);
    expect(clock.read(1_000_000)).toBe(1_000_250);
    // 100 ppm gains 100 µs per second: after 10 s, 1 ms more.
    expect(clock.read(1_010_000)).toBeCloseTo(1_010_251, 9);
    expect(clock.state(1_010_000).offsetMs).toBeCloseTo(251, 9);
    expect(clock.state(1_010_000).driftPpm).toBe(100);
  });

  it('set: an offset is a step, a drift change is continuous', () => {
    const clock = new SkewedClock({}, 0);
    clock.set({ driftPpm: 1_000 }, 1_000); // 1000 ppm: 1 ms per second
    expect(clock.read(1_000)).toBe(1_000);
    expect(clock.read(3_000)).toBe(3_002);
    clock.set({ driftPpm: 0 }, 3_000); // stops gaining, keeps its 2 ms lead
    expect(clock.read(3_000)).toBe(3_002);
    expect(clock.read(9_000)).toBe(9_002);
    clock.set({ offsetMs: -50 }, 9_000); // a step to 50 ms behind
    expect(clock.read(9_000)).toBe(8_950);
    expect(clock.state(10_000)).toEqual({ offsetMs: -50, driftPpm: 0 });
    clock.set({ offsetMs: 0, driftPpm: -500_000 }, 10_000); // both: wall = true now, half speed after
    expect(clock.read(10_000)).toBe(10_000);
    expect(clock.read(12_000)).toBe(11_000);
  });

  it('jump forward and back', () => {
    const clock = new SkewedClock({ offsetMs: 10 }, 0);
    clock.jump(1_000, 100);
    expect(clock.read(100)).toBe(1_110);
    clock.jump(-5_000, 200);
    expect(clock.read(200)).toBe(-3_790); // a backward step: wall time went back
    expect(clock.state(200)).toEqual({ offsetMs: -3_990, driftPpm: 0 });
  });

  it('rejects non-finite values and drifts that would stop or reverse time, changing nothing', () => {
    const clock = new SkewedClock({ offsetMs: 5 }, 0);
    expect(() => new SkewedClock({ driftPpm: -1_000_000 }, 0)).toThrow(
      expect.objectContaining({ name: 'FaultlineError', code: 'drift-out-of-range' }),
    );
    expect(() => new SkewedClock({ driftPpm: 1_000_001 }, 0)).toThrow(/got 1000001/);
    expect(() => new SkewedClock({}, Number.NaN)).toThrow(/expected a finite number for trueNowMs, got NaN/);
    expect(() => clock.read(Number.POSITIVE_INFINITY)).toThrow(FaultlineError);
    expect(() => clock.set({ offsetMs: 1, driftPpm: Number.NaN }, 10)).toThrow(expect.objectContaining({ code: 'not-finite' }));
    expect(() => clock.set({ offsetMs: Number.NaN }, 10)).toThrow(FaultlineError);
    expect(() => clock.jump(Number.NEGATIVE_INFINITY, 10)).toThrow(FaultlineError);
    expect(clock.state(10)).toEqual({ offsetMs: 5, driftPpm: 0 });
    expect(new SkewedClock({ driftPpm: 1_000_000 }, 0).read(1)).toBe(2); // +1e6 ppm: twice as fast, allowed
    expect(new SkewedClock({ driftPpm: -999_999 }, 0).read(1_000_000)).toBeCloseTo(1, 9);
  });
});

describe('SkewedClock properties', () => {
  it('zero offset and drift read exactly the true time', () => {
    fc.assert(
      fc.property(trueMs, elapsedMs, (start, dt) => {
        const clock = new SkewedClock({}, start);
        expect(clock.read(start + dt)).toBe(start + dt);
        expect(clock.state(start + dt)).toEqual({ offsetMs: 0, driftPpm: 0 });
      }),
    );
  });

  it('drift d ppm gains d µs per true second', () => {
    fc.assert(
      fc.property(trueMs, offsetMs, realisticDrift, fc.integer({ min: 1, max: 86_400 }), (start, offset, d, seconds) => {
        const clock = new SkewedClock({ offsetMs: offset, driftPpm: d }, start);
        const gainedMs = clock.read(start + seconds * 1_000) - clock.read(start) - seconds * 1_000;
        // d µs per second = d / 1000 ms per second. Tolerance: the float spacing of epoch-ms values
        // near 1.7e12 is 2^-12 ms (0.24 µs), and each reading is rounded once.
        expect(Math.abs(gainedMs - (d * seconds) / 1_000)).toBeLessThanOrEqual(1e-3);
        expect(Math.abs(clock.state(start + seconds * 1_000).offsetMs - offset - (d * seconds) / 1_000)).toBeLessThanOrEqual(1e-3);
      }),
    );
  });

  it('changing the drift live is continuous: the reading at that instant does not move', () => {
    fc.assert(
      fc.property(trueMs, offsetMs, anyDrift, anyDrift, elapsedMs, (start, offset, d1, d2, dt) => {
        const clock = new SkewedClock({ offsetMs: offset, driftPpm: d1 }, start);
        const before = clock.read(start + dt);
        clock.set({ driftPpm: d2 }, start + dt);
        expect(clock.read(start + dt)).toBe(before);
        expect(clock.state(start + dt).driftPpm).toBe(d2);
      }),
    );
  });

  it('a jump moves the reading by exactly delta', () => {
    fc.assert(
      fc.property(trueMs, offsetMs, elapsedMs, fc.integer({ min: -86_400_000, max: 86_400_000 }), (start, offset, dt, delta) => {
        // Zero drift: integer readings, so the sum is exact.
        const clock = new SkewedClock({ offsetMs: offset }, start);
        const before = clock.read(start + dt);
        clock.jump(delta, start + dt);
        expect(clock.read(start + dt) - before).toBe(delta);
        expect(clock.read(start + dt + 1_000) - clock.read(start + dt)).toBe(1_000); // the rate is untouched
      }),
    );
  });

  it('a jump under drift moves the reading by delta, up to float spacing', () => {
    fc.assert(
      fc.property(trueMs, anyDrift, elapsedMs, fc.double({ min: -1e8, max: 1e8, noNaN: true }), (start, d, dt, delta) => {
        const clock = new SkewedClock({ driftPpm: d }, start);
        const before = clock.read(start + dt);
        clock.jump(delta, start + dt);
        expect(Math.abs(clock.read(start + dt) - before - delta)).toBeLessThanOrEqual(1e-3);
      }),
    );
  });

  /** A random schedule of changes: drift and forward-only offset/jump changes at increasing true times. */
  const forwardChange = fc.oneof(
    fc.record({ kind: fc.constant('drift' as const), driftPpm: anyDrift }),
    fc.record({ kind: fc.constant('jump' as const), deltaMs: fc.integer({ min: 0, max: 60_000 }) }),
  );

  it('read is monotone in true time when no backward jump happens (any drift, any changes)', () => {
    fc.assert(
      fc.property(
        trueMs,
        offsetMs,
        anyDrift,
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.option(forwardChange)), { maxLength: 40 }),
        (start, offset, d, steps) => {
          const clock = new SkewedClock({ offsetMs: offset, driftPpm: d }, start);
          let t = start;
          let last = clock.read(t);
          for (const [dt, change] of steps) {
            t += dt;
            if (change?.kind === 'drift') clock.set({ driftPpm: change.driftPpm }, t);
            if (change?.kind === 'jump') clock.jump(change.deltaMs, t);
            const now = clock.read(t);
            expect(now).toBeGreaterThanOrEqual(last);
            last = now;
          }
        },
      ),
    );
  });

  it('setting the offset means wall = true + offset from then on (with zero drift)', () => {
    fc.assert(
      fc.property(trueMs, offsetMs, offsetMs, elapsedMs, elapsedMs, (start, o1, o2, dt1, dt2) => {
        const clock = new SkewedClock({ offsetMs: o1 }, start);
        clock.set({ offsetMs: o2 }, start + dt1);
        expect(clock.read(start + dt1 + dt2)).toBe(start + dt1 + dt2 + o2);
      }),
    );
  });
});
