/**
 * unique-ids' checker (pure). Rule: the ids of all `ok` generates are distinct (compared as JSON,
 * across every node), and at least one generate was answered. A generate that failed or timed
 * out may have used up an id; that is no fault.
 */
import type { MaelstromHistoryEvent } from '@faultline/protocol';
import { pairOps, type PairedOp } from '../history/pair.js';
import { jsonKey, show } from '../json.js';
import { at, baseStats, originOf, preliminary, who, type BaseStats, type Verdict } from './verdict.js';

export interface UniqueIdsStats extends BaseStats {
  /** ids answered (ok generates). */
  readonly ids: number;
  readonly distinct: number;
  /** ids answered more than once. */
  readonly duplicated: number;
}

export function checkUniqueIds(history: readonly MaelstromHistoryEvent[]): Verdict<UniqueIdsStats> {
  const { ops } = pairOps(history);
  const generates = ops.filter((op) => op.f === 'generate');
  const byId = new Map<string, PairedOp[]>();
  for (const op of generates) {
    if (op.type !== 'ok') continue;
    const key = jsonKey(op.output);
    byId.set(key, [...(byId.get(key) ?? []), op]);
  }
  const duplicates = [...byId.values()].filter((same) => same.length > 1);
  const stats = { ...baseStats(generates), ids: generates.filter((op) => op.type === 'ok').length, distinct: byId.size, duplicated: duplicates.length };
  const early = preliminary(generates, stats);
  if (early) return early;
  if (duplicates.length > 0) {
    const [first, second] = duplicates[0];
    const origin = originOf(ops);
    return {
      valid: false,
      reason: `id ${show(first.output)} was handed out twice: by ${who(first)} ${at(first.endMs ?? first.invokeMs, origin)} and by ${who(second)} ${at(second.endMs ?? second.invokeMs, origin)}${duplicates.length > 1 ? ` (${duplicates.length} ids were handed out more than once)` : ''}`,
      stats,
    };
  }
  if (stats.ids === 0) return { valid: false, reason: `none of the ${generates.length} generates was answered`, stats };
  return { valid: true, reason: `all ${stats.ids} ids handed out are distinct`, stats };
}
