/**
 * What every workload's checker answers (pure): `valid` (true, false, or 'unknown' when the
 * history cannot say, e.g. no final read came back), the `reason` in plain words for a student,
 * and statistics. Shared here: the operations' counts, availability and latency percentiles, and
 * the rule that a reply the program got wrong in shape (`malformed-reply`) fails any workload.
 */
import type { PairedOp } from '../history/pair.js';

export interface Verdict<S extends object = object> {
  readonly valid: boolean | 'unknown';
  readonly reason: string;
  readonly stats: S;
}

export interface CheckOptions {
  /** lin-kv: the shell's monotonic clock (`performance.now`), for the search's budget; without it the search has no time limit. */
  readonly now?: () => number;
  /** lin-kv: the search's time budget (ms, default 10 s). */
  readonly budgetMs?: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface OpCounts {
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
}

export interface BaseStats {
  readonly operations: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  /** ok / operations (1 when there are none). */
  readonly availability: number;
  /** Of the `ok` operations, from invocation to completion (ms); null with none. */
  readonly latencyMs: Percentiles | null;
  /** Counts by operation (`read`, `add` …). */
  readonly byOp: Readonly<Record<string, OpCounts>>;
}

/** Nearest-rank percentiles of `values` (ms), or null for none. */
export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
}

export function baseStats(ops: readonly PairedOp[]): BaseStats {
  const byOp: Record<string, { ok: number; fail: number; info: number }> = {};
  const total = { ok: 0, fail: 0, info: 0 };
  for (const op of ops) {
    byOp[op.f] ??= { ok: 0, fail: 0, info: 0 };
    byOp[op.f][op.type] += 1;
    total[op.type] += 1;
  }
  const latencies = ops.filter((op) => op.type === 'ok' && op.endMs !== null).map((op) => op.endMs! - op.invokeMs);
  return { operations: ops.length, ...total, availability: ops.length === 0 ? 1 : total.ok / ops.length, latencyMs: percentiles(latencies), byOp };
}

/** A time in a sentence: seconds from the history's first event (`at 1.234 s`). */
export function at(ms: number, originMs: number): string {
  return `at ${((ms - originMs) / 1000).toFixed(3)} s`;
}

/** Who did an operation, in a sentence: `n2 (client 3)`. */
export function who(op: PairedOp): string {
  return op.node === undefined ? `client ${String(op.process)}` : `${op.node} (client ${String(op.process)})`;
}

/**
 * The verdict every checker gives before its own rule: no operations at all ('unknown'), or a
 * reply the program got wrong in shape (false). Undefined when the checker's own rule decides.
 */
export function preliminary<S extends object>(ops: readonly PairedOp[], stats: S): Verdict<S> | undefined {
  if (ops.length === 0) return { valid: 'unknown', reason: 'the history has no operations: nothing was tested', stats };
  const bad = ops.find((op) => op.error?.name === 'malformed-reply');
  if (bad) return { valid: false, reason: `${who(bad)} answered a ${bad.f} with a reply the protocol does not allow: ${bad.error?.text ?? 'malformed'}`, stats };
  return undefined;
}

/** The earliest time in `ops` (the origin of `at`). */
export function originOf(ops: readonly PairedOp[]): number {
  return ops.reduce((min, op) => Math.min(min, op.invokeMs), Infinity);
}
