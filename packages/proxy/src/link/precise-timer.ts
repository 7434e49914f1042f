/**
 * One process-wide timer queue with sub-millisecond precision.
 *
 * Node's setTimeout works in whole milliseconds against a loop clock cached at the start of each
 * loop turn, so a 50 ms delay typically fires 0–2 ms late. The latency toxic must be within 0.3 ms
 * on average, so: sleep with setTimeout until ~1.5 ms before the earliest deadline, then poll with
 * setImmediate (which still lets I/O run) until performance.now() reaches it. One queue (a binary
 * heap) serves every link, so there is at most one timer and one poll loop in the process.
 */
import { performance } from 'node:perf_hooks';

export interface TimerHandle { cancelled: boolean; readonly atMs: number }

interface Entry extends TimerHandle { fn: () => void; seq: number }

/** setTimeout's limit (a longer delay fires after 1 ms); later deadlines re-arm when it fires. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** Spin this long before a deadline at least; grows to cover how late setTimeout was seen waking. */
const MIN_SPIN_MS = 1;
const MAX_SPIN_MS = 8;
let recentLatenessMs = 1;
/** Keep polling this long after I/O (busy-poll), so the next packet needs no wake-up. 0 turns it off. */
let hotMs = 0;
let hotUntilMs = 0;
let timerSetForMs = 0;

function spinWindowMs(): number {
  return Math.min(MAX_SPIN_MS, Math.max(MIN_SPIN_MS, recentLatenessMs + 0.5));
}

/** Sets the busy-poll window (ms; 0 disables). */
export function setBusyPollMs(ms: number): void {
  hotMs = ms;
}

/** Notes I/O activity: with busy-poll on, the loop keeps polling for `hotMs` instead of sleeping. */
export function touch(): void {
  if (hotMs <= 0) return;
  hotUntilMs = performance.now() + hotMs;
  if (!spinning) {
    spinning = true;
    setImmediate(spin);
  }
}

const heap: Entry[] = [];
let seq = 0;
let timer: NodeJS.Timeout | undefined;
let timerAtMs = Infinity;
let spinning = false;

export function nowMs(): number {
  return performance.now();
}

function less(a: Entry, b: Entry): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}

function push(e: Entry): void {
  heap.push(e);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(heap[i], heap[p])) break;
    [heap[i], heap[p]] = [heap[p], heap[i]];
    i = p;
  }
}

function pop(): Entry | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0 && last) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
  return top;
}

/**
 * Due callbacks run for at most this long in one turn; the rest run on the next turn, after the
 * event loop has polled the sockets (so many busy links cannot starve the others or the API).
 */
const MAX_TURN_MS = 5;

function runDue(): void {
  const now = performance.now();
  while (heap.length > 0 && heap[0].atMs <= now) {
    const e = pop()!;
    if (!e.cancelled) e.fn();
    if (performance.now() - now > MAX_TURN_MS) break;
  }
  while (heap.length > 0 && heap[0].cancelled) pop();
}

function arm(): void {
  if (spinning) return;
  const now = performance.now();
  if (now < hotUntilMs || (heap.length > 0 && heap[0].atMs - now <= spinWindowMs())) {
    spinning = true;
    setImmediate(spin);
    return;
  }
  if (heap.length === 0) return;
  const at = heap[0].atMs;
  if (timer !== undefined && timerAtMs <= at) return;
  if (timer !== undefined) clearTimeout(timer);
  timerAtMs = at;
  const delay = Math.min(MAX_TIMEOUT_MS, Math.max(1, Math.floor(at - now - spinWindowMs())));
  timerSetForMs = now + delay;
  timer = setTimeout(() => {
    const late = performance.now() - timerSetForMs;
    if (delay < MAX_TIMEOUT_MS) recentLatenessMs = Math.min(MAX_SPIN_MS, Math.max(late, recentLatenessMs * 0.99));
    timer = undefined;
    timerAtMs = Infinity;
    arm();
  }, delay);
  // The proxy's listeners keep the process alive; a pending toxic deadline alone should not.
  timer.unref();
}

function spin(): void {
  spinning = false;
  runDue();
  arm();
}

/** Runs `fn` once performance.now() >= atMs (immediately, on the next turn, if already due). */
export function scheduleAt(atMs: number, fn: () => void): TimerHandle {
  const e: Entry = { atMs, fn, seq: seq++, cancelled: false };
  push(e);
  if (heap[0] === e) arm();
  return e;
}

export function cancel(handle: TimerHandle | undefined): void {
  if (!handle || handle.cancelled) return;
  handle.cancelled = true;
  if (heap[0] !== handle) return;
  while (heap.length > 0 && heap[0].cancelled) pop();
  if (heap.length === 0 && timer !== undefined) {
    clearTimeout(timer);
    timer = undefined;
    timerAtMs = Infinity;
  }
}

/** Number of live entries (for tests and leak checks). */
export function pendingTimers(): number {
  return heap.filter((e) => !e.cancelled).length;
}
