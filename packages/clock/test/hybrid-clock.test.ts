import { describe, expect, it } from 'vitest';
import { FaultlineError } from '@faultline/protocol/errors';
import { HybridClock, compareHlc } from '../src/index.js';

const at = (wallMs: number, logical: number) => ({ wallMs, logical });

describe('HybridClock by hand', () => {
  it('local events follow the physical clock, and count when it stands still or goes back', () => {
    const clock = new HybridClock();
    expect(clock.value).toEqual(at(0, 0));
    expect(clock.now(100)).toEqual(at(100, 0)); // physical time moved: c resets
    expect(clock.now(100)).toEqual(at(100, 1)); // same reading: c counts
    expect(clock.now(99)).toEqual(at(100, 2)); // clock stepped back: l holds, c counts
    expect(clock.now(105)).toEqual(at(105, 0));
  });

  it('two processes: a message from a clock 10 ms ahead', () => {
    const n1 = new HybridClock();
    const n2 = new HybridClock();
    const m = n1.now(110); // n1 reads 110 and sends
    expect(m).toEqual(at(110, 0));
    expect(n2.receive(m, 100)).toEqual(at(110, 1)); // n2 reads only 100: takes l from the message, c = 0 + 1
    expect(n2.now(101)).toEqual(at(110, 2)); // n2 is still behind 110: counts on
    expect(n2.now(111)).toEqual(at(111, 0)); // n2's clock passed 110: back to physical time
  });

  it('receive: each branch of the paper', () => {
    const make = () => new HybridClock(at(200, 3));
    expect(make().receive(at(200, 5), 150)).toEqual(at(200, 6)); // l = l' = l.m: max(c, c.m) + 1
    expect(make().receive(at(190, 9), 150)).toEqual(at(200, 4)); // l = l': c + 1
    expect(make().receive(at(250, 2), 150)).toEqual(at(250, 3)); // l = l.m: c.m + 1
    expect(make().receive(at(250, 2), 300)).toEqual(at(300, 0)); // physical time wins: 0
  });

  it('a concurrent pair still gets an order: HLC cannot detect concurrency', () => {
    const n1 = new HybridClock();
    const n2 = new HybridClock();
    const a = n1.now(100);
    const b = n2.now(100);
    expect(compareHlc(a, b)).toBe(0); // equal timestamps on two nodes: tie-break by node id
    expect(compareHlc(n1.now(100), b)).toBe(1);
  });

  it('compareHlc is lexicographic: l first, then c', () => {
    expect(compareHlc(at(1, 9), at(2, 0))).toBe(-1);
    expect(compareHlc(at(2, 0), at(1, 9))).toBe(1);
    expect(compareHlc(at(2, 1), at(2, 3))).toBe(-1);
    expect(compareHlc(at(2, 3), at(2, 3))).toBe(0);
  });

  it('value is a copy: changing it does not change the clock', () => {
    const clock = new HybridClock();
    const v = clock.now(5) as { wallMs: number; logical: number };
    v.wallMs = 999;
    expect(clock.value).toEqual(at(5, 0));
  });

  it('rejects readings and timestamps that are not times and counters', () => {
    const clock = new HybridClock();
    expect(() => clock.now(Number.NaN)).toThrow(expect.objectContaining({ code: 'not-finite' }));
    expect(() => clock.now(-1)).toThrow(expect.objectContaining({ code: 'negative-time' }));
    expect(() => clock.receive(at(10, -1), 5)).toThrow(/expected a non-negative integer for the remote timestamp.logical, got -1/);
    expect(() => clock.receive(at(Number.POSITIVE_INFINITY, 0), 5)).toThrow(FaultlineError);
    expect(() => new HybridClock(at(0, 0.5))).toThrow(FaultlineError);
    expect(clock.value).toEqual(at(0, 0));
  });
});
