import { describe, expect, it } from 'vitest';
import { FaultlineError } from '@faultline/protocol/errors';
import { LamportClock } from '../src/index.js';

describe('LamportClock', () => {
  it('starts at 0; tick returns the new value', () => {
    const clock = new LamportClock();
    expect(clock.value).toBe(0);
    expect(clock.tick()).toBe(1);
    expect(clock.tick()).toBe(2);
    expect(clock.value).toBe(2);
  });

  it('two processes exchanging messages', () => {
    const n1 = new LamportClock();
    const n2 = new LamportClock();
    n2.tick(); // n2: local event, 1
    n2.tick(); // n2: local event, 2
    n2.tick(); // n2: local event, 3
    const m1 = n1.tick(); // n1 sends m1 stamped 1
    expect(n2.receive(m1)).toBe(4); // max(3, 1) + 1: n2 was ahead, it just counts on
    const m2 = n2.tick(); // n2 replies with m2 stamped 5
    expect(m2).toBe(5);
    expect(n1.receive(m2)).toBe(6); // max(1, 5) + 1: n1 jumps past the reply
    expect(n1.tick()).toBe(7);
  });

  it('a concurrent pair can get any order, even equal values', () => {
    const n1 = new LamportClock();
    const n2 = new LamportClock();
    // Neither event knows about the other, yet both get 1: Lamport values do not detect concurrency.
    expect(n1.tick()).toBe(n2.tick());
  });

  it('rejects remote values that are not non-negative integers', () => {
    const clock = new LamportClock();
    expect(() => clock.receive(-1)).toThrow(FaultlineError);
    expect(() => clock.receive(1.5)).toThrow(/expected a non-negative integer for the remote Lamport value, got 1.5/);
    expect(() => clock.receive(Number.NaN)).toThrow(expect.objectContaining({ code: 'invalid-counter' }));
    expect(() => new LamportClock(-3)).toThrow(FaultlineError);
    expect(clock.value).toBe(0);
  });
});
