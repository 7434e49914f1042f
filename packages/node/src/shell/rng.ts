/**
 * Seeded pseudo-random numbers (sfc32, seeded through splitmix32 from a 64-bit seed and a label).
 * The node draws only the jitter of its reconnect backoff from it; the label is the node id, so
 * every node of a lab gets its own stream from the lab's one seed, and one seed replays one run.
 */
export type Rng = () => number;

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

function hash(label: string, h: number): number {
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Uniform floats in [0, 1), the same sequence for the same seed and label. */
export function createRng(seed: bigint, label: string): Rng {
  const big = BigInt.asUintN(64, seed);
  const lo = Number(big & 0xffffffffn);
  const hi = Number(big >> 32n);
  const mix = splitmix32(hash(label, lo ^ 0x811c9dc5) ^ Math.imul(hi, 0x9e3779b1));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}
