/**
 * Causal consistency as one client sees it (pure): the session guarantees a causally consistent
 * store gives every client (Terry et al.), checked over a history's operations, client by client
 * (each `process` is one session, one operation at a time):
 * - read your writes: a read after the client's own acknowledged write sees that write (or a
 *   later one);
 * - monotonic reads: a read never sees an older state than a read the client made before it.
 * "Older" as in stale-reads.ts: the value answered was written by a write that had ended before
 * the write of the value seen earlier began (or nothing was answered at all); for an append
 * history, an item seen (or written) before is missing. Values are told apart by value, each
 * written once.
 */
import type { ClientOp } from './client-ops.js';

export type SessionGuarantee = 'read-your-writes' | 'monotonic-reads';

export interface SessionViolation {
  readonly guarantee: SessionGuarantee;
  readonly process: string | number;
  /** The read that went back. */
  readonly read: ClientOp;
  /** What it should have seen: the client's own write, or its earlier read. */
  readonly after: ClientOp;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : v === null || v === undefined ? [] : [v]);

/** Whether `read` answered a state older than the value `value` of the same key (written by `writes`). */
function older(read: ClientOp, value: unknown, writes: readonly ClientOp[], append: boolean): boolean {
  if (value === null || value === undefined) return false;
  if (append) return list(value).some((item) => !list(read.output).some((seen) => same(seen, item)));
  if (same(read.output, value)) return false;
  if (read.output === null || read.output === undefined) return true;
  const newer = writes.find((w) => same(w.input, value));
  const answered = writes.find((w) => same(w.input, read.output));
  // Older only when what it answered was over before what it should have seen began.
  return newer !== undefined && answered !== undefined && answered.endMs !== null && answered.endMs < newer.invokeMs;
}

export function sessionViolations(ops: readonly ClientOp[]): SessionViolation[] {
  const writes = ops.filter((o) => o.kind === 'write');
  const out: SessionViolation[] = [];
  const sessions = new Map<string | number, ClientOp[]>();
  for (const op of ops) sessions.set(op.process, [...(sessions.get(op.process) ?? []), op]);
  for (const [process, mine] of sessions) {
    const ordered = [...mine].sort((a, b) => a.invokeMs - b.invokeMs);
    ordered.forEach((read, i) => {
      if (read.kind !== 'read' || read.type !== 'ok') return;
      const before = ordered.slice(0, i).filter((o) => o.key === read.key && o.type === 'ok' && o.endMs !== null && o.endMs <= read.invokeMs);
      const append = writes.some((w) => w.key === read.key && w.f === 'append');
      const ownWrite = [...before].reverse().find((o) => o.kind === 'write');
      if (ownWrite && older(read, append ? [ownWrite.input] : ownWrite.input, writes, append)) out.push({ guarantee: 'read-your-writes', process, read, after: ownWrite });
      const lastRead = [...before].reverse().find((o) => o.kind === 'read');
      if (lastRead && older(read, lastRead.output, writes, append)) out.push({ guarantee: 'monotonic-reads', process, read, after: lastRead });
    });
  }
  return out.sort((a, b) => a.read.invokeMs - b.read.invokeMs);
}
