/**
 * The checker of broadcast and g-set (pure): a set that grows, read on every node.
 *
 * Rule (in this order):
 * 1. every value read was added: an add that was acknowledged (`ok`) or may have happened
 *    (`info`); a value nobody added, or whose add certainly failed, is invalid;
 * 2. every acknowledged value is in every node's final read (the reads made after the faults
 *    healed and the cluster had time to converge); one missing is lost: invalid;
 * 3. every node answered a final read; if one did not, the verdict is 'unknown' (nobody knows
 *    what it had).
 * A value whose add is `info` may be in the final reads or not. Earlier reads may lag (the set
 * is only eventually consistent) and count only for the statistics: an acknowledged value's
 * stable latency is the time from its add's invocation to the first read after which every read
 * (on any node) has it; values never stable are counted.
 */
import type { MaelstromHistoryEvent } from '@faultline/protocol';
import { pairOps, type PairedOp } from '../history/pair.js';
import { jsonKey } from '../json.js';
import { at, baseStats, originOf, percentiles, preliminary, who, type BaseStats, type Percentiles, type Verdict } from './verdict.js';

export interface SetCheckOptions {
  /** The operation that adds: broadcast's `broadcast`, g-set's `add`. */
  readonly add: 'broadcast' | 'add';
  /** What a value is called in a sentence (`message`, `element`). */
  readonly noun: string;
}

export interface SetStats extends BaseStats {
  readonly acknowledged: number;
  readonly indefinite: number;
  /** Acknowledged values missing from some final read. */
  readonly lost: number;
  /** Values read that nobody added (or whose add certainly failed). */
  readonly unexpected: number;
  /** Nodes that answered a final read. */
  readonly finalReads: number;
  readonly nodesWithoutFinalRead: readonly string[];
  /** From a value's add to the read after which every read has it (ms). */
  readonly stableLatencyMs: Percentiles | null;
  /** Acknowledged values that some read after their add still lacked, with no later read having them everywhere. */
  readonly neverStable: number;
}

interface Read {
  readonly op: PairedOp;
  readonly has: ReadonlySet<string>;
}

export function checkSet(history: readonly MaelstromHistoryEvent[], options: SetCheckOptions): Verdict<SetStats> {
  const { ops } = pairOps(history);
  const mine = ops.filter((op) => op.f === options.add || op.f === 'read');
  const origin = originOf(ops);
  const adds = new Map<string, PairedOp>();
  for (const op of mine) if (op.f === options.add && !adds.has(jsonKey(op.input))) adds.set(jsonKey(op.input), op);
  const reads: Read[] = mine
    .filter((op) => op.f === 'read' && op.type === 'ok' && Array.isArray(op.output))
    .map((op) => ({ op, has: new Set((op.output as unknown[]).map(jsonKey)) }))
    .sort((a, b) => a.op.invokeMs - b.op.invokeMs || a.op.index - b.op.index);

  // Each node's final read: the last one it answered.
  const finalAsked = [...new Set(mine.filter((op) => op.f === 'read' && op.final).map((op) => op.node ?? String(op.process)))].sort();
  const finals = new Map<string, Read>();
  for (const read of reads) if (read.op.final) finals.set(read.op.node ?? String(read.op.process), read);

  const unexpected = new Map<string, Read>();
  for (const read of reads) for (const value of read.has) if (!unexpected.has(value) && !(adds.get(value)?.type === 'ok' || adds.get(value)?.type === 'info')) unexpected.set(value, read);

  const acked = [...adds.entries()].filter(([, op]) => op.type === 'ok');
  const lost: { value: string; add: PairedOp; read: Read }[] = [];
  for (const [value, add] of acked) {
    const missing = [...finals.values()].find((read) => !read.has.has(value));
    if (missing) lost.push({ value, add, read: missing });
  }

  const latencies: number[] = [];
  let neverStable = 0;
  for (const [value, add] of adds) {
    if (add.type !== 'ok') continue;
    const after = reads.filter((read) => read.op.invokeMs >= add.invokeMs);
    let lastMiss = -1;
    after.forEach((read, i) => {
      if (!read.has.has(value)) lastMiss = i;
    });
    const stable = after[lastMiss + 1];
    if (stable) latencies.push(stable.op.invokeMs - add.invokeMs);
    else if (lastMiss >= 0) neverStable += 1;
  }

  const stats: SetStats = {
    ...baseStats(mine),
    acknowledged: acked.length,
    indefinite: [...adds.values()].filter((op) => op.type === 'info').length,
    lost: lost.length,
    unexpected: unexpected.size,
    finalReads: finals.size,
    nodesWithoutFinalRead: finalAsked.filter((node) => !finals.has(node)),
    stableLatencyMs: percentiles(latencies),
    neverStable,
  };
  const early = preliminary(mine, stats);
  if (early) return early;
  const noun = options.noun;
  if (unexpected.size > 0) {
    const [value, read] = [...unexpected.entries()][0];
    const add = adds.get(value);
    const why = add ? `its ${options.add} certainly failed (${add.error?.name ?? 'fail'})` : `no client ever added it`;
    return { valid: false, reason: `${who(read.op)} read ${noun} ${value} ${at(read.op.invokeMs, origin)}, but ${why}`, stats };
  }
  if (lost.length > 0) {
    const { value, add, read } = lost[0];
    return {
      valid: false,
      reason: `${noun} ${value} was acknowledged by ${who(add)} ${at(add.endMs ?? add.invokeMs, origin)}, but the final read on ${read.op.node ?? `client ${String(read.op.process)}`} does not have it${lost.length > 1 ? ` (${lost.length} acknowledged ${noun}s are missing from some final read)` : ''}`,
      stats,
    };
  }
  if (finalAsked.length === 0) return { valid: 'unknown', reason: `no final read was made, so nobody knows whether every node got every ${noun}`, stats };
  if (stats.nodesWithoutFinalRead.length > 0) return { valid: 'unknown', reason: `${stats.nodesWithoutFinalRead.join(', ')} never answered a final read, so nobody knows whether ${stats.nodesWithoutFinalRead.length === 1 ? 'it has' : 'they have'} every ${noun}`, stats };
  if (acked.length === 0) return { valid: false, reason: `no ${options.add} was ever acknowledged`, stats };
  return { valid: true, reason: `every one of the ${acked.length} acknowledged ${noun}s is in the final read of every node (${finals.size})`, stats };
}
