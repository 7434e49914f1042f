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
 */
import type { Model } from './models.js';
import type { Operation } from './operations.js';

export type PartitionVerdict =
  | { readonly result: 'ok'; readonly order: number[] }
  | { readonly result: 'fail'; readonly prefix: number[]; readonly stuck: number }
  | { readonly result: 'unknown' };

interface Entry {
  readonly op: number;
  readonly call: boolean;
  readonly time: number;
  match: Entry | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

/** The list: calls and returns by time; at equal times calls first (the two overlap). */
function entries(ops: readonly Operation[]): Entry {
  const list: Entry[] = [];
  ops.forEach((op, i) => {
    const call: Entry = { op: i, call: true, time: op.call, match: undefined, prev: undefined, next: undefined };
    const ret: Entry = { op: i, call: false, time: op.ret, match: undefined, prev: undefined, next: undefined };
    call.match = ret;
    list.push(call, ret);
  });
  list.sort((a, b) => a.time - b.time || Number(b.call) - Number(a.call) || a.op - b.op);
  const head: Entry = { op: -1, call: false, time: -Infinity, match: undefined, prev: undefined, next: undefined };
  let last = head;
  for (const e of list) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

function lift(call: Entry): void {
  call.prev!.next = call.next;
  call.next!.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

function unlift(call: Entry): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  call.next!.prev = call;
}

/** A random 32-bit key an operation (a fixed seed: the search is the same every run). */
function zobristKeys(n: number): Uint32Array {
  const keys = new Uint32Array(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    // xorshift32
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    keys[i] = x >>> 0;
  }
  return keys;
}

function equalBits(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How often the clock is read (a search step is cheap; a clock read is not). */
const CLOCK_EVERY = 1024;

export function searchPartition(ops: readonly Operation[], model: Model, deadline: number, now: () => number): PartitionVerdict {
  const head = entries(ops);
  const mustPlace = ops.filter((op) => op.status === 'ok').length;
  const placed = new Uint32Array(Math.ceil(ops.length / 32));
  // The memo: (placed set, state) pairs seen, by a Zobrist hash of the set (updated as operations
  // are placed and undone, never recomputed) and the state's text; equal sets checked bit by bit.
  const zobrist = zobristKeys(ops.length);
  let hash = 0;
  const seen = new Map<string, Uint32Array[]>();
  const stack: { call: Entry; state: unknown }[] = [];
  let state = model.init;
  let placedOk = 0;
  let best: { prefix: number[]; stuck: number } = { prefix: [], stuck: -1 };
  let steps = 0;
  let entry = head.next;
  while (placedOk < mustPlace) {
    if (++steps % CLOCK_EVERY === 0 && now() > deadline) return { result: 'unknown' };
    if (entry === undefined) break;
    if (entry.call) {
      const op = ops[entry.op];
      const { ok, next } = model.step(state, op);
      if (ok) {
        placed[entry.op >> 5] |= 1 << (entry.op & 31);
        hash ^= zobrist[entry.op];
        const key = `${hash}|${JSON.stringify(next ?? null)}`;
        const same = seen.get(key);
        if (!same?.some((bits) => equalBits(bits, placed))) {
          if (same) same.push(placed.slice());
          else seen.set(key, [placed.slice()]);
          stack.push({ call: entry, state });
          state = next;
          if (op.status === 'ok') placedOk += 1;
          lift(entry);
          entry = head.next;
          continue;
        }
        placed[entry.op >> 5] &= ~(1 << (entry.op & 31));
        hash ^= zobrist[entry.op];
      }
      entry = entry.next;
      continue;
    }
    // A return whose operation is not placed: nothing before it can be undone differently here.
    // Copied only when deeper than before: a copy at every undo would make the search quadratic.
    if (stack.length > best.prefix.length || best.stuck < 0) best = { prefix: stack.map((s) => ops[s.call.op].id), stuck: ops[entry.op].id };
    const top = stack.pop();
    if (!top) return { result: 'fail', ...best };
    state = top.state;
    placed[top.call.op >> 5] &= ~(1 << (top.call.op & 31));
    hash ^= zobrist[top.call.op];
    if (ops[top.call.op].status === 'ok') placedOk -= 1;
    unlift(top.call);
    entry = top.call.next;
  }
  if (placedOk < mustPlace) return { result: 'fail', ...best };
  return { result: 'ok', order: stack.map((s) => ops[s.call.op].id) };
}
