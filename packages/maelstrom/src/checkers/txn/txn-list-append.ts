/**
 * txn-list-append's checker (pure): an honest subset of what Elle finds, aimed at Maelstrom's
 * default, strict serializability. It detects:
 * - malformed-txn: an answer that is not the transaction sent (txns.ts);
 * - internal, duplicate-elements: inside one transaction (internal.ts);
 * - garbage-read, aborted-read (G1a), intermediate-read (G1b), incompatible-order, lost-append,
 *   stale-read (real time) against each key's version order (order.ts);
 * - G0, G1c, G-single, G2: a cycle of ww/wr/rw dependencies (graph.ts).
 * It does not detect: cycles that need real-time or per-client order edges together with
 * dependencies (only the lost/stale checks use real time, one append and one read at a time);
 * anything about appends no read ever saw (their place in the order is unknown), or about keys
 * whose reads disagree (left out of the graph); what transactions of unknown outcome read;
 * G2 predicates (there are none in this workload); and it stops at the first cycle it finds.
 */
import type { MaelstromHistoryEvent } from '@faultline/protocol';
import { pairOps } from '../../history/pair.js';
import { baseStats, originOf, preliminary, type BaseStats, type Verdict } from '../verdict.js';
import { cycleAnomaly, dependencyEdges } from './graph.js';
import { internalAnomalies } from './internal.js';
import { versionOrders } from './order.js';
import { ANOMALY_KINDS, appenders, readTxns, type Anomaly, type AnomalyKind } from './txns.js';

export interface TxnStats extends BaseStats {
  /** Keys whose version order was known (their reads agreed). */
  readonly keys: number;
  /** How many of each anomaly were found (a cycle counts once: the search stops at the first). */
  readonly anomalies: Readonly<Partial<Record<AnomalyKind, number>>>;
}

const WORDS: Record<AnomalyKind, string> = {
  'malformed-txn': 'a transaction was answered with other operations than it sent',
  internal: 'a transaction did not see its own writes',
  'duplicate-elements': 'a read listed an element twice',
  'garbage-read': 'a read saw an element nobody appended',
  'aborted-read': 'a read saw the write of a failed transaction (G1a, aborted read)',
  'intermediate-read': 'a read saw half of another transaction (G1b, intermediate read)',
  'incompatible-order': "two reads disagree on the order of a key's list",
  G0: 'a cycle of writes (G0, dirty write)',
  G1c: 'a cycle of writes and reads (G1c, cyclic information flow)',
  'G-single': 'a cycle with one anti-dependency (G-single, read skew)',
  G2: 'a cycle of anti-dependencies (G2)',
  'lost-append': 'an acknowledged append was lost',
  'stale-read': 'a read missed an append acknowledged before it began (not strict-serializable)',
};

export function checkTxnListAppend(history: readonly MaelstromHistoryEvent[]): Verdict<TxnStats> {
  const { ops } = pairOps(history);
  const mine = ops.filter((op) => op.f === 'txn');
  const origin = originOf(mine);
  const anomalies: Anomaly[] = [];
  const txns = readTxns(mine, origin, anomalies);
  const appended = appenders(txns);
  anomalies.push(...internalAnomalies(txns, origin));
  const orders = versionOrders(txns, appended, origin, anomalies);
  const cycle = cycleAnomaly(dependencyEdges(orders, appended), origin);
  if (cycle) anomalies.push(cycle);

  const counts: Partial<Record<AnomalyKind, number>> = {};
  for (const a of anomalies) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
  const stats: TxnStats = { ...baseStats(mine), keys: orders.size, anomalies: counts };
  const early = preliminary(mine, stats);
  if (early) return early;
  const worst = ANOMALY_KINDS.find((kind) => counts[kind]);
  if (worst) {
    const first = anomalies.find((a) => a.kind === worst)!;
    const others = ANOMALY_KINDS.filter((k) => k !== worst && counts[k]).map((k) => `${counts[k]} ${k}`);
    return { valid: false, reason: `${WORDS[worst]}: ${first.text}${others.length > 0 ? ` (also found: ${others.join(', ')})` : ''}`, stats };
  }
  if (stats.ok === 0) return { valid: false, reason: `none of the ${mine.length} transactions succeeded`, stats };
  return {
    valid: true,
    reason: `${stats.ok} committed transactions over ${orders.size} keys show none of the anomalies this checker looks for (within a transaction, against each key's order, dependency cycles, lost or stale appends)`,
    stats,
  };
}
