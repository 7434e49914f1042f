/**
 * Which nodes were really down, and when, by the lab's own lines (pure): the god's-eye view a
 * failure detector is judged against. A node is
 * - `crashed` from a `crash` or `exit` line for it until its `revive`;
 * - `paused` from a `pause` line until its `resume` (or a `crash`: then crashed; or a `revive`);
 * - else `alive`: a node cut off by a partition is alive, however silent it looks.
 * A spell of downtime is a `DownPhase`; a failure (`Failure`) is the phases that follow each other
 * without the node coming back (paused, then killed while paused, then revived: one failure).
 *
 * Positions are (trueMs, seq): a line at the same true time as a `crash` but after it in the trace
 * sees the node crashed, one before it sees it alive.
 */
import type { NodeId, TraceLine } from '@faultline/protocol';

export type NodeTruth = 'alive' | 'crashed' | 'paused';
export type DownHow = Exclude<NodeTruth, 'alive'>;

/** A place in the trace: its true time, then its order. */
export interface TracePoint {
  readonly trueMs: number;
  readonly seq: number;
}

export interface DownPhase {
  readonly node: NodeId;
  readonly how: DownHow;
  readonly from: TracePoint;
  /** Where it ended, or null: still down at the trace's end. */
  readonly to: TracePoint | null;
}

export interface Failure {
  readonly node: NodeId;
  /** How it went down (a pause that became a crash is `paused`). */
  readonly how: DownHow;
  readonly from: TracePoint;
  /** Where it came back, or null: still down at the trace's end. */
  readonly to: TracePoint | null;
  readonly phases: readonly DownPhase[];
}

/** a before b (−), the same place (0), after (+). */
export const comparePoints = (a: TracePoint, b: TracePoint): number => a.trueMs - b.trueMs || a.seq - b.seq;

const pointOf = (line: TraceLine): TracePoint => ({ trueMs: line.trueMs, seq: line.seq });

/** Every failure of every node, in the order they began. */
export function failures(lines: readonly TraceLine[]): Failure[] {
  const done: Failure[] = [];
  const open = new Map<NodeId, { how: DownHow; from: TracePoint; phases: DownPhase[]; phase: { how: DownHow; from: TracePoint } }>();
  const end = (node: NodeId, at: TracePoint | null): void => {
    const o = open.get(node);
    if (!o) return;
    open.delete(node);
    done.push({ node, how: o.how, from: o.from, to: at, phases: [...o.phases, { node, how: o.phase.how, from: o.phase.from, to: at }] });
  };
  for (const line of lines) {
    const node = line.node;
    if (node === undefined) continue;
    const at = pointOf(line);
    const o = open.get(node);
    switch (line.kind) {
      case 'crash':
      case 'exit':
        if (!o) open.set(node, { how: 'crashed', from: at, phases: [], phase: { how: 'crashed', from: at } });
        else if (o.phase.how === 'paused') {
          o.phases.push({ node, how: 'paused', from: o.phase.from, to: at });
          o.phase = { how: 'crashed', from: at };
        }
        break;
      case 'pause':
        if (!o) open.set(node, { how: 'paused', from: at, phases: [], phase: { how: 'paused', from: at } });
        break;
      case 'resume':
        if (o?.phase.how === 'paused') end(node, at);
        break;
      case 'revive':
        end(node, at);
        break;
      default:
        break;
    }
  }
  for (const node of [...open.keys()]) end(node, null);
  return done.sort((a, b) => comparePoints(a.from, b.from));
}

/** Answers what each node really was at a place in the trace. */
export class NodeTruths {
  private readonly byNode = new Map<NodeId, DownPhase[]>();
  readonly failures: readonly Failure[];

  constructor(lines: readonly TraceLine[]) {
    this.failures = failures(lines);
    for (const f of this.failures) this.byNode.set(f.node, [...(this.byNode.get(f.node) ?? []), ...f.phases]);
  }

  /** `node` at `at`: down from a phase's start (included) to its end (excluded). */
  at(node: NodeId, at: TracePoint): NodeTruth {
    const phase = (this.byNode.get(node) ?? []).find((p) => comparePoints(p.from, at) <= 0 && (p.to === null || comparePoints(at, p.to) < 0));
    return phase?.how ?? 'alive';
  }
}
