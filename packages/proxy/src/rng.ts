/**
 * Seeded pseudo-random numbers: sfc32 seeded through splitmix32 from a 64-bit-ish seed and a label.
 * Every random decision of the proxy (toxicity, jitter, slicer sizes, message toxics) draws from an
 * `Rng` derived from the server seed and a stable label (proxy, connection number, direction, toxic),
 * so the same seed and the same traffic give the same decisions, whatever other links do.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n) for n >= 1 (like Go's rand.Intn). */
  int(n: number): number;
}

function splitmix32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t = t ^ (t >>> 15);
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

function hashString(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function createRng(seed: number | bigint, label = ''): Rng {
  const big = BigInt.asUintN(64, BigInt(seed));
  const lo = Number(big & 0xffffffffn);
  const hi = Number(big >> 32n);
  const mix = splitmix32(hashString(label, lo ^ 0x811c9dc5) ^ Math.imul(hi, 0x9e3779b1));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const u32 = (): number => {
    a |= 0; b |= 0; c |= 0; d |= 0;
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
    next: () => u32() / 4294967296,
    int: (n: number) => Math.floor((u32() / 4294967296) * n),
  };
}
