import fc from 'fast-check';
import { FaultlineError } from '@faultline/protocol/errors';
import { describe, expect, it } from 'vitest';
import {
  VectorClock,
  compare,
  concurrent,
  entry,
  happenedBefore,
  merge,
  normalize,
  tick,
  type VectorTimestamp,
} from '../src/index.js';

/** Timestamps over a few nodes, with explicit zeros so normalisation is exercised. */
const vc: fc.Arbitrary<VectorTimestamp> = fc
  .array(fc.tuple(fc.constantFrom('n1', 'n2', 'n3', 'n4'), fc.nat({ max: 4 })), { maxLength: 6 })
  .map((entries) => Object.fromEntries(entries));

/** a ≤ b entrywise. */
const atMost = (a: VectorTimestamp, b: VectorTimestamp): boolean => ['before', 'equal'].includes(compare(a, b));

describe('vector clocks by hand', () => {
  it('two processes exchanging a message', () => {
    // n1: a (local), b (send m) ; n2: c (local), d (receive m), e (local)
    const n1 = new VectorClock('n1');
    const n2 = new VectorClock('n2');
    const a = n1.tick();
    const b = n1.send();
    const c = n2.tick();
    const d = n2.receive(b);
    const e = n2.tick();
    expect([a, b, c, d, e]).toEqual([{ n1: 1 }, { n1: 2 }, { n2: 1 }, { n1: 2, n2: 2 }, { n1: 2, n2: 3 }]);
    expect(compare(a, b)).toBe('before');
    expect(compare(b, d)).toBe('before'); // send → receive
    expect(compare(a, e)).toBe('before'); // a → b → d → e
    expect(compare(e, a)).toBe('after');
    expect(compare(a, c)).toBe('concurrent'); // nothing connects them
    expect(compare(b, c)).toBe('concurrent');
    expect(concurrent(c, b)).toBe(true);
    expect(happenedBefore(c, d)).toBe(true);
  });

  it('a concurrent pair: {n1: 2, n2: 1} and {n1: 1, n2: 2}', () => {
    const x = { n1: 2, n2: 1 };
    const y = { n1: 1, n2: 2 };
    expect(compare(x, y)).toBe('concurrent');
    expect(compare(y, x)).toBe('concurrent');
    expect(happenedBefore(x, y)).toBe(false);
    expect(happenedBefore(y, x)).toBe(false);
    expect(merge(x, y)).toEqual({ n1: 2, n2: 2 });
  });

  it('missing entries count 0 and are normalised away', () => {
    expect(compare({ n1: 1 }, { n1: 1, n2: 0 })).toBe('equal');
    expect(normalize({ n2: 0, n10: 1, n1: 3 })).toEqual({ n1: 3, n10: 1 });
    expect(Object.keys(normalize({ n10: 1, n2: 1, n1: 1 }))).toEqual(['n1', 'n2', 'n10']);
    expect(JSON.stringify(merge({ n2: 1, n1: 0 }, {}))).toBe('{"n2":1}');
    expect(entry({ n1: 4 }, 'n1')).toBe(4);
    expect(entry({ n1: 4 }, 'n9')).toBe(0);
    expect(compare({}, {})).toBe('equal');
  });

  it('functions never change their arguments and return frozen timestamps', () => {
    const a = { n1: 1 };
    const b = tick(a, 'n1');
    expect(a).toEqual({ n1: 1 });
    expect(b).toEqual({ n1: 2 });
    expect(Object.isFrozen(b)).toBe(true);
    expect(Object.isFrozen(merge(a, b))).toBe(true);
  });

  it('node ids that are also Object.prototype names are ordinary keys', () => {
    const odd = tick(tick({}, '__proto__'), 'constructor');
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
    expect(entry(odd, '__proto__')).toBe(1);
    expect(entry(odd, 'constructor')).toBe(1);
    expect(entry({ n1: 1 }, 'toString')).toBe(0);
    expect(compare({ n1: 1 }, odd)).toBe('concurrent');
    expect(merge(odd, odd)).toEqual(odd);
  });

  it('the class starts empty, and receive is merge then tick', () => {
    const clock = new VectorClock('n2', { n1: 0, n2: 3 });
    expect(clock.value).toEqual({ n2: 3 });
    expect(clock.receive({ n1: 5, n3: 1 })).toEqual({ n1: 5, n2: 4, n3: 1 });
    expect(new VectorClock('n1').value).toEqual({});
  });

  it('the class gives what tick and merge give, step by step, fast paths or not (property)', () => {
    const op = fc.oneof(fc.constant(null), vc);
    fc.assert(
      fc.property(fc.constantFrom('n1', 'n2', 'n3'), vc, fc.array(op, { maxLength: 12 }), (owner, initial, ops) => {
        const clock = new VectorClock(owner, initial);
        let expected = normalize(initial);
        for (const remote of ops) {
          expected = remote === null ? tick(expected, owner) : tick(merge(expected, remote), owner);
          const got = remote === null ? clock.tick() : clock.receive(remote);
          expect(got).toStrictEqual(expected);
          expect(Object.keys(got)).toEqual(Object.keys(expected));
          expect(Object.isFrozen(got)).toBe(true);
        }
      }),
    );
    const clock = new VectorClock('n1', { n1: 1, n2: 1 });
    expect(() => clock.receive({ n2: -1 })).toThrow(/vector clock entry "n2", got -1/);
    expect(() => clock.receive({ n3: 1.5 })).toThrow(FaultlineError);
    expect(clock.value).toEqual({ n1: 1, n2: 1 });
  });

  it('rejects bad entries and node ids with a FaultlineError', () => {
    expect(() => tick({ n1: -1 }, 'n1')).toThrow(FaultlineError);
    expect(() => merge({ n1: 1.5 }, {})).toThrow(/expected a non-negative integer for vector clock entry "n1", got 1.5/);
    expect(() => compare({ n1: Number.NaN }, {})).toThrow(FaultlineError);
    expect(() => tick({}, '')).toThrow(expect.objectContaining({ code: 'invalid-node-id' }));
    expect(() => new VectorClock('')).toThrow(FaultlineError);
    expect(() => normalize({ n1: 2 ** 53 })).toThrow(expect.objectContaining({ code: 'invalid-counter' }));
  });
});

describe('vector clock laws', () => {
  it('merge is commutative', () => {
    fc.assert(
      fc.property(vc, vc, (a, b) => {
        expect(merge(a, b)).toEqual(merge(b, a));
      }),
    );
  });

  it('merge is associative', () => {
    fc.assert(
      fc.property(vc, vc, vc, (a, b, c) => {
        expect(merge(merge(a, b), c)).toEqual(merge(a, merge(b, c)));
      }),
    );
  });

  it('merge is idempotent', () => {
    fc.assert(
      fc.property(vc, (a) => {
        expect(merge(a, a)).toEqual(normalize(a));
      }),
    );
  });

  it('merge is the least upper bound: a ≤ merge(a, b), b ≤ merge(a, b), and below any other bound', () => {
    fc.assert(
      fc.property(vc, vc, vc, (a, b, c) => {
        const m = merge(a, b);
        expect(atMost(a, m)).toBe(true);
        expect(atMost(b, m)).toBe(true);
        if (atMost(a, c) && atMost(b, c)) expect(atMost(m, c)).toBe(true);
      }),
    );
  });

  it('compare is antisymmetric: swapping the arguments mirrors the answer', () => {
    const mirror = { before: 'after', after: 'before', equal: 'equal', concurrent: 'concurrent' } as const;
    fc.assert(
      fc.property(vc, vc, (a, b) => {
        expect(compare(b, a)).toBe(mirror[compare(a, b)]);
      }),
    );
  });

  it('compare is consistent with merge: a ≤ b iff merge(a, b) = b', () => {
    fc.assert(
      fc.property(vc, vc, (a, b) => {
        expect(atMost(a, b)).toBe(compare(merge(a, b), b) === 'equal');
        expect(compare(a, b) === 'equal').toBe(JSON.stringify(normalize(a)) === JSON.stringify(normalize(b)));
      }),
    );
  });

  it('tick moves strictly forward: vc < tick(vc, n)', () => {
    fc.assert(
      fc.property(vc, fc.constantFrom('n1', 'n5'), (a, n) => {
        expect(compare(a, tick(a, n))).toBe('before');
      }),
    );
  });

  it('happenedBefore is irreflexive, asymmetric and transitive on arbitrary timestamps', () => {
    fc.assert(
      fc.property(vc, vc, vc, (a, b, c) => {
        expect(happenedBefore(a, a)).toBe(false);
        if (happenedBefore(a, b)) expect(happenedBefore(b, a)).toBe(false);
        if (happenedBefore(a, b) && happenedBefore(b, c)) expect(happenedBefore(a, c)).toBe(true);
      }),
    );
  });
});
