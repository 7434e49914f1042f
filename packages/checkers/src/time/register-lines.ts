/**
 * The replicated register's `state` lines (behaviour `register`, `register.ts` in the protocol),
 * read into writes, decisions and reads in trace order (pure): what `registerHistory`,
 * `lostUpdates` and `siblings` are built on.
 *
 * - A `write` line's value is the client's write `{id, node, key, value}`; its stamp is the line's
 *   own clocks (the behaviour stamps a write with the clocks of its `write` event), its origin time
 *   the line's true time.
 * - A decision (`apply`, `overwrite`, `discard`, `sibling`) carries full writes, with their stamps:
 *   each is matched to the `write` line it came from by id and stamp. A write id is unique only in
 *   one life of its node (`n1/w1` again after a revive), so the stamp (Lamport and wall reading)
 *   tells the lives apart; failing that, the id's latest `write` line before the decision.
 * - A `node_start` of a node that ran the register begins a new life: its replica starts empty.
 *
 * Lines whose value does not parse are left out. A write whose `write` line is not in the trace
 * (its node's report was lost with its process) is met only in decisions: it has no origin.
 */
import { isNodeEvent, REGISTER_DECISIONS, registerDecisionSchema, readEventSchema, registerWriteSchema, type NodeId, type RegisterDecisionKind, type RegisterResolution, type RegisterWrite, type TraceLine, type WriteStamp } from '@faultline/protocol';

const writeLineSchema = registerWriteSchema.omit({ stamp: true });
const DECISIONS: ReadonlySet<string> = new Set(REGISTER_DECISIONS);

/** A write at its origin: its `write` line. */
export interface OriginWrite {
  readonly id: string;
  readonly node: NodeId;
  readonly key: string;
  readonly value: unknown;
  /** The seq of its `write` line. */
  readonly seq: number;
  /** True time at its origin: the `write` line's. */
  readonly trueMs: number;
  /** Its origin's clocks at the write: the `write` line's (what a resolution compares). */
  readonly stamp: WriteStamp;
}

/** A write as a decision carries it, and the index of its `write` line in `RegisterLines.writes` (undefined: none). */
export interface WriteRef {
  readonly write: RegisterWrite;
  readonly ref: number | undefined;
}

export type RegisterEvent =
  | { readonly type: 'write'; readonly seq: number; readonly node: NodeId; readonly ref: number }
  | {
      readonly type: 'decision';
      readonly seq: number;
      readonly trueMs: number;
      readonly node: NodeId;
      readonly kind: RegisterDecisionKind;
      readonly key: string;
      readonly resolution: RegisterResolution;
      readonly write: WriteRef;
      readonly others: readonly WriteRef[];
    }
  | { readonly type: 'read'; readonly seq: number; readonly node: NodeId; readonly key: string; readonly ids: readonly string[]; readonly values: readonly unknown[] }
  | { readonly type: 'start'; readonly seq: number; readonly node: NodeId };

export interface RegisterLines {
  /** Every write with a `write` line, in trace order. */
  readonly writes: readonly OriginWrite[];
  readonly events: readonly RegisterEvent[];
}

const stampKey = (id: string, s: Pick<WriteStamp, 'lamport' | 'wallMs'>): string => `${id}\u0000${s.lamport}\u0000${s.wallMs}`;

/** The register's lines of `lines` (only those about `key`, when given). */
export function registerLines(lines: readonly TraceLine[], key?: string): RegisterLines {
  const writes: OriginWrite[] = [];
  const events: RegisterEvent[] = [];
  const byStamp = new Map<string, number>();
  const byId = new Map<string, number[]>();
  const registerNodes = new Set<NodeId>();
  const refOf = (write: RegisterWrite): WriteRef => {
    const exact = byStamp.get(stampKey(write.id, write.stamp));
    return { write, ref: exact ?? byId.get(write.id)?.at(-1) };
  };
  for (const line of lines) {
    if (!isNodeEvent(line)) continue;
    const { node, seq } = line;
    if (line.kind === 'node_start') {
      if (registerNodes.has(node)) events.push({ type: 'start', seq, node });
      continue;
    }
    if (line.kind !== 'state' || line.behaviour !== 'register') continue;
    registerNodes.add(node);
    if (line.key === 'write') {
      const parsed = writeLineSchema.safeParse(line.value);
      if (!parsed.success || (key !== undefined && parsed.data.key !== key)) continue;
      const { wallMs, lamport, hlc, vc } = line.clocks;
      const w: OriginWrite = { ...parsed.data, value: parsed.data.value, seq, trueMs: line.trueMs, stamp: { wallMs, lamport, hlc, vc } };
      const ref = writes.push(w) - 1;
      byStamp.set(stampKey(w.id, w.stamp), ref);
      byId.set(w.id, (byId.get(w.id) ?? []).concat(ref));
      events.push({ type: 'write', seq, node, ref });
    } else if (DECISIONS.has(line.key)) {
      const parsed = registerDecisionSchema.safeParse(line.value);
      if (!parsed.success || (key !== undefined && parsed.data.key !== key)) continue;
      const d = parsed.data;
      const kind = line.key as RegisterDecisionKind;
      events.push({ type: 'decision', seq, trueMs: line.trueMs, node, kind, key: d.key, resolution: d.resolution, write: refOf(d.write), others: d.others.map(refOf) });
    } else if (line.key === 'read') {
      const parsed = readEventSchema.safeParse(line.value);
      if (!parsed.success || (key !== undefined && parsed.data.key !== key)) continue;
      events.push({ type: 'read', seq, node, key: parsed.data.key, ids: parsed.data.ids, values: parsed.data.values });
    }
  }
  return { writes, events };
}

/**
 * What each replica holds, decision by decision: `apply` and `overwrite` leave the key holding the
 * write alone; `sibling` the write beside `others`; `discard` changes nothing; a new life of the
 * node empties its replica. (A read changes nothing: it shows what is held.)
 */
export class Replicas {
  private readonly held = new Map<NodeId, Map<string, readonly WriteRef[]>>();

  /** Applies one event; answers whether it changed what `node` holds. */
  apply(e: RegisterEvent): boolean {
    if (e.type === 'start') {
      this.held.delete(e.node);
      return true;
    }
    if (e.type !== 'decision' || e.kind === 'discard') return false;
    const keys = this.held.get(e.node) ?? new Map<string, readonly WriteRef[]>();
    this.held.set(e.node, keys);
    keys.set(e.key, e.kind === 'sibling' ? [...e.others, e.write] : [e.write]);
    return true;
  }

  /** What `node` holds for `key` now. */
  of(node: NodeId, key: string): readonly WriteRef[] {
    return this.held.get(node)?.get(key) ?? [];
  }

  /** Every replica's holdings: node → key → writes. */
  all(): ReadonlyMap<NodeId, ReadonlyMap<string, readonly WriteRef[]>> {
    return this.held;
  }
}
