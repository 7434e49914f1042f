/**
 * The search's memo (pure): the (placed operations, state) pairs seen. The placed set is a bitset
 * over operations numbered by their call, with a Zobrist hash the search keeps up to date; the
 * state is an interned integer.
 *
 * Small: the search places operations roughly in call order, so a set is all ones up to a low
 * word, then a few mixed words, then zeros. Only the mixed words are kept (`low` is the first word
 * not all ones, `high` the last not zero): with 10 or 20 clients that is one word or none, kept in
 * the table's slot itself; longer ones go to a pool. A slot is four integers (hash, state, low and
 * length, the word or the pool offset) in one Int32Array, open addressing: a lookup usually reads
 * one cache line, and there is no object per entry.
 *
 * Bounded: two generations of at most `entries` pairs (and `poolWords` pooled words) each. When the
 * young one is full the old one is dropped and the young one becomes old; a pair found in the old
 * one is copied to the young one. Forgetting a pair never changes the answer (the memo only prunes:
 * a forgotten pair is searched again and fails again, with no deeper dead end than was already
 * found), it can only cost time. A smaller table is also faster: what the search still meets stays
 * in cache.
 */

function mix(hash: number, state: number): number {
  let h = (hash ^ Math.imul(state + 1, 0x9e3779b1)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** A slot's third integer: 0 for an empty slot, else the low word and whether the words are in the slot (length 0 or 1). */
function metaOf(low: number, len: number): number {
  return ((low + 1) << 2) | (len <= 1 ? (len << 1) | 1 : 0);
}

/** One generation: slots of [hash, state, meta, word or pool offset], at most half full. */
class Table {
  slots = new Int32Array(4 << 6);
  mask = (1 << 6) - 1;
  pool = new Int32Array(1 << 6);
  used = 0;
  count = 0;

  /** -1 when the pair is here, else the empty slot where it would go. */
  probe(mixed: number, hash: number, state: number, meta: number, bits: Int32Array, low: number, len: number): number {
    const s = this.slots;
    for (let i = mixed & this.mask; ; i = (i + 1) & this.mask) {
      const j = i << 2;
      const m = s[j + 2];
      if (m === 0) return i;
      if (m !== meta || s[j] !== hash || s[j + 1] !== state) continue;
      if (meta & 1) {
        if (len === 0 || s[j + 3] === bits[low]) return -1;
        continue;
      }
      const p = this.pool;
      let at = s[j + 3];
      if (p[at++] !== len) continue;
      let same = true;
      for (let k = 0; k < len; k++, at++) {
        if (p[at] !== bits[low + k]) {
          same = false;
          break;
        }
      }
      if (same) return -1;
    }
  }

  insert(slot: number, hash: number, state: number, meta: number, bits: Int32Array, low: number, len: number): void {
    const j = slot << 2;
    const s = this.slots;
    s[j] = hash;
    s[j + 1] = state;
    s[j + 2] = meta;
    if (meta & 1) s[j + 3] = len === 0 ? 0 : bits[low];
    else {
      if (this.used + 1 + len > this.pool.length) {
        const grown = new Int32Array(Math.max(this.pool.length * 2, this.used + 1 + len));
        grown.set(this.pool.subarray(0, this.used));
        this.pool = grown;
      }
      const p = this.pool;
      s[j + 3] = this.used;
      p[this.used++] = len;
      for (let k = 0; k < len; k++) p[this.used++] = bits[low + k];
    }
    if (++this.count * 2 > this.mask + 1) this.grow();
  }

  clear(): void {
    this.slots.fill(0);
    this.used = 0;
    this.count = 0;
  }

  private grow(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(size * 4);
    const mask = size - 1;
    for (let j = 0; j < old.length; j += 4) {
      if (old[j + 2] === 0) continue;
      let i = mix(old[j], old[j + 1]) & mask;
      while (slots[(i << 2) + 2] !== 0) i = (i + 1) & mask;
      const k = i << 2;
      slots[k] = old[j];
      slots[k + 1] = old[j + 1];
      slots[k + 2] = old[j + 2];
      slots[k + 3] = old[j + 3];
    }
    this.slots = slots;
    this.mask = mask;
  }
}

export class Memo {
  private young = new Table();
  private old = new Table();

  /** At most `entries` pairs and `poolWords` pooled words (4 bytes each) in each generation. */
  constructor(
    private readonly entries: number = 1 << 19,
    private readonly poolWords: number = 1 << 22,
  ) {}

  /** Adds (`bits[low..high]`, `state`) unless present: true when it was new. */
  add(hash: number, state: number, bits: Int32Array, low: number, high: number): boolean {
    const len = high >= low ? high - low + 1 : 0;
    const meta = metaOf(low, len);
    const mixed = mix(hash, state);
    let slot = this.young.probe(mixed, hash, state, meta, bits, low, len);
    if (slot < 0) return false;
    const seen = this.old.count > 0 && this.old.probe(mixed, hash, state, meta, bits, low, len) < 0;
    const pooled = len <= 1 ? 0 : 1 + len;
    if (pooled > this.poolWords) return !seen;
    if (this.young.count >= this.entries || this.young.used + pooled > this.poolWords) {
      const dropped = this.old;
      dropped.clear();
      this.old = this.young;
      this.young = dropped;
      slot = this.young.probe(mixed, hash, state, meta, bits, low, len);
    }
    this.young.insert(slot, hash, state, meta, bits, low, len);
    return !seen;
  }
}
