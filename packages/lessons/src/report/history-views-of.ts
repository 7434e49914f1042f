/**
 * The workloads' histories for the reveal (pure): each one's strips per server, its stale reads,
 * and, for each linearizability check that found its histories are not, the counterexample.
 */
import { clientOps, staleReads, type ClientOp } from '@faultline/checkers';
import type { HistoryEvent } from '@faultline/protocol';
import { mergeHistories, type CheckResult } from '../checks/context.js';
import { counterexampleOps, counterexampleTable, serverStrips } from '../render/history-view.js';
import type { CounterexampleView, HistoryView } from './lesson-report.js';

const count = (ops: readonly ClientOp[], type: ClientOp['type']): number => ops.filter((o) => o.type === type).length;

/**
 * The stale reads of each history, judged against every history of the run read as one (a copy
 * that missed the writes of an earlier workload is stale in the next): by each history's name,
 * the ids of its stale reads.
 */
function staleByHistory(histories: ReadonlyMap<string, { readonly events: readonly HistoryEvent[] }>): Map<string, Set<number>> {
  const origin: { name: string; index: number }[] = [];
  const all: HistoryEvent[] = [];
  for (const [name, h] of histories) {
    h.events.forEach((e, index) => {
      origin.push({ name, index });
      all.push(e);
    });
  }
  const out = new Map<string, Set<number>>([...histories.keys()].map((name) => [name, new Set<number>()]));
  for (const s of staleReads(clientOps(all))) out.get(origin[s.read.id].name)!.add(origin[s.read.id].index);
  return out;
}

export function historyViewsOf(histories: ReadonlyMap<string, { readonly file: string; readonly events: readonly HistoryEvent[] }>, width = 80): HistoryView[] {
  const stale = staleByHistory(histories);
  return [...histories.entries()].map(([name, h]) => {
    const ops = clientOps(h.events);
    return {
      name,
      file: h.file,
      operations: ops.length,
      ok: count(ops, 'ok'),
      failed: count(ops, 'fail'),
      unknown: count(ops, 'info'),
      stale: stale.get(name)!.size,
      strips: serverStrips(ops, width, stale.get(name)),
      ops: ops.map((o) => ({ ...o, stale: stale.get(name)!.has(o.id) })),
    };
  });
}

/** Each linearizability check that found its histories are not: the operations around the one no order explains. */
export function counterexamplesOf(histories: ReadonlyMap<string, { readonly events: readonly HistoryEvent[] }>, checks: readonly CheckResult[], runStartMs?: number): CounterexampleView[] {
  return checks.flatMap((c) => {
    const v = c.value as { histories?: string[]; verdict?: string; stuck?: number; prefix?: number[] } | undefined;
    if (c.check !== 'linearizable' || v?.verdict !== 'not' || !v.histories || v.stuck === undefined) return [];
    const found = v.histories.map((name) => histories.get(name)?.events);
    if (found.some((e) => e === undefined)) return [];
    const ops = clientOps(mergeHistories(found as HistoryEvent[][]));
    const shown = counterexampleOps(ops, v.prefix ?? [], v.stuck);
    const t0 = runStartMs ?? Math.min(...ops.map((o) => o.invokeMs));
    return [{ check: c.name, histories: v.histories, table: counterexampleTable(shown, v.prefix ?? [], v.stuck, t0), ops: shown.map((o) => ({ ...o, role: o.id === v.stuck ? 'stuck' : (v.prefix ?? []).includes(o.id) ? 'placed' : 'overlapping' })) }];
  });
}
