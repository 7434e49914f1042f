/**
 * Is a history linearizable under a model? (pure: the clock for its budget is handed in). The history is
 * paired into operations, split into partitions the model checks apart (the kv map key by key,
 * as Porcupine does), and each is searched within one shared time budget.
 *
 * Three answers: `linearizable` (with an order for each partition), `not` (the first partition
 * that fails, its longest legal order and the operation that could not be placed), or `unknown`
 * when the budget ran out first: never assumed fine.
 */
import type { HistoryEvent, HistoryModel } from '@faultline/protocol';
import { MODELS, partitions } from './models.js';
import { pairOperations, type Operation } from './operations.js';
import { searchPartition } from './search.js';

export interface Counterexample {
  /** The partition (the kv key; '' for the register). */
  readonly key: string;
  /** The longest legal order of operations found, by their ids (the invocation's index). */
  readonly prefix: readonly Operation[];
  /** The operation that could not be placed before it returned, after that prefix. */
  readonly stuck: Operation;
}

export type LinearizabilityVerdict =
  | { readonly result: 'linearizable'; readonly operations: number; readonly partitions: number }
  | { readonly result: 'not'; readonly operations: number; readonly partitions: number; readonly counterexample: Counterexample }
  | { readonly result: 'unknown'; readonly operations: number; readonly partitions: number; readonly checked: number; readonly why: string }
  | { readonly result: 'invalid'; readonly why: string };

export interface CheckOptions {
  /** The time budget (ms, default 10 s). */
  readonly budgetMs?: number;
  /** The shell's monotonic clock (`performance.now`): the checker never reads one itself. */
  readonly now: () => number;
}

export function checkLinearizable(events: readonly HistoryEvent[], model: HistoryModel, options: CheckOptions): LinearizabilityVerdict {
  const paired = pairOperations(events);
  if (!paired.ok) return { result: 'invalid', why: paired.error };
  const { now } = options;
  const budgetMs = options.budgetMs ?? 10_000;
  const deadline = now() + budgetMs;
  const parts = partitions(model, paired.ops);
  const base = { operations: paired.ops.length, partitions: parts.size };
  let checked = 0;
  for (const [key, ops] of [...parts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const verdict = searchPartition(ops, MODELS[model], deadline, now);
    if (verdict.result === 'unknown') return { result: 'unknown', ...base, checked, why: `the time budget (${budgetMs} ms) ran out${key === '' ? '' : ` at key ${key}`} after ${checked} of ${parts.size} ${parts.size === 1 ? 'part' : 'parts'}` };
    if (verdict.result === 'fail') {
      const byId = new Map(ops.map((op) => [op.id, op]));
      return { result: 'not', ...base, counterexample: { key, prefix: verdict.prefix.map((id) => byId.get(id)!), stuck: byId.get(verdict.stuck)! } };
    }
    checked += 1;
  }
  return { result: 'linearizable', ...base };
}
