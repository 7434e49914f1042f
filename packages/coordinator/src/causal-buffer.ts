/**
 * Puts the trace in causal order (pure: time comes in as an argument, nothing here reads a clock
 * or sets a timer). Each node reports its events over its own control channel, so the coordinator
 * hears a node's events in the node's order, but hears different nodes in either order: n2's
 * receive of `n1-3` can arrive before n1's send of it. This buffer holds a line until every line
 * it causally depends on has been let out, as causal broadcast does (Birman, Schiper, Stephenson
 * 1991), so what it lets out is a linear extension of happened-before:
 *
 * - a node's lines leave in the order the node made them (one queue a node);
 * - a receive leaves after the send of its message (`after`: sender and message id);
 * - a node line with vector clock `vc` leaves once, for every other node k, `vc[k]` events of k
 *   have left (each event of a node ticks its own entry once, so that is k's `vc[k]`-th line):
 *   this covers the causal past the message ids alone would miss (e.g. after a revive, when an id
 *   may repeat);
 * - a lab line about a node (a crash, the proxy dropping its message) waits behind that node's
 *   lines; a lab line about no node leaves at once.
 *
 * A cause that will never be reported must not stop the trace: when a node's control channel
 * closes (it was killed, it exited), nothing more will come from that life, so nothing waits for
 * it any longer; and no line is held longer than `maxHoldMs` after it arrived (a node that is
 * alive but whose report is lost or very late, or clocks that are wrong). Such a line is let out
 * without its cause (`forced`); its cause, if it ever comes, is written after it.
 */
import type { VectorTimestamp } from '@faultline/clock';

export interface CausalItem<T> {
  readonly value: T;
  /** The node whose queue it waits in (its own line, or a lab line about it); none: no wait. */
  readonly node?: string;
  /** A node's own line: its vector clock. */
  readonly vc?: VectorTimestamp;
  /** A receive: the send it must come after. */
  readonly after?: { readonly node: string; readonly msg: string };
  /** A send: its message id (receives of it may leave once it has). */
  readonly sends?: string;
}

interface Held<T> extends CausalItem<T> {
  readonly deadlineMs: number;
  settled?: (() => void)[];
}

/** How many sends are remembered, at least (two generations: the older is dropped whole). */
const REMEMBERED_SENDS = 50_000;

export class CausalBuffer<T> {
  private readonly queues = new Map<string, Held<T>[]>();
  /** node → the highest own vector clock entry among its lines let out. */
  private readonly seen = new Map<string, number>();
  private sent = new Set<string>();
  private older = new Set<string>();
  /** Nodes whose control channel is closed: nothing more will come from them. */
  private readonly gone = new Set<string>();

  constructor(
    private readonly emit: (value: T, forced: boolean) => void,
    readonly maxHoldMs = 2_000,
  ) {}

  /** Items that arrived together, in order; whatever can leave, leaves now. */
  push(items: readonly CausalItem<T>[], nowMs: number): void {
    for (const item of items) {
      if (item.node === undefined) {
        // Nothing waits for a lab line about no node, and it waits for nothing.
        this.let(item, false);
        continue;
      }
      const queue = this.queues.get(item.node) ?? [];
      this.queues.set(item.node, queue);
      queue.push({ ...item, deadlineMs: nowMs + this.maxHoldMs });
    }
    this.flush(nowMs);
  }

  /** `node`'s control channel closed: wait no more for anything of it. */
  closed(node: string, nowMs: number): void {
    this.gone.add(node);
    this.flush(nowMs);
  }

  /** `node` has a control channel again (revived): its lines are awaited again. */
  opened(node: string): void {
    this.gone.delete(node);
  }

  /** Calls `fn` once every line of `node` pushed so far has left (at once if none waits). */
  whenSettled(node: string, fn: () => void): void {
    const last = this.queues.get(node)?.at(-1);
    if (!last) {
      fn();
      return;
    }
    (last.settled ??= []).push(fn);
  }

  /** How many items wait. */
  get size(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  /** Lets out every item whose causes have left or whose hold is over; repeats while any left. */
  flush(nowMs: number): void {
    let moved = true;
    while (moved) {
      moved = false;
      for (const queue of this.queues.values()) {
        while (queue.length > 0) {
          const head = queue[0];
          const ready = this.ready(head);
          if (!ready && nowMs < head.deadlineMs) break;
          queue.shift();
          this.let(head, !ready);
          moved = true;
        }
      }
    }
  }

  /** When `flush` should be called again, or undefined when nothing waits. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const q of this.queues.values()) if (q.length > 0 && (next === undefined || q[0].deadlineMs < next)) next = q[0].deadlineMs;
    return next;
  }

  /** Lets out everything still waiting (at the end of a run), causes first where they are here. */
  drain(): void {
    this.flush(Number.POSITIVE_INFINITY);
  }

  private ready(item: Held<T>): boolean {
    const { after, vc, node } = item;
    if (after && !this.gone.has(after.node) && !this.sent.has(`${after.node}\u0000${after.msg}`) && !this.older.has(`${after.node}\u0000${after.msg}`)) return false;
    if (vc) {
      for (const k in vc) {
        if (k === node || this.gone.has(k)) continue;
        if (vc[k] > (this.seen.get(k) ?? 0)) return false;
      }
    }
    return true;
  }

  private let(item: CausalItem<T> & { settled?: (() => void)[] }, forced: boolean): void {
    const { node, vc, sends } = item;
    if (node !== undefined && vc) {
      const own = vc[node] ?? 0;
      if (own > (this.seen.get(node) ?? 0)) this.seen.set(node, own);
    }
    if (node !== undefined && sends !== undefined) {
      if (this.sent.size >= REMEMBERED_SENDS) {
        this.older = this.sent;
        this.sent = new Set();
      }
      this.sent.add(`${node}\u0000${sends}`);
    }
    this.emit(item.value, forced);
    for (const fn of item.settled ?? []) fn();
  }
}
