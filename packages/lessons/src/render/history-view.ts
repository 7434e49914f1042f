/**
 * A workload's history for the reveal and `report.md` (pure): each server's operations as a strip
 * over true time (`o` answered, `s` answered with a stale value, `x` failed, `?` unknown: the
 * client gave up), and the
 * counterexample of a failed linearizability check as a table of the operations around the one
 * no order could place.
 */
import { formatDuration, type ClientOp } from '@faultline/checkers';
import type { TextTable } from './clock-views.js';

const MARK = { ok: 'o', stale: 's', info: '?', fail: 'x' } as const;
/** Which mark a column shows when several operations fall in it: the worst. */
const RANK = { ok: 0, stale: 1, info: 2, fail: 3 } as const;

const show = (v: unknown): string => (v === null || v === undefined ? 'nothing' : typeof v === 'string' ? v : JSON.stringify(v));

/** `get x → 2`, `put x 3`. */
function what(op: ClientOp): string {
  return op.kind === 'read' ? `${op.f} ${op.key ?? ''} → ${op.type === 'ok' ? show(op.output) : '?'}` : `${op.f} ${op.key ?? ''} ${show(op.input)}`;
}

/**
 * One strip a server (by when each operation began), `width` columns in all: a legend line, the
 * strips, and the time scale. Reads and writes share a strip.
 */
export function serverStrips(ops: readonly ClientOp[], width: number, stale: ReadonlySet<number> = new Set()): string[] {
  if (ops.length === 0) return ['  (no operation)'];
  const t0 = Math.min(...ops.map((o) => o.invokeMs));
  const t1 = Math.max(...ops.map((o) => o.endMs ?? o.invokeMs));
  const servers = [...new Set(ops.map((o) => o.node ?? '?'))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const label = Math.max(...servers.map((s) => s.length)) + 2;
  const columns = Math.max(10, width - label - 4);
  const span = Math.max(1, t1 - t0);
  const per = span / columns;
  const rows = servers.map((server) => {
    const cells: (keyof typeof MARK | undefined)[] = Array.from({ length: columns });
    for (const op of ops.filter((o) => (o.node ?? '?') === server)) {
      const at = Math.min(columns - 1, Math.floor((op.invokeMs - t0) / per));
      const was = cells[at];
      const mark = op.type === 'ok' && stale.has(op.id) ? 'stale' : op.type;
      if (was === undefined || RANK[mark] > RANK[was]) cells[at] = mark;
    }
    return `  ${server.padEnd(label)}${cells.map((c) => (c ? MARK[c] : '·')).join('')}`;
  });
  const legend = `  o answered${stale.size ? '  s stale' : ''}  x failed (surely not done)  ? unknown (no answer in time)`;
  return [...rows, `  ${''.padEnd(label)}0${`+${formatDuration(span)}`.padStart(columns - 1)}`, legend];
}

/** The operations around the counterexample: the last of the legal prefix, the stuck one, and those overlapping it, by when they began. */
export function counterexampleOps(ops: readonly ClientOp[], prefix: readonly number[], stuck: number, rows = 8): ClientOp[] {
  const byId = new Map(ops.map((o) => [o.id, o]));
  const stuckOp = byId.get(stuck);
  const overlapping = stuckOp ? ops.filter((o) => o.id !== stuck && o.type !== 'fail' && o.invokeMs <= (stuckOp.endMs ?? Infinity) && (o.endMs ?? Infinity) >= stuckOp.invokeMs) : [];
  const before = prefix.slice(-Math.max(1, rows - 1 - overlapping.length)).map((id) => byId.get(id)).filter((o): o is ClientOp => o !== undefined);
  return [...new Map([...before, ...overlapping, ...(stuckOp ? [stuckOp] : [])].map((o) => [o.id, o])).values()].sort((a, b) => a.invokeMs - b.invokeMs).slice(-rows);
}

/** Those operations as a table: times from `t0` (the run's start). */
export function counterexampleTable(shown: readonly ClientOp[], prefix: readonly number[], stuck: number, t0: number): TextTable {
  return {
    head: ['client', 'operation', 'server', 'began', 'ended', 'answer', ''],
    rows: shown.map((o) => [
      String(o.process),
      what(o),
      o.node ?? '?',
      `+${formatDuration(o.invokeMs - t0)}`,
      o.endMs === null ? 'never' : `+${formatDuration(o.endMs - t0)}`,
      o.type === 'ok' ? 'ok' : o.type === 'fail' ? 'failed' : 'unknown',
      o.id === stuck ? '◀ no order explains this' : prefix.includes(o.id) ? 'placed' : '',
    ]),
  };
}
