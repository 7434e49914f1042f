/**
 * failure-detector's checker (pure): each node's `suspects` answers against the god's-eye view,
 * the nemesis's events in the history (process `nemesis`: kill … revive, pause … resume; each
 * recorded as it began and once done). A node is down from the first event of its kill (or
 * pause) to the last of its revive (or resume).
 *
 * - Completeness: a node down for longer than the deadline D must be named by every answer of
 *   every other node asked from D after it went down (or after that node itself came back, if
 *   later) until it came back. Judged from the polls: a detection between two polls is in time
 *   when the first poll past the deadline names it.
 * - Accuracy: the false-suspicion rate, wrong / considered, over each `ok` answer and each peer
 *   of the node answering that was up for the whole poll (not down, nor within D after coming
 *   back: a detector may take that long to trust it again); wrong when the answer names it.
 *   The run's start counts as every node's coming back (the programs start one by one, and
 *   their links come up after them). At most the target.
 */
import { isNemesisEvent, type MaelstromHistoryEvent, type MaelstromNemesisEvent } from '@faultline/protocol';
import { pairOps, type PairedOp } from '../history/pair.js';
import { at, baseStats, originOf, preliminary, type BaseStats, type Verdict } from './verdict.js';

export const DEFAULT_DETECTION_MS = 1000;
export const DEFAULT_MAX_FALSE_RATE = 0.02;

export interface FailureDetectorOptions {
  /** D: a node down longer must be suspected within it (ms). */
  readonly detectionMs?: number;
  /** The highest false-suspicion rate allowed (0 … 1). */
  readonly maxFalseRate?: number;
}

/** A node down (killed or paused), from the first event of its fault to the last of its end. */
export interface Downtime {
  readonly node: string;
  readonly how: 'killed' | 'paused';
  readonly fromMs: number;
  /** Infinity: never back within the history. */
  readonly toMs: number;
}

export interface Detection {
  readonly node: string;
  readonly observer: string;
  readonly how: 'killed' | 'paused';
  /** From its going down (or the observer's coming back) to the first poll of the observer that named it for good; null: none did. */
  readonly ms: number | null;
  /** Whether any poll of the observer named it while it was down. */
  readonly ever: boolean;
  /** Past the deadline: the first poll after it that did not name it (ms after going down); null: in time. */
  readonly lateMs: number | null;
  /** That poll, in ms from the history's first operation. */
  readonly lateAtMs: number | null;
}

export interface FailureDetectorStats extends BaseStats {
  readonly detectionMs: number;
  readonly maxFalseRate: number;
  /** Downtimes longer than D, judged for completeness (some node was asked past the deadline). */
  readonly judged: number;
  readonly detections: readonly Detection[];
  /** The slowest detection (ms); null with none. */
  readonly slowestMs: number | null;
  readonly missed: number;
  /** Answer × live peer pairs judged for accuracy, and the wrong ones among them. */
  readonly considered: number;
  readonly wrong: number;
  readonly falseRate: number;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Every node's downtimes, from the nemesis's events. */
export function downtimes(history: readonly MaelstromHistoryEvent[]): Downtime[] {
  const events = history.filter(isNemesisEvent).sort((a, b) => a.time - b.time);
  const open = new Map<string, { how: Downtime['how']; fromMs: number; backMs?: number }>();
  const out: Downtime[] = [];
  const close = (node: string): void => {
    const o = open.get(node);
    if (o) out.push({ node, how: o.how, fromMs: o.fromMs, toMs: o.backMs ?? Infinity });
    open.delete(node);
  };
  for (const e of events) {
    const node = nodeOf(e);
    if (node === undefined) continue;
    if (e.f === 'kill' || e.f === 'pause') {
      const o = open.get(node);
      if (o && o.backMs === undefined) continue; // the second event of the same fault
      close(node);
      open.set(node, { how: e.f === 'kill' ? 'killed' : 'paused', fromMs: e.time });
    } else if (e.f === 'revive' || e.f === 'resume') {
      const o = open.get(node);
      if (o) o.backMs = e.time; // the last event of its end counts
    }
  }
  for (const node of [...open.keys()]) close(node);
  return out.sort((a, b) => a.fromMs - b.fromMs);
}

const nodeOf = (e: MaelstromNemesisEvent): string | undefined => (typeof e.value === 'string' ? e.value : undefined);

export function checkFailureDetector(history: readonly MaelstromHistoryEvent[], options: FailureDetectorOptions = {}): Verdict<FailureDetectorStats> {
  const D = options.detectionMs ?? DEFAULT_DETECTION_MS;
  const target = options.maxFalseRate ?? DEFAULT_MAX_FALSE_RATE;
  const { ops } = pairOps(history);
  const polls = ops.filter((op) => op.f === 'suspects');
  const downs = downtimes(history);
  const nodes = [...new Set([...polls.flatMap((op) => (op.node === undefined ? [] : [op.node])), ...downs.map((d) => d.node)])].sort();
  const answers = polls.filter((op): op is PairedOp & { node: string; endMs: number } => op.type === 'ok' && op.node !== undefined && op.endMs !== null && Array.isArray(op.output));
  const names = (op: PairedOp, node: string): boolean => (op.output as unknown[]).includes(node);
  const origin = originOf(ops);

  // Completeness: each long downtime, each other node asked meanwhile.
  const detections: Detection[] = [];
  let judged = 0;
  for (const d of downs.filter((x) => x.toMs - x.fromMs > D)) {
    let polled = false;
    for (const observer of nodes.filter((n) => n !== d.node)) {
      // From when the observer could know: its own coming back, if it was down meanwhile.
      const back = downs.filter((o) => o.node === observer && o.toMs > d.fromMs && o.toMs < d.toMs).reduce((m, o) => Math.max(m, o.toMs), d.fromMs);
      const mine = answers.filter((a) => a.node === observer && a.invokeMs >= back && a.endMs <= d.toMs);
      // Judged only when the observer was asked past the deadline.
      if (!mine.some((a) => a.invokeMs >= back + D)) continue;
      polled = true;
      const late = mine.find((a) => a.invokeMs >= back + D && !names(a, d.node));
      let first: number | null = null;
      for (let i = mine.length - 1; i >= 0 && names(mine[i], d.node); i--) first = mine[i].invokeMs;
      const ever = mine.some((a) => names(a, d.node));
      detections.push({ node: d.node, observer, how: d.how, ms: first === null ? null : Math.max(0, first - back), ever, lateMs: late ? late.invokeMs - back : null, lateAtMs: late ? late.invokeMs - origin : null });
    }
    if (polled) judged++;
  }
  const missed = detections.filter((x) => x.lateAtMs !== null);
  const times = detections.flatMap((x) => (x.ms === null ? [] : [x.ms]));

  // Accuracy: each answer, each peer up for the whole poll (and for D before it, if it came back; the start is everyone's coming back).
  const upThroughout = (node: string, fromMs: number, toMs: number): boolean => fromMs > origin + D && !downs.some((d) => d.node === node && d.fromMs <= toMs && d.toMs + D >= fromMs);
  let considered = 0;
  let wrong = 0;
  let firstWrong: { op: PairedOp & { node: string }; peer: string } | undefined;
  for (const a of answers) {
    for (const peer of nodes) {
      if (peer === a.node || !upThroughout(peer, a.invokeMs, a.endMs)) continue;
      considered++;
      if (names(a, peer)) {
        wrong++;
        firstWrong ??= { op: a, peer };
      }
    }
  }
  const falseRate = considered === 0 ? 0 : wrong / considered;
  const stats: FailureDetectorStats = {
    ...baseStats(polls),
    detectionMs: D,
    maxFalseRate: target,
    judged,
    detections,
    slowestMs: times.length === 0 ? null : Math.max(...times),
    missed: missed.length,
    considered,
    wrong,
    falseRate,
  };
  const early = preliminary(polls, stats);
  if (early) return early;
  if (answers.length === 0) return { valid: false, reason: `none of the ${polls.length} suspects polls was answered`, stats };

  const accuracy = `${pct(falseRate)} of the answers × live peers wrongly suspected a live node (${wrong} of ${considered}; target ≤ ${pct(target)})`;
  const completeness =
    judged === 0
      ? `no node stayed down past the deadline (${secs(D)}) while the others were asked, so completeness was not tested`
      : `every node down past the deadline (${secs(D)}) was suspected by every other within it (slowest ${times.length ? secs(Math.max(...times)) : 'n/a'})`;
  if (missed.length > 0) {
    const m = missed[0];
    const late =
      m.ms !== null ? `it suspected it for good ${secs(m.ms)} after, ${secs(m.ms - D)} late` : m.ever ? 'it suspected it, then trusted it again while it was down' : 'it never suspected it while it was down';
    const more = missed.length > 1 ? ` (${missed.length} detections were late or missed)` : '';
    const acc = falseRate > target ? `; and ${accuracy}` : '';
    return {
      valid: false,
      reason: `completeness: ${m.observer} still trusted ${m.node} ${at(m.lateAtMs! + origin, origin)}, ${secs(m.lateMs!)} after it was ${m.how} (deadline ${secs(D)}): ${late}${more}${acc}`,
      stats,
    };
  }
  if (falseRate > target) {
    const w = firstWrong!;
    return {
      valid: false,
      reason: `accuracy: ${accuracy}; the first: ${w.op.node} suspected ${w.peer} ${at(w.op.invokeMs, origin)}, while ${w.peer} was up; completeness: ${completeness}`,
      stats,
    };
  }
  return { valid: true, reason: `accuracy: ${accuracy}; completeness: ${completeness}`, stats };
}
