/** The lab's seed: drawn when not given, printed, and handed (derived) to the proxy and every node. */
import { randomInt } from 'node:crypto';
import { FaultlineError } from '@faultline/protocol';
import { deriveSeed } from '@faultline/random';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A fresh seed: a non-negative integer small enough to read aloud and to fit a double. */
export function drawSeed(): string {
  return String(randomInt(0, 2 ** 47));
}

/** Checks a seed given by a person: an integer that fits 64 bits (what the proxy accepts). */
export function checkSeed(seed: string): string {
  const ok = /^-?[0-9]+$/.test(seed) && BigInt(seed) >= INT64_MIN && BigInt(seed) <= INT64_MAX;
  if (!ok) throw new FaultlineError('bad-request', `expected a 64-bit integer seed, got ${JSON.stringify(seed)}`);
  return seed;
}

/**
 * The seed of node number `index` (n1 is 1): different for every node, the same for every run with
 * the same lab seed, and always a non-negative safe integer.
 */
export function nodeSeed(labSeed: string, index: number): string {
  return String(deriveSeed(BigInt(labSeed), `node:n${index}`));
}
