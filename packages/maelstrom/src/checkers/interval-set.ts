/**
 * A set of integers as sorted, disjoint, closed ranges (pure): what a counter may read. It starts
 * as one value, and `orPlus(d)` keeps every value and adds every value + d (an add that may or
 * may not have happened), merging ranges that touch. Past `maxRanges` it keeps only its hull
 * (lowest to highest), which accepts more, never less, and says so (`approximate`).
 */
export class IntervalSet {
  private constructor(
    readonly ranges: readonly (readonly [number, number])[],
    readonly approximate: boolean,
  ) {}

  static of(value: number): IntervalSet {
    return new IntervalSet([[value, value]], false);
  }

  orPlus(delta: number, maxRanges = 4096): IntervalSet {
    if (delta === 0) return this;
    const all = [...this.ranges, ...this.ranges.map(([lo, hi]) => [lo + delta, hi + delta] as const)].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [lo, hi] of all) {
      const last = merged[merged.length - 1];
      if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else merged.push([lo, hi]);
    }
    if (merged.length > maxRanges) return new IntervalSet([[merged[0][0], merged[merged.length - 1][1]]], true);
    return new IntervalSet(merged, this.approximate);
  }

  has(value: number): boolean {
    return this.ranges.some(([lo, hi]) => lo <= value && value <= hi);
  }

  /** `45…52`, `3 or 5…7` (the first few ranges). */
  text(max = 4): string {
    const parts = this.ranges.slice(0, max).map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}…${hi}`));
    return parts.join(' or ') + (this.ranges.length > max ? ` or ${this.ranges.length - max} more ranges` : '');
  }
}
