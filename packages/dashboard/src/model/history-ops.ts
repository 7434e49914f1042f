/**
 * A lesson's client operations as the diagram draws them (pure): each operation of the report's
 * histories on its client's lifeline (the process `n5/c1` is a client on n5), from its invocation
 * to its completion (or open-ended), in words (`put x 3 → n2: ok`, `get x → n3: 2 (stale)`), with
 * its role in a failed linearizability check's counterexample (the stuck one: no order of the
 * operations explains its answer). Concurrent operations of one client get lanes side by side.
 */
import type { ClientOpView, OpRole, ReportHistories } from '../api/lesson-histories.js';

export interface OpView {
  /** The history it belongs to (a counterexample's op found in none: the check's name). */
  readonly history: string;
  readonly id: number;
  readonly process: string;
  /** The node the client ran on. */
  readonly client: string;
  readonly label: string;
  readonly fromMs: number;
  /** Null: it never completed. */
  readonly toMs: number | null;
  readonly type: ClientOpView['type'];
  readonly stale: boolean;
  /** Its part in a counterexample, when it is in one. */
  readonly role?: OpRole;
  /** 0, 1 … beside its client's lifeline: operations of one client that overlap in time. */
  readonly lane: number;
}

/** What the diagram says beside the stuck operation. */
export const STUCK_CAPTION = 'no order of the operations explains this answer';

/** The node of a process `n5/c1` (`n5`); undefined for a process not named after a node. */
export function clientOf(process: string | number): string | undefined {
  return /^(n\d+)\/c\d+$/.exec(String(process))?.[1];
}

const show = (v: unknown): string => (v === null || v === undefined ? 'nothing' : JSON.stringify(v));

/** `put x 3 → n2: ok`, `get x → n3: 2 (stale)`, `append k 7 → n1: failed`, `get x → n2: unknown`. */
export function opLabel(op: ClientOpView & { readonly stale?: boolean }): string {
  const key = op.key === undefined ? '' : ` ${op.key}`;
  const input = op.kind === 'write' && op.input !== undefined ? ` ${show(op.input)}` : '';
  const to = op.node === undefined ? '' : ` → ${op.node}`;
  const outcome = op.type === 'fail' ? 'failed' : op.type === 'info' ? 'unknown' : op.kind === 'read' ? show(op.output) : 'ok';
  return `${op.f}${key}${input}${to}: ${outcome}${op.stale ? ' (stale)' : ''}`;
}

const ROLE_RANK: Record<OpRole, number> = { stuck: 3, overlapping: 2, placed: 1 };
const sameOp = (a: ClientOpView, b: ClientOpView): boolean => String(a.process) === String(b.process) && a.invokeMs === b.invokeMs && a.f === b.f;

/** Every operation of the histories (and of the counterexamples), on its client's lifeline, in invocation order. */
export function historyOps(report: ReportHistories): OpView[] {
  const found: { history: string; op: ClientOpView; stale: boolean; role?: OpRole }[] = [];
  for (const h of report.histories) for (const op of h.ops) found.push({ history: h.name, op, stale: op.stale });
  for (const c of report.counterexamples) {
    for (const op of c.ops) {
      // Its ids count in the histories merged: the same operation is the one of the same process, start and function.
      let entry = found.find((e) => sameOp(e.op, op));
      if (!entry) found.push((entry = { history: c.check, op, stale: false }));
      if (!entry.role || ROLE_RANK[op.role] > ROLE_RANK[entry.role]) entry.role = op.role;
    }
  }
  const placed = found.flatMap(({ history, op, stale, role }) => {
    const client = clientOf(op.process);
    if (client === undefined) return [];
    return [{ history, id: op.id, process: String(op.process), client, label: opLabel({ ...op, stale }), fromMs: op.invokeMs, toMs: op.endMs, type: op.type, stale, ...(role ? { role } : {}) }];
  });
  placed.sort((a, b) => a.fromMs - b.fromMs || a.process.localeCompare(b.process));
  // Lanes: each operation in the first lane of its client free when it starts.
  const lanes = new Map<string, number[]>();
  return placed.map((op) => {
    const ends = lanes.get(op.client) ?? [];
    lanes.set(op.client, ends);
    let lane = ends.findIndex((end) => end <= op.fromMs);
    if (lane === -1) lane = ends.length;
    ends[lane] = op.toMs ?? Number.POSITIVE_INFINITY;
    return { ...op, lane };
  });
}
