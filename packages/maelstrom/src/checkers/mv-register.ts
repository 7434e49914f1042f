/**
 * mv-register's checker (pure): a multi-value register, key by key. A write's history value is
 * `{value, seen}` (the values its context had seen), a read's `{values, context}`.
 *
 * Rules, in this order (the first broken one is the reason):
 * 1. every value read (any read) was written by a write that was acknowledged or may have
 *    happened; a value nobody wrote, or whose write certainly failed, is invalid;
 * 2. a final read names each value once;
 * 3. converged: every node's final read holds the same values;
 * 4. no final value was seen by an acknowledged write (that write replaced it);
 * 5. every acknowledged write is in the final values, unless some write (acknowledged or of
 *    unknown outcome) had seen it: else it is lost;
 * 6. every node answered its final read ('unknown' if one did not), and some write was
 *    acknowledged.
 * Reads before the final ones may lag behind (the register is only eventually consistent).
 */
import type { MaelstromHistoryEvent } from '@faultline/protocol';
import { pairOps, type PairedOp } from '../history/pair.js';
import { jsonKey, show } from '../json.js';
import { baseStats, preliminary, type BaseStats, type Verdict } from './verdict.js';

export interface MvRegisterStats extends BaseStats {
  readonly keys: number;
  /** Writes acknowledged, and of unknown outcome. */
  readonly acknowledged: number;
  readonly indefinite: number;
  /** Writes that had seen nothing (blind, or on an empty register). */
  readonly blind: number;
  /** Acknowledged writes neither in the final values nor seen by any write. */
  readonly lost: number;
  /** The most siblings one read answered. */
  readonly maxSiblings: number;
  /** Values in the final reads (all keys). */
  readonly finalValues: number;
  readonly finalReads: number;
  readonly nodesWithoutFinalRead: readonly string[];
}

interface Write {
  readonly op: PairedOp;
  readonly value: unknown;
  readonly seen: readonly string[];
}

interface Read {
  readonly op: PairedOp;
  readonly values: readonly unknown[];
}

/** Who did an operation, as the trace names them: `c2 on n3`. */
function by(op: PairedOp): string {
  const client = typeof op.process === 'number' ? `c${op.process + 1}` : op.process;
  return op.node === undefined ? client : `${client} on ${op.node}`;
}

const outcome = (op: PairedOp): string => (op.type === 'ok' ? 'acknowledged' : op.type === 'info' ? 'outcome unknown' : 'failed');
const describe = (w: Write): string => `write of ${show(w.value)} (${by(w.op)}, ${outcome(w.op)})`;
const nodeOf = (op: PairedOp): string => op.node ?? String(op.process);

/** Values in a stable order for a sentence: numbers by size, then the rest by their JSON. */
function list(values: Iterable<unknown>): string {
  const sorted = [...values].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : jsonKey(a) < jsonKey(b) ? -1 : jsonKey(a) > jsonKey(b) ? 1 : 0));
  return show(sorted, 60);
}

export function checkMvRegister(history: readonly MaelstromHistoryEvent[]): Verdict<MvRegisterStats> {
  const { ops } = pairOps(history);
  const mine = ops.filter((op) => op.f === 'read' || op.f === 'write');
  const keys = [...new Map(mine.filter((op) => op.key !== undefined).map((op) => [jsonKey(op.key), op.key!])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const ofKey = keys.length > 1 ? (key: unknown): string => ` of key ${show(key)}` : (): string => '';

  const writes = mine.filter((op) => op.f === 'write').map((op): Write => {
    const input = (op.input ?? {}) as { value?: unknown; seen?: unknown };
    return { op, value: input.value, seen: Array.isArray(input.seen) ? input.seen.map(jsonKey) : [] };
  });
  const reads: Read[] = mine
    .filter((op) => op.f === 'read' && op.type === 'ok')
    .map((op) => ({ op, values: Array.isArray((op.output as { values?: unknown } | undefined)?.values) ? (op.output as { values: unknown[] }).values : [] }));

  const problems: { rule: number; reason: string }[] = [];
  let lostCount = 0;
  let finalValues = 0;
  const finalAsked = new Set<string>();
  const answered = new Set<string>();
  const missing = new Set<string>();
  for (const [id, key] of keys) {
    const k = ofKey(key);
    const mineWrites = writes.filter((w) => jsonKey(w.op.key) === id);
    const written = new Map(mineWrites.map((w) => [jsonKey(w.value), w]));
    const seenBy = new Map<string, Write[]>();
    for (const w of mineWrites) if (w.op.type !== 'fail') for (const v of w.seen) seenBy.set(v, [...(seenBy.get(v) ?? []), w]);
    const keyReads = reads.filter((r) => jsonKey(r.op.key) === id);

    // 1. Every value read was written (by a write that may have happened).
    for (const read of keyReads) {
      const bad = read.values.find((v) => written.get(jsonKey(v))?.op.type !== 'ok' && written.get(jsonKey(v))?.op.type !== 'info');
      if (bad === undefined) continue;
      const w = written.get(jsonKey(bad));
      const why = w ? `its write (${by(w.op)}) certainly failed (${w.op.error?.name ?? 'fail'})` : 'no client ever wrote it';
      problems.push({ rule: 1, reason: `the ${read.op.final ? 'final ' : ''}read${k} by ${by(read.op)} answered ${show(bad)}, but ${why}` });
      break;
    }

    // Each node's final read of the key: the last it answered.
    const asked = [...new Set(mine.filter((op) => op.f === 'read' && op.final && jsonKey(op.key) === id).map(nodeOf))].sort();
    const finals = new Map<string, Read>();
    for (const read of keyReads) if (read.op.final) finals.set(nodeOf(read.op), read);
    for (const node of asked) {
      finalAsked.add(node);
      if (finals.has(node)) answered.add(node);
      else missing.add(node);
    }

    // 2. A value once in a final read.
    for (const [node, read] of finals) {
      const twice = read.values.find((v, i) => read.values.findIndex((u) => jsonKey(u) === jsonKey(v)) !== i);
      if (twice !== undefined) {
        problems.push({ rule: 2, reason: `the final read${k} on ${node} answers ${show(twice)} more than once: a value is one sibling, however often it arrives` });
        break;
      }
    }

    // 3. Converged: one set of values on every node.
    const groups = new Map<string, { nodes: string[]; values: readonly unknown[] }>();
    for (const [node, read] of [...finals.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const set = [...new Set(read.values.map(jsonKey))].sort().join(',');
      const group = groups.get(set) ?? { nodes: [], values: read.values };
      group.nodes.push(node);
      groups.set(set, group);
    }
    if (groups.size > 1) {
      const parts = [...groups.values()].map((g) => `${g.nodes.join(' and ')} ${g.nodes.length === 1 ? 'answers' : 'answer'} ${list(new Set(g.values))}`);
      problems.push({ rule: 3, reason: `not converged: after the heal the final reads${k} differ (${parts.join('; ')}): every node must end with the same values` });
    }
    if (finals.size === 0) continue;
    const final = [...finals.values()][0].values;
    const finalSet = new Set(final.map(jsonKey));
    finalValues += finalSet.size;

    // 4. No final value that an acknowledged write had seen (and so replaced).
    for (const v of final) {
      const replacer = seenBy.get(jsonKey(v))?.find((w) => w.op.type === 'ok');
      if (!replacer) continue;
      problems.push({ rule: 4, reason: `${show(v)} is in the final read${k} on every node, but the ${describe(replacer)} had seen it, so it replaced it: a value a write has seen must go` });
      break;
    }

    // 5. No acknowledged write lost: in the final values, or seen by a write.
    const lost = mineWrites.filter((w) => w.op.type === 'ok' && !finalSet.has(jsonKey(w.value)) && !seenBy.has(jsonKey(w.value)));
    lostCount += lost.length;
    if (lost.length > 0) {
      const more = lost.length > 1 ? ` (${lost.length} acknowledged writes are lost in all)` : '';
      problems.push({ rule: 5, reason: `the ${describe(lost[0])} is lost: no write saw it, yet the final read${k} on every node is ${list(final)}: two concurrent writes must both be kept${more}` });
    }
  }

  const ackedWrites = writes.filter((w) => w.op.type === 'ok');
  const stats: MvRegisterStats = {
    ...baseStats(mine),
    keys: keys.length,
    acknowledged: ackedWrites.length,
    indefinite: writes.filter((w) => w.op.type === 'info').length,
    blind: writes.filter((w) => w.seen.length === 0).length,
    lost: lostCount,
    maxSiblings: reads.reduce((max, r) => Math.max(max, r.values.length), 0),
    finalValues,
    finalReads: answered.size,
    nodesWithoutFinalRead: [...missing].sort(),
  };
  const early = preliminary(mine, stats);
  if (early) return early;
  const first = problems.sort((a, b) => a.rule - b.rule)[0];
  if (first) return { valid: false, reason: first.reason, stats };
  if (finalAsked.size === 0) return { valid: 'unknown', reason: 'no final read was made, so nobody knows what the nodes ended with', stats };
  if (missing.size > 0) return { valid: 'unknown', reason: `${[...missing].sort().join(', ')} never answered a final read, so nobody knows what ${missing.size === 1 ? 'it' : 'they'} ended with`, stats };
  if (ackedWrites.length === 0) return { valid: false, reason: 'no write was ever acknowledged', stats };
  return {
    valid: true,
    reason: `every one of the ${ackedWrites.length} acknowledged writes is in the final reads or was seen by a later write, and the ${answered.size} nodes agree (${keys.length > 1 ? `${finalValues} values at the end, over ${keys.length} keys` : `${finalValues} ${finalValues === 1 ? 'value' : 'siblings'} at the end`})`,
    stats,
  };
}
