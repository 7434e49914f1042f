/**
 * Stale reads and lost acknowledged writes (pure), over a history's operations on one key or
 * many (each key apart). Values written are told apart by value, as the lab's workloads write
 * them (1, 2, 3 …, each once).
 *
 * A read is stale when it answered without a write that had been acknowledged (ok) before the
 * read began and that came after the write of the value it answered:
 * - a `put`/`write` history: the read's value was written by a write that had ended before that
 *   newer write began (or the read answered nothing at all);
 * - an `append` history: the list it answered lacks that write's item.
 * How stale: how long before the read began the first such write was acknowledged, and how many
 * such writes it missed. A lost write is the same thing seen from the history's last read: an
 * acknowledged write that the final state does not have.
 */
import type { ClientOp } from './client-ops.js';

export interface StaleRead {
  readonly read: ClientOp;
  /** The acknowledged writes it did not see, oldest acknowledgement first. */
  readonly missed: readonly ClientOp[];
  /** How long before the read began the first of them was acknowledged (ms). */
  readonly staleByMs: number;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The acknowledged writes (to the read's key) that `read` should have seen and did not. */
function missedBy(read: ClientOp, writes: readonly ClientOp[]): ClientOp[] {
  const acked = writes.filter((w) => w.type === 'ok' && w.endMs !== null && w.endMs < read.invokeMs && w.key === read.key);
  if (acked.length === 0) return [];
  let missed: ClientOp[];
  if (acked.some((w) => w.f === 'append')) {
    const list: unknown[] = Array.isArray(read.output) ? (read.output as unknown[]) : read.output === null || read.output === undefined ? [] : [read.output];
    missed = acked.filter((w) => w.f === 'append' && !list.some((item) => same(item, w.input)));
  } else {
    // The write that wrote what the read answered (any that wrote that value, acknowledged or not).
    const source = read.output === null || read.output === undefined ? undefined : writes.find((w) => w.key === read.key && same(w.input, read.output));
    missed = source === undefined ? acked : acked.filter((w) => source.endMs !== null && source.endMs < w.invokeMs);
  }
  return missed.sort((a, b) => a.endMs! - b.endMs!);
}

/** Every stale read of `ops` (only those served by `node`, when given). */
export function staleReads(ops: readonly ClientOp[], options: { node?: string } = {}): StaleRead[] {
  const writes = ops.filter((o) => o.kind === 'write');
  return ops
    .filter((o) => o.kind === 'read' && o.type === 'ok' && (options.node === undefined || o.node === options.node))
    .flatMap((read) => {
      const missed = missedBy(read, writes);
      return missed.length === 0 ? [] : [{ read, missed, staleByMs: read.invokeMs - missed[0].endMs! }];
    });
}

/** The history's last read (acknowledged, by when it ended), and the acknowledged writes it lacks. */
export function lostWrites(ops: readonly ClientOp[]): { finalRead: ClientOp | undefined; lost: ClientOp[] } {
  const reads = ops.filter((o) => o.kind === 'read' && o.type === 'ok' && o.endMs !== null);
  const finalRead = reads.sort((a, b) => a.endMs! - b.endMs! || a.id - b.id).at(-1);
  if (!finalRead) return { finalRead, lost: [] };
  return { finalRead, lost: missedBy(finalRead, ops.filter((o) => o.kind === 'write')) };
}

/** The value each node answered last (by end time), for `nodes`; a node that answered no read is absent. */
export function lastReads(ops: readonly ClientOp[], nodes: readonly string[]): Map<string, ClientOp> {
  const last = new Map<string, ClientOp>();
  for (const op of ops) {
    if (op.kind !== 'read' || op.type !== 'ok' || op.node === undefined || !nodes.includes(op.node) || op.endMs === null) continue;
    const before = last.get(op.node);
    if (!before || before.endMs! <= op.endMs) last.set(op.node, op);
  }
  return last;
}
