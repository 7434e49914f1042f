/**
 * faultline's one seeded pseudo-random generator, pure: sfc32, seeded through splitmix32 from a
 * 64-bit seed and a label. Every random choice of the lab draws from an `Rng` made from the run's
 * seed and a stable label naming what draws (the proxy: proxy, connection, direction, toxic; a
 * node: `reconnect:<id>`), so one seed replays one run's choices, whatever else draws meanwhile.
 * It imports nothing: every package may use it.
 */
export interface Rng {
  /** Uniform float in [0, 1) (a closure: it may be passed on alone, `Array.from({ length }, rng.next)`). */
  readonly next: () => number;
  /** Uniform integer in [0, n) for n >= 1 (like Go's rand.Intn). */
  readonly int: (n: number) => number;
}

const TWO_32 = 4294967296;

function splitmix32(state: number): () => number {
  let a = state;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** FNV-1a-like hash of the label's UTF-16 units, from `h`. */
function hashLabel(label: string, h: number): number {
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The same sequence for the same seed (taken modulo 2^64) and label; another label, another sequence. */
export function createRng(seed: number | bigint, label = ''): Rng {
  const big = BigInt.asUintN(64, BigInt(seed));
  const lo = Number(big & 0xffffffffn);
  const hi = Number(big >> 32n);
  const mix = splitmix32(hashLabel(label, lo ^ 0x811c9dc5) ^ Math.imul(hi, 0x9e3779b1));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  return {
    next: () => u32() / TWO_32,
    int: (n: number) => Math.floor((u32() / TWO_32) * n),
  };
}

/**
 * A seed for a part of a run (a node: `node:n2`) from the run's seed: the same for the same seed and
 * label, different for another label; a non-negative integer below 2^53 (it fits a double and a flag).
 */
export function deriveSeed(seed: number | bigint, label: string): bigint {
  const rng = createRng(seed, `seed:${label}`);
  const hi = BigInt(rng.int(2 ** 21));
  const lo = BigInt(Math.floor(rng.next() * TWO_32));
  return (hi << 32n) | lo;
}
