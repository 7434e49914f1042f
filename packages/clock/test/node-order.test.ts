import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareNodeIds } from '../src/index.js';

/** The order this replaces: numeric collation, code-unit order breaking ties. */
const collator = new Intl.Collator('en', { numeric: true });
const reference = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

const labId = fc.integer({ min: 1, max: 99_999 }).map((n) => `n${n}`);
const anyName = fc.oneof(labId, fc.string({ maxLength: 6 }), fc.constantFrom('n0', 'n01', 'N2', 'n', 'n1a', 'constructor'));

describe('compareNodeIds', () => {
  it('orders lab ids numerically: n1 < n2 < n10', () => {
    expect(['n10', 'n2', 'n1', 'n100', 'n9'].sort(compareNodeIds)).toEqual(['n1', 'n2', 'n9', 'n10', 'n100']);
  });

  it('agrees with numeric collation on any pair of names', () => {
    fc.assert(
      fc.property(anyName, anyName, (a, b) => {
        expect(Math.sign(compareNodeIds(a, b))).toBe(Math.sign(reference(a, b)));
      }),
      { numRuns: 5_000 },
    );
  });
});
