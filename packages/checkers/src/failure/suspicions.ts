/**
 * A failure detector's suspicions against the truth (pure). Each `suspect` state line (behaviour
 * `detector`, `detector.ts` in the protocol) is judged by the lab's own lines (`node-truth.ts`):
 * right when the peer was really down at that place in the trace (crashed or paused), wrong when
 * it was alive — cut off by a partition, slowed by a delay, or only unheard because the observer
 * itself was paused. The node cannot know which; the trace can.
 *
 * - `suspicions`: every suspicion, judged, with when its `trust` line ended it.
 * - `detections`: for each real failure of a node that ran a detector, for each other node that
 *   ran one by then (and was not crashed itself), when that observer first suspected it, after the
 *   failure and before the node came back; an observer already suspecting it when it failed
 *   detected it at once (0 ms). Null: never, within the trace (a trace that ends too soon after a
 *   failure counts it as missed too).
 * - `suspicionSummary`: the figures a lesson asserts and a sweep charts: suspicions right and
 *   wrong, detection time (median, max), detections missed.
 */
import { compareNodeIds } from '@faultline/clock';
import { DETECTOR_BEAT, detectorSuspectSchema, detectorTrustSchema, type NodeId, type TraceLine } from '@faultline/protocol';
import { comparePoints, NodeTruths, type DownHow, type NodeTruth, type TracePoint } from './node-truth.js';

export interface Suspicion {
  /** The node whose detector suspected. */
  readonly observer: NodeId;
  readonly peer: NodeId;
  /** The seq and true time of its `suspect` line. */
  readonly seq: number;
  readonly trueMs: number;
  /** The observer's gap since the peer's last beat, when it suspected (its monotonic ms). */
  readonly sinceMs: number;
  /** The true time of its `trust` line, or null: suspected until the trace's end, or the observer's own end. */
  readonly endTrueMs: number | null;
  /** The peer was really down (crashed or paused) at that moment. */
  readonly right: boolean;
  readonly truth: NodeTruth;
}

export interface Detection {
  /** The node that failed. */
  readonly peer: NodeId;
  readonly observer: NodeId;
  readonly failedTrueMs: number;
  readonly how: DownHow;
  /** When it came back (revive, resume), or null: still down at the trace's end. */
  readonly recoveredTrueMs: number | null;
  /** The true time of the observer's first suspicion of it in that failure, or null: never. */
  readonly detectedTrueMs: number | null;
  /** detectedTrueMs − failedTrueMs. */
  readonly detectionMs: number | null;
}

export interface SuspicionWindow {
  readonly observer?: NodeId;
  readonly peer?: NodeId;
  /** Suspicions and failures from this true time (included)… */
  readonly sinceTrueMs?: number;
  /** …to this one (excluded). */
  readonly untilTrueMs?: number;
}

export interface SuspicionSummary {
  readonly suspicions: number;
  readonly right: number;
  readonly wrong: number;
  /** Over the failures detected; null when none was. */
  readonly detectionMs: { readonly median: number; readonly max: number } | null;
  /** Failures (× observers) never detected. */
  readonly missed: number;
}

const BEHAVIOUR = 'detector';
type StateLine = Extract<TraceLine, { kind: 'state' }> & { node: NodeId };
const detectorLine = (line: TraceLine): line is StateLine => line.kind === 'state' && line.behaviour === BEHAVIOUR && line.node !== undefined;
/** A line that shows its node runs a detector: one of the detector's own, or a heartbeat it sent (a window of a trace may hold only those). */
const runsDetector = (line: TraceLine): line is TraceLine & { node: NodeId } => detectorLine(line) || (line.kind === 'send' && line.msgType === DETECTOR_BEAT && line.node !== undefined);

interface Judged extends Suspicion {
  /** Where it ended: its `trust`, or the observer's crash or new life; null: never. */
  readonly endAt: TracePoint | null;
}

/** Every suspicion in the trace, judged, in trace order. */
export function suspicions(lines: readonly TraceLine[]): Suspicion[] {
  return judge(lines, new NodeTruths(lines)).map(({ endAt: _, ...s }) => s);
}

function judge(lines: readonly TraceLine[], truths: NodeTruths): Judged[] {
  const found: { line: StateLine; peer: NodeId; sinceMs: number; endTrueMs: number | null; endAt: TracePoint | null }[] = [];
  /** observer → peer → the index of its open suspicion. */
  const open = new Map<NodeId, Map<NodeId, number>>();
  for (const line of lines) {
    const node = line.node;
    if (node === undefined) continue;
    if (line.kind === 'crash' || line.kind === 'exit' || line.kind === 'node_start') {
      // The observer's detector died with it: its suspicions end without a trust.
      for (const i of open.get(node)?.values() ?? []) found[i].endAt = { trueMs: line.trueMs, seq: line.seq };
      open.delete(node);
    } else if (detectorLine(line) && line.key === 'suspect') {
      const v = detectorSuspectSchema.safeParse(line.value);
      if (!v.success || v.data.peer === node || open.get(node)?.has(v.data.peer)) continue;
      const peers = open.get(node) ?? new Map<NodeId, number>();
      open.set(node, peers);
      peers.set(v.data.peer, found.length);
      found.push({ line, peer: v.data.peer, sinceMs: v.data.sinceMs, endTrueMs: null, endAt: null });
    } else if (detectorLine(line) && line.key === 'trust') {
      const v = detectorTrustSchema.safeParse(line.value);
      const i = v.success ? open.get(node)?.get(v.data.peer) : undefined;
      if (i === undefined || !v.success) continue;
      open.get(node)!.delete(v.data.peer);
      found[i].endTrueMs = line.trueMs;
      found[i].endAt = { trueMs: line.trueMs, seq: line.seq };
    }
  }
  return found.map(({ line, peer, sinceMs, endTrueMs, endAt }) => {
    const truth = truths.at(peer, { trueMs: line.trueMs, seq: line.seq });
    return { observer: line.node, peer, seq: line.seq, trueMs: line.trueMs, sinceMs, endTrueMs, right: truth !== 'alive', truth, endAt };
  });
}

/** For each real failure of a watched node and each observer, when it was first suspected (null: never). */
export function detections(lines: readonly TraceLine[]): Detection[] {
  const truths = new NodeTruths(lines);
  const judged = judge(lines, truths);
  /** Where each node first showed it runs a detector (a detector line, or a heartbeat sent). */
  const firstDetector = new Map<NodeId, TracePoint>();
  for (const line of lines) if (runsDetector(line) && !firstDetector.has(line.node)) firstDetector.set(line.node, { trueMs: line.trueMs, seq: line.seq });
  const ranBy = (node: NodeId, at: TracePoint): boolean => {
    const first = firstDetector.get(node);
    return first !== undefined && comparePoints(first, at) <= 0;
  };
  const out: Detection[] = [];
  for (const f of truths.failures) {
    if (!ranBy(f.node, f.from)) continue;
    const observers = [...firstDetector.keys()].filter((o) => o !== f.node && ranBy(o, f.from) && truths.at(o, f.from) !== 'crashed').sort(compareNodeIds);
    for (const observer of observers) {
      const mine = judged.filter((s) => s.observer === observer && s.peer === f.node);
      const already = mine.find((s) => comparePoints(s, f.from) < 0 && (s.endAt === null || comparePoints(s.endAt, f.from) > 0));
      const first = mine.find((s) => comparePoints(s, f.from) >= 0 && (f.to === null || comparePoints(s, f.to) < 0));
      const detectedTrueMs = already ? f.from.trueMs : (first?.trueMs ?? null);
      out.push({
        peer: f.node,
        observer,
        failedTrueMs: f.from.trueMs,
        how: f.how,
        recoveredTrueMs: f.to?.trueMs ?? null,
        detectedTrueMs,
        detectionMs: detectedTrueMs === null ? null : detectedTrueMs - f.from.trueMs,
      });
    }
  }
  return out;
}

/** The suspicions and detections of a window (of one observer, of one peer), in figures. */
export function suspicionSummary(lines: readonly TraceLine[], window: SuspicionWindow = {}): SuspicionSummary {
  const { observer, peer, sinceTrueMs = -Infinity, untilTrueMs = Infinity } = window;
  const within = (trueMs: number): boolean => trueMs >= sinceTrueMs && trueMs < untilTrueMs;
  const picked = (o: NodeId, p: NodeId): boolean => (observer === undefined || o === observer) && (peer === undefined || p === peer);
  const all = suspicions(lines).filter((s) => picked(s.observer, s.peer) && within(s.trueMs));
  const found = detections(lines).filter((d) => picked(d.observer, d.peer) && within(d.failedTrueMs));
  const times = found.flatMap((d) => (d.detectionMs === null ? [] : [d.detectionMs])).sort((a, b) => a - b);
  const right = all.filter((s) => s.right).length;
  return {
    suspicions: all.length,
    right,
    wrong: all.length - right,
    detectionMs: times.length === 0 ? null : { median: median(times), max: times[times.length - 1] },
    missed: found.length - times.length,
  };
}

/** The median of sorted values (the mean of the middle two of an even count). */
function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
