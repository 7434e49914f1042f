/**
 * Leaders in true time (pure): who led when, whether two led at once (split brain), and which
 * acknowledged writes a node later threw away. It reads the `leader` behaviour's `state` lines
 * (`leader.ts` in the protocol) and the lab's `crash`, `exit` lines.
 *
 * A term of office runs from its `leader` line to the first of:
 * - its `step_down` (same node and term, `was: 'leader'`);
 * - for a quorum leader, the end of its lease: the latest of (the `leader` line's true time +
 *   `leftMs`, or `leaseMs` when it has no `leftMs`) and each `lease` line's true time + `leftMs`,
 *   once a line of that node (or the trace's end) comes after it unrenewed. A paused leader still
 *   believes it leads, and says so when it resumes: only its lease tells when it stopped counting;
 * - a `crash` or `exit` of its node, or a new `node_start` (a new life);
 * - else it is still leading at the trace's end (`toTrueMs: null`).
 * Terms of office are half-open [from, to): a leader that takes over the very instant another
 * ends does not overlap it.
 */
import { compareNodeIds } from '@faultline/clock';
import {
  leaderAcceptedEventSchema,
  leaderAdoptEventSchema,
  leaderLeaseEventSchema,
  leaderStepDownEventSchema,
  leaderTermEventSchema,
  type NodeId,
  type TraceLine,
} from '@faultline/protocol';

export type LeadershipEnd = 'step_down' | 'lease' | 'crash' | 'end';

export interface Leadership {
  readonly node: NodeId;
  readonly term: number;
  readonly quorum: boolean;
  readonly fromTrueMs: number;
  /** When it stopped leading, or null: still leading at the trace's end. */
  readonly toTrueMs: number | null;
  readonly ended: LeadershipEnd;
}

export interface LeaderOverlap {
  /** The most leaders at one true instant. */
  readonly max: number;
  /** The total true time with two leaders or more (up to the trace's last line). */
  readonly overlapMs: number;
  /** The first instant with two leaders or more, and who they were (by node). */
  readonly first: { readonly atTrueMs: number; readonly leaders: { readonly node: NodeId; readonly term: number }[] } | null;
}

export interface LostLeaderWrite {
  /** The leader that acknowledged it. */
  readonly node: NodeId;
  readonly key: string;
  readonly value: unknown;
  readonly term: number;
  readonly acceptedTrueMs: number;
}

const BEHAVIOUR = 'leader';
type StateLine = Extract<TraceLine, { kind: 'state' }> & { node: NodeId };
const leaderState = (line: TraceLine, key: string): line is StateLine => line.kind === 'state' && line.behaviour === BEHAVIOUR && line.key === key && line.node !== undefined;

interface Open {
  readonly node: NodeId;
  readonly term: number;
  readonly quorum: boolean;
  readonly fromTrueMs: number;
  /** For a quorum leader, when its lease ends as far as the trace says yet (null: unknown). */
  leaseEndMs: number | null;
}

/** Every term of office in the trace, in the order they began. */
export function leaderships(lines: readonly TraceLine[]): Leadership[] {
  const done: (Leadership & { order: number })[] = [];
  const open = new Map<NodeId, Open & { order: number }>();
  let order = 0;
  let endMs = -Infinity;
  const close = (node: NodeId, toTrueMs: number | null, ended: LeadershipEnd): void => {
    const o = open.get(node);
    if (!o) return;
    open.delete(node);
    done.push({ node, term: o.term, quorum: o.quorum, fromTrueMs: o.fromTrueMs, toTrueMs, ended, order: o.order });
  };
  /** A quorum leader whose lease ended before `atMs` stopped leading then. */
  const lapse = (node: NodeId, atMs: number): void => {
    const o = open.get(node);
    if (o?.quorum && o.leaseEndMs !== null && o.leaseEndMs < atMs) close(node, o.leaseEndMs, 'lease');
  };
  for (const line of lines) {
    endMs = Math.max(endMs, line.trueMs);
    const node = line.node;
    if (node === undefined) continue;
    lapse(node, line.trueMs);
    if (line.kind === 'crash' || line.kind === 'exit' || line.kind === 'node_start') close(node, line.trueMs, 'crash');
    else if (leaderState(line, 'leader')) {
      const v = leaderTermEventSchema.safeParse(line.value);
      if (!v.success) continue;
      close(node, line.trueMs, 'step_down');
      const leftMs = v.data.leftMs ?? v.data.leaseMs;
      open.set(node, { node, term: v.data.term, quorum: v.data.quorum, fromTrueMs: line.trueMs, leaseEndMs: v.data.quorum && leftMs !== undefined ? line.trueMs + leftMs : null, order: order++ });
    } else if (leaderState(line, 'lease')) {
      const v = leaderLeaseEventSchema.safeParse(line.value);
      const o = open.get(node);
      if (v.success && o?.term === v.data.term) o.leaseEndMs = Math.max(o.leaseEndMs ?? -Infinity, line.trueMs + v.data.leftMs);
    } else if (leaderState(line, 'step_down')) {
      const v = leaderStepDownEventSchema.safeParse(line.value);
      if (v.success && v.data.was === 'leader' && open.get(node)?.term === v.data.term) close(node, line.trueMs, 'step_down');
    }
  }
  for (const [node, o] of [...open]) {
    if (o.quorum && o.leaseEndMs !== null && o.leaseEndMs < endMs) close(node, o.leaseEndMs, 'lease');
    else close(node, null, 'end');
  }
  return done.sort((a, b) => a.order - b.order).map(({ order: _, ...l }) => l);
}

/** Whether two leaders (or more) held office at one true instant, for how long, and first when. */
export function overlappingLeaders(lines: readonly TraceLine[]): LeaderOverlap {
  const endMs = lines.reduce((m, l) => Math.max(m, l.trueMs), -Infinity);
  const all = leaderships(lines);
  // +1 where a term begins, -1 where it ends; at one instant, ends first (a handover is no overlap).
  const events: { atMs: number; delta: 1 | -1; index: number }[] = [];
  all.forEach((l, index) => {
    if (l.toTrueMs !== null && l.toTrueMs <= l.fromTrueMs) return;
    events.push({ atMs: l.fromTrueMs, delta: 1, index });
    if (l.toTrueMs !== null) events.push({ atMs: l.toTrueMs, delta: -1, index });
  });
  events.sort((a, b) => a.atMs - b.atMs || a.delta - b.delta);
  const active = new Set<number>();
  let max = 0;
  let overlapMs = 0;
  let first: LeaderOverlap['first'] = null;
  let lastMs = -Infinity;
  for (const e of events) {
    if (active.size >= 2) overlapMs += Math.max(0, Math.min(e.atMs, endMs) - Math.min(lastMs, endMs));
    lastMs = e.atMs;
    if (e.delta === -1) {
      active.delete(e.index);
      continue;
    }
    active.add(e.index);
    max = Math.max(max, active.size);
    if (active.size >= 2 && first === null) {
      const leaders = [...active].map((i) => ({ node: all[i].node, term: all[i].term })).sort((a, b) => compareNodeIds(a.node, b.node) || a.term - b.term);
      first = { atTrueMs: e.atMs, leaders };
    }
  }
  if (active.size >= 2) overlapMs += Math.max(0, endMs - lastMs);
  return { max, overlapMs, first };
}

/**
 * The acknowledged writes (`accepted`) that a node later dropped when it took another leader's
 * entries (`adopt`'s `dropped`: same key, value and term), in the order they were acknowledged;
 * each once, however many nodes dropped it. Of several equal writes, as many as one `adopt`
 * dropped (after they were acknowledged) count as lost, the earliest first.
 */
export function lostLeaderWrites(lines: readonly TraceLine[]): LostLeaderWrite[] {
  const accepted: (LostLeaderWrite & { seq: number; signature: string })[] = [];
  /** signature → how many of its acknowledged writes were lost. */
  const lostCount = new Map<string, number>();
  for (const line of lines) {
    if (leaderState(line, 'accepted')) {
      const v = leaderAcceptedEventSchema.safeParse(line.value);
      if (v.success) accepted.push({ node: line.node, key: v.data.key, value: v.data.value, term: v.data.term, acceptedTrueMs: line.trueMs, seq: line.seq, signature: signature(v.data.key, v.data.value, v.data.term) });
    } else if (leaderState(line, 'adopt')) {
      const v = leaderAdoptEventSchema.safeParse(line.value);
      if (!v.success) continue;
      const dropped = new Map<string, number>();
      for (const d of v.data.dropped) {
        const s = signature(d.key, d.value, d.term);
        dropped.set(s, (dropped.get(s) ?? 0) + 1);
      }
      for (const [s, n] of dropped) {
        const before = accepted.filter((a) => a.signature === s && a.seq < line.seq).length;
        lostCount.set(s, Math.max(lostCount.get(s) ?? 0, Math.min(n, before)));
      }
    }
  }
  const seen = new Map<string, number>();
  return accepted
    .filter((a) => {
      const k = (seen.get(a.signature) ?? 0) + 1;
      seen.set(a.signature, k);
      return k <= (lostCount.get(a.signature) ?? 0);
    })
    .map(({ seq: _, signature: __, ...w }) => w);
}

const signature = (key: string, value: unknown, term: number): string => `${key}\u0000${term}\u0000${JSON.stringify(value)}`;
