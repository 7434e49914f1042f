/**
 * How far a hybrid logical clock runs ahead of wall time, and the bound it should keep (pure).
 *
 * `hlcGap`: over one node's own lines, the largest `clocks.hlc.wallMs − clocks.wallMs`: how far
 * its HLC (l) ran ahead of its own wall clock, and where. It is 0 while the node has heard of no
 * clock ahead of its own; a message from a node whose clock runs ahead drags it up.
 *
 * `skewBound`: ε, the largest disagreement between the nodes' wall clocks the trace shows. Each
 * node line gives that node's offset from true time (`wallMs − trueMs`, both from its clocks);
 * per node take the lowest and highest offset it ever had, and
 *
 *   ε = max over nodes i of max(offset_i) − min over nodes j of min(offset_j)
 *
 * (i and j may be the same node: a clock that jumped disagrees with its own past). The HLC
 * theorem (Kulkarni et al.) says a node's gap stays ≤ ε. Taken this way, over the whole trace, it
 * holds even across a clock stepped backwards: the HLC's l is some wall reading from the past,
 * at most true time then + the highest offset, and the node's wall clock reads at least true time
 * now + the lowest. Offsets are seen only at traced events, so a clock that drifts between them
 * could in principle put a gap a little past ε; the lab's drift (ppm) makes that far below 1 ms.
 * Only lines a node reported itself count (the lab's lines carry a node's last clocks, not new
 * readings).
 */
import { isNodeEvent, type NodeId, type TraceLine } from '@faultline/protocol';

export interface HlcGap {
  readonly node: NodeId;
  /** The largest hlc.wallMs − wallMs over the node's lines (ms). */
  readonly gapMs: number;
  /** The line where it was largest (the first, on a tie). */
  readonly seq: number;
  readonly trueMs: number;
  /** The node's HLC and wall clock on that line. */
  readonly hlc: { readonly wallMs: number; readonly logical: number };
  readonly wallMs: number;
  /** How many lines of the node were read. */
  readonly lines: number;
}

/** A node's offset from true time (wallMs − trueMs) on one line. */
export interface ClockOffset {
  readonly node: NodeId;
  readonly offsetMs: number;
  readonly seq: number;
}

export interface SkewBound {
  /** ε (ms): the highest offset of any node minus the lowest of any node. */
  readonly epsilonMs: number;
  /** Where the highest offset was seen, and the lowest. */
  readonly ahead: ClockOffset;
  readonly behind: ClockOffset;
  /** Each node's lowest and highest offset, in the order the nodes first appear. */
  readonly nodes: readonly { readonly node: NodeId; readonly min: ClockOffset; readonly max: ClockOffset }[];
}

/** How far `node`'s HLC ran ahead of its own wall clock; null when it has no lines. */
export function hlcGap(lines: readonly TraceLine[], options: { node: NodeId }): HlcGap | null {
  let best: HlcGap | null = null;
  let count = 0;
  for (const line of lines) {
    if (!isNodeEvent(line) || line.node !== options.node) continue;
    count += 1;
    const { hlc, wallMs } = line.clocks;
    const gapMs = hlc.wallMs - wallMs;
    if (best === null || gapMs > best.gapMs) best = { node: line.node, gapMs, seq: line.seq, trueMs: line.trueMs, hlc, wallMs, lines: 0 };
  }
  return best && { ...best, lines: count };
}

/** ε: the largest disagreement of two wall clocks in the trace (see above); null when no node reported a line. */
export function skewBound(lines: readonly TraceLine[]): SkewBound | null {
  const ranges = new Map<NodeId, { min: ClockOffset; max: ClockOffset }>();
  for (const line of lines) {
    if (!isNodeEvent(line)) continue;
    const here: ClockOffset = { node: line.node, offsetMs: line.clocks.wallMs - line.clocks.trueMs, seq: line.seq };
    const r = ranges.get(line.node);
    if (!r) ranges.set(line.node, { min: here, max: here });
    else {
      if (here.offsetMs < r.min.offsetMs) r.min = here;
      if (here.offsetMs > r.max.offsetMs) r.max = here;
    }
  }
  const nodes = [...ranges].map(([node, r]) => ({ node, ...r }));
  if (nodes.length === 0) return null;
  const ahead = nodes.map((n) => n.max).reduce((a, b) => (b.offsetMs > a.offsetMs ? b : a));
  const behind = nodes.map((n) => n.min).reduce((a, b) => (b.offsetMs < a.offsetMs ? b : a));
  return { epsilonMs: ahead.offsetMs - behind.offsetMs, ahead, behind, nodes };
}
