/**
 * Is one partition of a history linearizable? (pure). Wing & Gong's search with Lowe's memo, as
 * Porcupine does it: the calls and returns in a doubly linked list; take the first call whose
 * operation can take effect now, lift it and its return out of the list, and go on; at a return
 * whose operation is not yet placed, undo the last choice. A (placed operations, state) pair seen
 * before is never searched again. Operations whose end is unknown (`info`, return at infinity)
 * may be placed or left out: the search succeeds once every `ok` operation is placed.
 *
 * Not linearizable: the longest order found that places operations legally (`prefix`), and the
 * operation that could not be placed before its return at that point (`stuck`). Past `deadline`
 * (a `performance.now()` reading) the answer is `unknown`, never a guess.
 *
 * Speed (a step is what the inner loop does once): no objects and no text in the loop. The list is
 * typed arrays indexed by entry (0 the head), operations are numbered by their call (so the placed
 * set is nearly a prefix, see `memo.ts`), the model is compiled to a step on interned integer
 * states (`models.ts`), and the memo is keyed by the set's Zobrist hash and the state's integer.
 */
import { Memo } from './memo.js';
import type { Model } from './models.js';
import type { Operation } from './operations.js';

export type PartitionVerdict =
  | { readonly result: 'ok'; readonly order: number[] }
  | { readonly result: 'fail'; readonly prefix: number[]; readonly stuck: number }
  | { readonly result: 'unknown' };

/** A random 32-bit key for each operation (a fixed seed: the search is the same every run). */
function zobristKeys(n: number): Int32Array {
  const keys = new Int32Array(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    // xorshift32
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    keys[i] = x;
  }
  return keys;
}

/** How often the clock is read (a search step is cheap; a clock read is not). */
const CLOCK_EVERY = 1024;

export function searchPartition(ops: readonly Operation[], model: Model, deadline: number, now: () => number): PartitionVerdict {
  const n = ops.length;
  // The list: calls and returns by time; at equal times calls first (the two overlap), then by
  // the operation's place in `ops`. Entry 0 is the head; -1 is the end.
  const order: number[] = [];
  for (let i = 0; i < n; i++) order.push(2 * i, 2 * i + 1);
  const timeOf = (x: number): number => (x & 1 ? ops[x >> 1].ret : ops[x >> 1].call);
  order.sort((x, y) => timeOf(x) - timeOf(y) || (x & 1) - (y & 1) || (x >> 1) - (y >> 1));
  // Operations renumbered by the order of their calls: `byCall[r]` is the index in `ops`.
  const byCall = new Int32Array(n);
  const rank = new Int32Array(n);
  let calls = 0;
  for (const x of order) {
    if (x & 1) continue;
    byCall[calls] = x >> 1;
    rank[x >> 1] = calls++;
  }
  const size = 2 * n + 1;
  const opOf = new Int32Array(size); // the operation (by call rank) of an entry
  const isCall = new Uint8Array(size);
  const next = new Int32Array(size);
  const prev = new Int32Array(size);
  const returnOf = new Int32Array(n); // the return entry of an operation (by call rank)
  order.forEach((x, k) => {
    const e = k + 1;
    const r = rank[x >> 1];
    opOf[e] = r;
    if (x & 1) returnOf[r] = e;
    else isCall[e] = 1;
    prev[e] = e - 1;
    next[e - 1] = e;
  });
  next[size - 1] = -1;
  prev[0] = -1;

  const ranked = Array.from(byCall, (i) => ops[i]);
  const compiled = model.compile(ranked);
  const okOp = new Uint8Array(n);
  let mustPlace = 0;
  for (let r = 0; r < n; r++) {
    if (ranked[r].status !== 'ok') continue;
    okOp[r] = 1;
    mustPlace += 1;
  }

  // The placed set: `low` is its first word not all ones, `high` its last word not zero.
  const words = Math.ceil(n / 32);
  const placed = new Int32Array(words);
  let low = 0;
  let high = -1;
  const zobrist = zobristKeys(n);
  let hash = 0;
  const memo = new Memo();
  // The stack of choices: the call entry placed, and the state before it.
  const stackCall = new Int32Array(n);
  const stackState = new Int32Array(n);
  let depth = 0;
  let state = compiled.init;
  let placedOk = 0;
  // The deepest dead end so far: the stack then (as ids) and the operation stuck there. Only the
  // part of the stack changed since the last copy is copied (`kept`: the lowest depth undone since),
  // so the copies cost no more than the pushes: copying it all at each new depth was quadratic.
  const bestPrefix: number[] = [];
  let bestStuck = -1;
  let kept = 0;
  const idOf = (call: number): number => ops[byCall[opOf[call]]].id;
  let steps = 0;
  let e = next[0];
  while (placedOk < mustPlace) {
    if (++steps % CLOCK_EVERY === 0 && now() > deadline) return { result: 'unknown' };
    if (e < 0) break;
    const r = opOf[e];
    if (isCall[e] === 1) {
      const after = compiled.step(state, r);
      if (after >= 0) {
        const w = r >> 5;
        const bit = 1 << (r & 31);
        placed[w] |= bit;
        hash ^= zobrist[r];
        const wasLow = low;
        const wasHigh = high;
        if (w > high) high = w;
        while (low < words && placed[low] === -1) low += 1;
        if (memo.add(hash, after, placed, low, high)) {
          stackCall[depth] = e;
          stackState[depth] = state;
          depth += 1;
          state = after;
          placedOk += okOp[r];
          // lift the call and its return out of the list
          const ret = returnOf[r];
          next[prev[e]] = next[e];
          prev[next[e]] = prev[e];
          next[prev[ret]] = next[ret];
          if (next[ret] >= 0) prev[next[ret]] = prev[ret];
          e = next[0];
          continue;
        }
        placed[w] &= ~bit;
        hash ^= zobrist[r];
        low = wasLow;
        high = wasHigh;
      }
      e = next[e];
      continue;
    }
    // A return whose operation is not placed: nothing before it can be undone differently here.
    if (depth > bestPrefix.length || bestStuck < 0) {
      for (let d = kept; d < depth; d++) bestPrefix[d] = idOf(stackCall[d]);
      bestPrefix.length = depth;
      bestStuck = ops[byCall[r]].id;
      kept = depth;
    }
    if (depth === 0) return { result: 'fail', prefix: bestPrefix, stuck: bestStuck };
    depth -= 1;
    if (depth < kept) kept = depth;
    const call = stackCall[depth];
    state = stackState[depth];
    const u = opOf[call];
    const w = u >> 5;
    placed[w] &= ~(1 << (u & 31));
    hash ^= zobrist[u];
    if (w < low) low = w;
    while (high >= 0 && placed[high] === 0) high -= 1;
    placedOk -= okOp[u];
    // put the call and its return back
    const ret = returnOf[u];
    next[prev[ret]] = ret;
    if (next[ret] >= 0) prev[next[ret]] = ret;
    next[prev[call]] = call;
    prev[next[call]] = call;
    e = next[call];
  }
  if (placedOk < mustPlace) return { result: 'fail', prefix: bestPrefix, stuck: bestStuck };
  return { result: 'ok', order: Array.from(stackCall.subarray(0, depth), idOf) };
}
