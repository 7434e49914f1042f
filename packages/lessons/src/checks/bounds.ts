/** A figure against the bounds a check gives (`equals`, `min`, `max`): whether it holds, in words. */
export interface Bounds {
  readonly equals?: number;
  readonly min?: number;
  readonly max?: number;
}

/** `expected` is `expected ≥ 1 and ≤ 5`, or empty when no bound is given (a sweep's measure). */
export function withinBounds(n: number, b: Bounds): { held: boolean; expected: string } {
  const parts: string[] = [];
  let held = true;
  if (b.equals !== undefined) {
    parts.push(`= ${b.equals}`);
    held &&= n === b.equals;
  }
  if (b.min !== undefined) {
    parts.push(`≥ ${b.min}`);
    held &&= n >= b.min;
  }
  if (b.max !== undefined) {
    parts.push(`≤ ${b.max}`);
    held &&= n <= b.max;
  }
  return { held, expected: parts.length ? `expected ${parts.join(' and ')}` : '' };
}
