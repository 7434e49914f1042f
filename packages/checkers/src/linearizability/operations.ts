/**
 * A history's events paired into operations (pure): each `invoke` with its process's next
 * completion. `fail` operations are dropped (they certainly did not happen); `info` ones, and
 * invocations never completed, may or may not have happened, at any time after their call: their
 * return is at infinity. A read whose result is unknown (`info`) constrains nothing and is dropped.
 * Events are ordered by `time` when every event has one (ties keep the file's order), else by the
 * file's order; an operation's call and return are positions in that order.
 */
import type { HistoryEvent } from '@faultline/protocol';

export interface Operation {
  /** The index of its invocation in the history (0-based): how a counterexample names it. */
  readonly id: number;
  readonly process: string | number;
  readonly f: HistoryEvent['f'];
  readonly key?: string;
  /** What it was given: a write's or put's value, a cas's `[expected, new]`, an append's item. */
  readonly input: unknown;
  /** What it answered (a read's or get's value), when `ok`. */
  readonly output: unknown;
  /** Positions in the ordered history; `ret` is Infinity for an operation whose end is unknown. */
  readonly call: number;
  readonly ret: number;
  readonly status: 'ok' | 'info';
}

export type Paired = { readonly ok: true; readonly ops: Operation[] } | { readonly ok: false; readonly error: string };

const READS = new Set(['read', 'get']);

export function pairOperations(events: readonly HistoryEvent[]): Paired {
  const timed = events.every((e) => e.time !== undefined);
  const order = events.map((e, i) => ({ e, i }));
  if (timed) order.sort((a, b) => a.e.time! - b.e.time! || a.i - b.i);
  const open = new Map<string | number, { e: HistoryEvent; i: number; at: number }>();
  const ops: Operation[] = [];
  const done = (inv: { e: HistoryEvent; i: number; at: number }, ret: number, status: 'ok' | 'info', output: unknown): void => {
    if (status === 'info' && READS.has(inv.e.f)) return;
    ops.push({ id: inv.i, process: inv.e.process, f: inv.e.f, ...(inv.e.key === undefined ? {} : { key: String(inv.e.key) }), input: inv.e.value, output, call: inv.at, ret, status });
  };
  for (const [at, { e, i }] of order.entries()) {
    const pending = open.get(e.process);
    if (e.type === 'invoke') {
      if (pending) return { ok: false, error: `event ${i + 1}: process ${String(e.process)} invokes ${e.f} while its ${pending.e.f} (event ${pending.i + 1}) is still open` };
      open.set(e.process, { e, i, at });
      continue;
    }
    if (!pending) return { ok: false, error: `event ${i + 1}: process ${String(e.process)} completes ${e.f} (${e.type}) with no open invocation` };
    if (pending.e.f !== e.f) return { ok: false, error: `event ${i + 1}: process ${String(e.process)} completes ${e.f}, but its open invocation (event ${pending.i + 1}) is ${pending.e.f}` };
    open.delete(e.process);
    if (e.type === 'ok') done(pending, at, 'ok', e.value);
    else if (e.type === 'info') done(pending, Infinity, 'info', undefined);
  }
  for (const pending of open.values()) done(pending, Infinity, 'info', undefined);
  return { ok: true, ops };
}
