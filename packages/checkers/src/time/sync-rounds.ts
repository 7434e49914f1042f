/**
 * Clock synchronisation rounds against the truth (pure). Each `sync` state line (behaviour `sync`,
 * `clock-sync.ts` in the protocol) is one round as the client saw it: its estimate of (server's
 * wall clock − its own) and the bound the method claims. The node cannot know how wrong it is; the
 * trace can, for every node line carries true time beside the node's wall time:
 *
 *   trueOffsetMs = (server's wallMs − trueMs at its `send` of the reply, `value.reply`)
 *                − (client's wallMs − trueMs at the `sync` line)
 *   errorMs      = estimateMs − trueOffsetMs
 *   withinBound  = |errorMs| ≤ boundMs + 0.5
 *
 * The 0.5 ms (`SYNC_BOUND_TOLERANCE_MS`) allows for the method's readings t1…t4 being whole
 * milliseconds while the trace's clocks are not. The two offsets are read at nearly the same true
 * time (the reply's send, the round's end), so a drifting clock barely moves them apart. One
 * exception: when the client's clock was stepped (`clock_change`, a round with `correct`) after the
 * reply arrived and before the `sync` line, its offset is read at its `receive` of the reply, before
 * the step. A round whose reply's send is not in the trace has no truth: its `trueOffsetMs`,
 * `errorMs` and `withinBound` are null.
 */
import { isNodeEvent, syncRoundSchema, type NodeId, type SyncRound, type TraceLine } from '@faultline/protocol';

/** The rounding allowance of `withinBound` (ms): the method's readings are whole milliseconds. */
export const SYNC_BOUND_TOLERANCE_MS = 0.5;

export interface SyncRoundCheck extends Pick<SyncRound, 'server' | 'method' | 'round' | 'rttMs' | 'estimateMs' | 'boundMs' | 'reply' | 'correctedMs'> {
  /** The client: the node that traced the round. */
  readonly node: NodeId;
  /** The seq and true time of its `sync` line. */
  readonly seq: number;
  readonly trueMs: number;
  /** The server's wall clock minus the client's, in truth (ms); null when the reply's send is not in the trace. */
  readonly trueOffsetMs: number | null;
  /** estimateMs − trueOffsetMs. */
  readonly errorMs: number | null;
  /** |errorMs| ≤ boundMs (+ the tolerance). */
  readonly withinBound: boolean | null;
}

export interface SyncSummary {
  readonly rounds: number;
  /** The rounds with a true offset (the others are in no figure below but `medianBoundMs`). */
  readonly measured: number;
  readonly medianAbsErrorMs: number | null;
  readonly maxAbsErrorMs: number | null;
  /** The median bound the method claimed, over every round. */
  readonly medianBoundMs: number | null;
  /** Every measured round within its bound; null when none was measured. */
  readonly allWithinBound: boolean | null;
}

type Stamped = TraceLine & { node: string; clocks: NonNullable<TraceLine['clocks']> };
const offsetAt = (line: Stamped): number => line.clocks.wallMs - line.clocks.trueMs;

/** Every sync round in the trace (of client `node`, when given), in trace order. */
export function syncRounds(lines: readonly TraceLine[], options: { node?: NodeId } = {}): SyncRoundCheck[] {
  const sends = new Map<string, Stamped>();
  const receives = new Map<string, Stamped>();
  const steps = new Map<NodeId, number[]>();
  const rounds: [Stamped, SyncRound][] = [];
  for (const line of lines) {
    if (!isNodeEvent(line)) continue;
    if (line.kind === 'send') sends.set(`${line.node}\u0000${line.msg}`, line);
    else if (line.kind === 'receive') receives.set(`${line.node}\u0000${line.msg}`, line);
    else if (line.kind === 'clock_change') steps.set(line.node, (steps.get(line.node) ?? []).concat(line.seq));
    else if (line.kind === 'state' && line.behaviour === 'sync' && line.key === 'sync' && (options.node === undefined || line.node === options.node)) {
      const parsed = syncRoundSchema.safeParse(line.value);
      if (parsed.success) rounds.push([line, parsed.data]);
    }
  }
  return rounds.map(([line, r]): SyncRoundCheck => {
    const base = { node: line.node, seq: line.seq, trueMs: line.trueMs, server: r.server, method: r.method, round: r.round, rttMs: r.rttMs, estimateMs: r.estimateMs, boundMs: r.boundMs, reply: r.reply };
    const head = r.correctedMs === undefined ? base : { ...base, correctedMs: r.correctedMs };
    const serverSend = sends.get(`${r.server}\u0000${r.reply}`);
    if (!serverSend) return { ...head, trueOffsetMs: null, errorMs: null, withinBound: null };
    const arrival = receives.get(`${line.node}\u0000${r.reply}`);
    const stepped = arrival !== undefined && (steps.get(line.node) ?? []).some((s) => s > arrival.seq && s < line.seq);
    const trueOffsetMs = offsetAt(serverSend) - offsetAt(stepped ? arrival : line);
    const errorMs = r.estimateMs - trueOffsetMs;
    return { ...head, trueOffsetMs, errorMs, withinBound: Math.abs(errorMs) <= r.boundMs + SYNC_BOUND_TOLERANCE_MS };
  });
}

/** The rounds in figures: median and largest |error|, median bound, all within bound? */
export function syncSummary(rounds: readonly SyncRoundCheck[]): SyncSummary {
  const measured = rounds.filter((r): r is SyncRoundCheck & { errorMs: number } => r.errorMs !== null);
  const errors = measured.map((r) => Math.abs(r.errorMs));
  return {
    rounds: rounds.length,
    measured: measured.length,
    medianAbsErrorMs: median(errors),
    maxAbsErrorMs: errors.length === 0 ? null : errors.reduce((a, b) => Math.max(a, b)),
    medianBoundMs: median(rounds.map((r) => r.boundMs)),
    allWithinBound: measured.length === 0 ? null : measured.every((r) => r.withinBound === true),
  };
}

/** The median (the mean of the middle two of an even count); null for none. */
function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
