/**
 * The history of a replicated register (pure), from its `state` lines (`register-lines.ts`):
 * every write with its origin (node, seq, true time, stamp), every decision a replica traced about
 * one, and what became of each write.
 *
 * A write is `kept` when every replica that decided on it (in that replica's current life: a
 * revived replica starts empty) holds it at the end of the trace. It is `lost` when some replica
 * discarded it or overwrote it, or no longer holds it: whichever write beat it, earlier or later in
 * true time. A write replaced by a later one is `lost` here too; `lostUpdates` picks out the lost
 * updates, the writes lost to one made earlier.
 *
 * `siblings` answers what one replica holds for a key at the end: more than one value are siblings
 * (a `vector` register keeps concurrent writes side by side).
 */
import { compareNodeIds, compare } from '@faultline/clock';
import type { NodeId, RegisterDecisionKind, RegisterResolution, TraceLine, WriteStamp } from '@faultline/protocol';
import { registerLines, Replicas, type OriginWrite, type RegisterLines } from './register-lines.js';

export type WriteFate = 'kept' | 'lost';

export interface RegisterWriteRecord extends OriginWrite {
  readonly fate: WriteFate;
  /** The replicas that decided on it, in their current life. */
  readonly decidedBy: readonly NodeId[];
  /** The replicas that hold it at the end of the trace. */
  readonly heldBy: readonly NodeId[];
  /** The ids of the writes it lost to (a `discard`'s others, an `overwrite`'s write), in trace order. */
  readonly lostTo: readonly string[];
}

export interface RegisterDecisionRecord {
  readonly node: NodeId;
  readonly kind: RegisterDecisionKind;
  readonly seq: number;
  readonly trueMs: number;
  readonly key: string;
  readonly resolution: RegisterResolution;
  /** The id of the write decided on. */
  readonly write: string;
  /** The ids of the others: the writes it beat (`overwrite`), lost to (`discard`), is kept beside (`sibling`). */
  readonly others: readonly string[];
}

export interface RegisterHistory {
  /** Every write with a `write` line (on `key`, when given), in trace order. */
  readonly writes: readonly RegisterWriteRecord[];
  readonly decisions: readonly RegisterDecisionRecord[];
}

/** What one replica holds for a key. */
export interface RegisterHolding {
  readonly node: NodeId;
  readonly key: string;
  readonly ids: readonly string[];
  readonly values: readonly unknown[];
  /** The pairs of `ids` whose writes are concurrent by vector clock (a write whose stamp is unknown is in none). */
  readonly concurrent: readonly (readonly [string, string])[];
  /**
   * Where this comes from: the replica's last decision on the key that changed what it held, its
   * last `read` of it, its restart (a new life holds nothing), or `none` of these in the trace.
   */
  readonly from: 'decision' | 'read' | 'start' | 'none';
  /** The seq of that line (null: `none`). */
  readonly seq: number | null;
}

/** The history of the register's writes (on `key`, when given). */
export function registerHistory(lines: readonly TraceLine[], options: { key?: string } = {}): RegisterHistory {
  return historyOf(registerLines(lines, options.key));
}

/** The history of scanned lines: `writes[i]` is `scan.writes[i]`'s. */
export function historyOf(scan: RegisterLines): RegisterHistory {
  const replicas = new Replicas();
  const decided = new Map<NodeId, Set<number>>();
  const lostTo = scan.writes.map(() => new Set<string>());
  const decisions: RegisterDecisionRecord[] = [];
  for (const e of scan.events) {
    replicas.apply(e);
    if (e.type === 'start') decided.delete(e.node);
    if (e.type !== 'decision') continue;
    const { seq, trueMs, node, kind, key, resolution } = e;
    decisions.push({ node, kind, seq, trueMs, key, resolution, write: e.write.write.id, others: e.others.map((o) => o.write.id) });
    if (e.write.ref !== undefined) decided.set(node, (decided.get(node) ?? new Set()).add(e.write.ref));
    if (kind === 'discard' && e.write.ref !== undefined) for (const o of e.others) lostTo[e.write.ref].add(o.write.id);
    if (kind === 'overwrite') for (const o of e.others) if (o.ref !== undefined) lostTo[o.ref].add(e.write.write.id);
  }
  const heldBy = scan.writes.map(() => new Set<NodeId>());
  for (const [node, keys] of replicas.all()) for (const held of keys.values()) for (const w of held) if (w.ref !== undefined) heldBy[w.ref].add(node);
  const writes = scan.writes.map((w, i): RegisterWriteRecord => {
    const by = [...decided].filter(([, refs]) => refs.has(i)).map(([node]) => node);
    const fate: WriteFate = lostTo[i].size > 0 || by.some((n) => !heldBy[i].has(n)) ? 'lost' : 'kept';
    return { ...w, fate, decidedBy: by.sort(compareNodeIds), heldBy: [...heldBy[i]].sort(compareNodeIds), lostTo: [...lostTo[i]] };
  });
  return { writes, decisions };
}

/** What `node` holds for `key` at the end of the trace, as its decisions show, or its last read. */
export function siblings(lines: readonly TraceLine[], options: { node: NodeId; key: string }): RegisterHolding {
  const { node, key } = options;
  const replicas = new Replicas();
  const stamps = new Map<string, WriteStamp>();
  const scan = registerLines(lines, key);
  let holding: RegisterHolding = { node, key, ids: [], values: [], concurrent: [], from: 'none', seq: null };
  for (const e of scan.events) {
    if (e.type === 'write') stamps.set(scan.writes[e.ref].id, scan.writes[e.ref].stamp);
    if (e.type === 'decision') for (const w of [e.write, ...e.others]) stamps.set(w.write.id, w.write.stamp);
    if (e.node !== node) continue;
    if (e.type === 'read') {
      holding = { node, key, ids: e.ids, values: e.values, concurrent: concurrentPairs(e.ids.map((id) => [id, stamps.get(id)])), from: 'read', seq: e.seq };
    } else if (replicas.apply(e) && e.type !== 'write') {
      const held = replicas.of(node, key).map((w) => w.write);
      const from = e.type === 'start' ? 'start' : 'decision';
      holding = { node, key, ids: held.map((w) => w.id), values: held.map((w) => w.value), concurrent: concurrentPairs(held.map((w) => [w.id, w.stamp])), from, seq: e.seq };
    }
  }
  return holding;
}

function concurrentPairs(writes: readonly (readonly [string, WriteStamp | undefined])[]): [string, string][] {
  const pairs: [string, string][] = [];
  writes.forEach(([a, sa], i) => {
    for (const [b, sb] of writes.slice(i + 1)) if (sa && sb && compare(sa.vc, sb.vc) === 'concurrent') pairs.push([a, b]);
  });
  return pairs;
}
