/**
 * A history's operations as a person reads them (pure): every invocation paired with its
 * process's completion, `fail`s and unknowns kept (the linearizability search drops those; a
 * lesson counts them, and draws them on each client's line). Reads are `get`/`read`, writes every
 * other operation. Times are the history's `time` (the lab's true time, ms), or the event's index
 * when the history has none.
 */
import type { HistoryEvent } from '@faultline/protocol';

export interface ClientOp {
  /** The index of its invocation in the history (0-based), as the linearizability check names it. */
  readonly id: number;
  readonly process: string | number;
  readonly f: HistoryEvent['f'];
  /** `read` (get, read) or `write` (put, write, append, cas). */
  readonly kind: 'read' | 'write';
  readonly key?: string;
  /** The server the client asked, when the history says. */
  readonly node?: string;
  /** What a write wrote (an append: its item). */
  readonly input: unknown;
  /** What a read answered (ok only). */
  readonly output: unknown;
  readonly type: 'ok' | 'fail' | 'info';
  readonly invokeMs: number;
  /** When it completed; null when it never did (the client gave up, or crashed). */
  readonly endMs: number | null;
  readonly error?: string;
}

const READS = new Set<HistoryEvent['f']>(['read', 'get']);

/** The operations of `events`, in invocation order. Events that do not pair (a completion with no invocation) are left out. */
export function clientOps(events: readonly HistoryEvent[]): ClientOp[] {
  const open = new Map<string | number, { e: HistoryEvent; i: number }>();
  const ops: ClientOp[] = [];
  const timeOf = (e: HistoryEvent, i: number): number => e.time ?? i;
  const opOf = (inv: { e: HistoryEvent; i: number }, type: ClientOp['type'], end: HistoryEvent | undefined, endIndex: number): ClientOp => ({
    id: inv.i,
    process: inv.e.process,
    f: inv.e.f,
    kind: READS.has(inv.e.f) ? 'read' : 'write',
    ...(inv.e.key === undefined ? {} : { key: String(inv.e.key) }),
    ...(inv.e.node === undefined ? {} : { node: inv.e.node }),
    input: inv.e.value,
    output: type === 'ok' && READS.has(inv.e.f) ? (end?.value ?? null) : undefined,
    type,
    invokeMs: timeOf(inv.e, inv.i),
    endMs: end ? timeOf(end, endIndex) : null,
    ...(end?.error ? { error: end.error } : {}),
  });
  events.forEach((e, i) => {
    if (e.type === 'invoke') {
      open.set(e.process, { e, i });
      return;
    }
    const inv = open.get(e.process);
    if (!inv || inv.e.f !== e.f) return;
    open.delete(e.process);
    ops.push(opOf(inv, e.type, e, i));
  });
  for (const inv of open.values()) ops.push(opOf(inv, 'info', undefined, -1));
  return ops.sort((a, b) => a.id - b.id);
}
