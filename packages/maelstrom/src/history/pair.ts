/**
 * A Maelstrom history's events paired into operations (pure): each `invoke` with its process's
 * next completion; an invocation never completed is `info` (its end unknown). Events are taken
 * in `time` order (ties keep the history's order). A completion with no open invocation is left
 * out (and counted), as is a second invocation by a process whose operation is still open (the
 * open one becomes `info`). The nemesis's events (process `nemesis`) are no client's: left out.
 */
import { isNemesisEvent, type MaelstromHistoryEvent, type MaelstromOpError, type MaelstromOpName } from '@faultline/protocol';

export interface PairedOp {
  /** The index of its invocation in the history (0-based). */
  readonly index: number;
  readonly process: number | string;
  readonly f: MaelstromOpName;
  readonly key?: string | number;
  /** The server the client asked. */
  readonly node?: string;
  readonly final: boolean;
  /** What was asked (the invocation's value). */
  readonly input: unknown;
  /** What was answered (an `ok` completion's value). */
  readonly output: unknown;
  readonly type: 'ok' | 'fail' | 'info';
  readonly invokeMs: number;
  /** When it completed; null when it never did. */
  readonly endMs: number | null;
  readonly error?: MaelstromOpError;
}

export interface Paired {
  readonly ops: PairedOp[];
  /** Events that did not pair (a completion with nothing open, an invocation over an open one). */
  readonly unpaired: number;
}

export function pairOps(history: readonly MaelstromHistoryEvent[]): Paired {
  const order = history.map((e, i) => ({ e, i })).filter(({ e }) => !isNemesisEvent(e)).sort((a, b) => a.e.time - b.e.time || a.i - b.i);
  const open = new Map<number | string, { e: MaelstromHistoryEvent; i: number }>();
  const ops: PairedOp[] = [];
  let unpaired = 0;
  const opOf = (inv: { e: MaelstromHistoryEvent; i: number }, end: MaelstromHistoryEvent | undefined): PairedOp => ({
    index: inv.i,
    process: inv.e.process,
    f: inv.e.f as MaelstromOpName,
    ...(inv.e.key === undefined ? {} : { key: inv.e.key }),
    ...(inv.e.node === undefined ? {} : { node: inv.e.node }),
    final: inv.e.final === true || end?.final === true,
    input: inv.e.value,
    output: end?.type === 'ok' ? end.value : undefined,
    type: end === undefined || end.type === 'invoke' ? 'info' : end.type,
    invokeMs: inv.e.time,
    endMs: end ? end.time : null,
    ...(end?.error ? { error: end.error } : {}),
  });
  for (const { e, i } of order) {
    const pending = open.get(e.process);
    if (e.type === 'invoke') {
      if (pending) {
        unpaired += 1;
        ops.push(opOf(pending, undefined));
      }
      open.set(e.process, { e, i });
      continue;
    }
    if (!pending || pending.e.f !== e.f) {
      unpaired += 1;
      continue;
    }
    open.delete(e.process);
    ops.push(opOf(pending, e));
  }
  for (const pending of open.values()) ops.push(opOf(pending, undefined));
  return { ops: ops.sort((a, b) => a.index - b.index), unpaired };
}
