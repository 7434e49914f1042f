import type { Rng } from '@faultline/random';

/** An Rng that answers `int` with the given numbers in turn (each must be below the n asked), for transcripts. */
export function scriptedRng(...ints: number[]): Rng & { readonly left: () => number } {
  const queue = [...ints];
  const int = (n: number): number => {
    const v = queue.shift();
    if (v === undefined) throw new Error(`scriptedRng: no number left (asked for one below ${n})`);
    if (v >= n) throw new Error(`scriptedRng: ${v} is not below ${n}`);
    return v;
  };
  return { int, next: () => int(1_000_000) / 1_000_000, left: () => queue.length };
}
