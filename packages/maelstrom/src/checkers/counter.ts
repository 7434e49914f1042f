/**
 * The checker of g-counter and pn-counter (pure).
 *
 * Rule:
 * 1. every node's final read (made after the faults healed and the cluster had time) is the sum
 *    of the acknowledged adds plus any subset of the adds that may or may not have happened
 *    (`info`); adds that certainly failed count for nothing. Too low means acknowledged adds
 *    were lost; too high, counted twice or invented;
 * 2. no read at all, final or not, is impossible: above the sum of every positive delta, or below
 *    the sum of every negative one, of the adds invoked before the read returned (a read may lag,
 *    the counter being eventually consistent, but it cannot know of adds not yet asked for);
 * 3. every node answered a final read; otherwise 'unknown'.
 */
import type { MaelstromHistoryEvent } from '@faultline/protocol';
import { pairOps, type PairedOp } from '../history/pair.js';
import { IntervalSet } from './interval-set.js';
import { at, baseStats, originOf, preliminary, who, type BaseStats, type Verdict } from './verdict.js';

export interface CounterCheckOptions {
  /** g-counter: deltas are never negative. */
  readonly grow: boolean;
}

export interface CounterStats extends BaseStats {
  /** The sum of the acknowledged adds. */
  readonly acknowledgedSum: number;
  /** Adds that may or may not have happened. */
  readonly indefinite: number;
  /** What a final read may answer: closed ranges `[low, high]`. */
  readonly acceptable: readonly (readonly [number, number])[];
  /** True when `acceptable` was widened to its hull (very many indefinite adds). */
  readonly approximate: boolean;
  /** Each node's final read. */
  readonly finalReads: Readonly<Record<string, number>>;
  readonly nodesWithoutFinalRead: readonly string[];
  /** Reads outside what any order of the adds so far allows. */
  readonly impossibleReads: number;
}

const deltaOf = (op: PairedOp): number => (typeof op.input === 'number' && Number.isInteger(op.input) ? op.input : 0);

export function checkCounter(history: readonly MaelstromHistoryEvent[], options: CounterCheckOptions): Verdict<CounterStats> {
  const { ops } = pairOps(history);
  const mine = ops.filter((op) => op.f === 'add' || op.f === 'read');
  const origin = originOf(ops);
  const adds = mine.filter((op) => op.f === 'add' && op.type !== 'fail');
  const acknowledgedSum = adds.filter((op) => op.type === 'ok').reduce((sum, op) => sum + deltaOf(op), 0);
  let acceptable = IntervalSet.of(acknowledgedSum);
  for (const op of adds) if (op.type === 'info') acceptable = acceptable.orPlus(deltaOf(op));

  const reads = mine.filter((op) => op.f === 'read' && op.type === 'ok' && typeof op.output === 'number');
  const byInvoke = [...adds].sort((a, b) => a.invokeMs - b.invokeMs);
  const impossible: { read: PairedOp; low: number; high: number }[] = [];
  for (const read of reads) {
    let low = 0;
    let high = 0;
    for (const add of byInvoke) {
      if (add.invokeMs > (read.endMs ?? Infinity)) break;
      const d = deltaOf(add);
      if (d > 0) high += d;
      else low += d;
    }
    const value = read.output as number;
    if (value < low || value > high) impossible.push({ read, low, high });
  }

  const finalAsked = [...new Set(mine.filter((op) => op.f === 'read' && op.final).map((op) => op.node ?? String(op.process)))].sort();
  const finals = new Map<string, PairedOp>();
  for (const read of reads) if (read.final) finals.set(read.node ?? String(read.process), read);
  const wrong = [...finals.values()].filter((read) => !acceptable.has(read.output as number));

  const stats: CounterStats = {
    ...baseStats(mine),
    acknowledgedSum,
    indefinite: adds.filter((op) => op.type === 'info').length,
    acceptable: acceptable.ranges,
    approximate: acceptable.approximate,
    finalReads: Object.fromEntries([...finals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([node, read]) => [node, read.output as number])),
    nodesWithoutFinalRead: finalAsked.filter((node) => !finals.has(node)),
    impossibleReads: impossible.length,
  };
  const early = preliminary(mine, stats);
  if (early) return early;
  const uncertain = stats.indefinite > 0 ? `; with the ${stats.indefinite} adds that may or may not have happened, the total may be ${acceptable.text()}` : '';
  if (wrong.length > 0) {
    const read = wrong[0];
    const value = read.output as number;
    const what = value < acknowledgedSum ? 'acknowledged adds were lost' : value > acknowledgedSum ? 'some adds were counted twice, or invented' : 'no subset of the uncertain adds gives it';
    return { valid: false, reason: `the final read on ${read.node ?? who(read)} answered ${value}, but the acknowledged adds sum to ${acknowledgedSum}${uncertain}: ${what}${wrong.length > 1 ? ` (${wrong.length} final reads are wrong)` : ''}`, stats };
  }
  if (impossible.length > 0) {
    const { read, low, high } = impossible[0];
    return { valid: false, reason: `${who(read)} read ${String(read.output)} ${at(read.invokeMs, origin)}, but the adds asked for until then can only make ${low}…${high}${options.grow ? ' (a grow-only counter)' : ''}`, stats };
  }
  if (finalAsked.length === 0) return { valid: 'unknown', reason: 'no final read was made, so nobody knows whether the nodes converged on the right value', stats };
  if (stats.nodesWithoutFinalRead.length > 0) return { valid: 'unknown', reason: `${stats.nodesWithoutFinalRead.join(', ')} never answered a final read, so nobody knows whether ${stats.nodesWithoutFinalRead.length === 1 ? 'it' : 'they'} converged`, stats };
  return { valid: true, reason: `every node's final read (${finals.size} nodes) is a possible total: the acknowledged adds sum to ${acknowledgedSum}${uncertain}`, stats };
}
