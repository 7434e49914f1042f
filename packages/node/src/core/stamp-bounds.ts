/**
 * What a node accepts of a peer's envelope beyond its schema (pure): the sender and every vector
 * clock key must be nodes of the lab, every counter at most `MAX_COUNTER`, and the hybrid
 * timestamp's wall part at most `MAX_HLC_OFFSET_MS` ahead of the receiver's own wall clock (as
 * CockroachDB refuses a clock past its max offset). A message past a bound is refused whole, with
 * the reason, before any clock has seen it; so is one whose `sentWall` (shown in the trace) is
 * ahead of its own HLC, which no honest sender's is, or more than that max offset behind. One forged stamp must not poison every clock it
 * reaches (`lamport: 2^53 - 1` silenced a node for good, `hlc.wallMs: 1e300` pinned every HLC).
 */
import { MAX_COUNTER, MAX_HLC_OFFSET_MS, type NodeId } from '@faultline/protocol';
import type { RemoteStamps } from './node-clocks.js';

/** An envelope's stamps: its clocks, and the sender's wall time at the send. */
export interface PeerStamps extends RemoteStamps {
  readonly sentWall: number;
}

export interface StampBoundsContext {
  /** This node. */
  readonly self: NodeId;
  /** The lab's node ids (this one included). */
  readonly lab: ReadonlySet<NodeId>;
  /** This node's wall time now (ms since the epoch). */
  readonly wallMs: number;
}

function names(lab: ReadonlySet<NodeId>): string {
  const ids = [...lab];
  return ids.length <= 10 ? ids.join(', ') : `${ids.slice(0, 10).join(', ')}, …`;
}

function quote(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

/** Why an envelope from `from` stamped `remote` is refused, or null when it is within bounds. */
export function refusalOf(from: NodeId, remote: PeerStamps, ctx: StampBoundsContext): string | null {
  if (from === ctx.self) return `from: ${ctx.self} is this node itself`;
  if (!ctx.lab.has(from)) return `from: ${quote(from)} is not a node of this lab (${names(ctx.lab)})`;
  if (remote.lamport > MAX_COUNTER) return `lamport: ${remote.lamport} is past the bound ${MAX_COUNTER} (2^48)`;
  // On every message: no array of keys is made unless it is refused.
  let entries = 0;
  for (const key in remote.vc) {
    if (!Object.hasOwn(remote.vc, key)) continue;
    entries += 1;
    if (entries > ctx.lab.size) return `vc: ${Object.keys(remote.vc).length} entries, but this lab has ${ctx.lab.size} nodes`;
    if (!ctx.lab.has(key)) return `vc: key ${quote(key)} is not a node of this lab (${names(ctx.lab)})`;
    const count = remote.vc[key];
    if (count > MAX_COUNTER) return `vc.${key}: ${count} is past the bound ${MAX_COUNTER} (2^48)`;
  }
  if (remote.hlc.logical > MAX_COUNTER) return `hlc.logical: ${remote.hlc.logical} is past the bound ${MAX_COUNTER} (2^48)`;
  const ahead = remote.hlc.wallMs - ctx.wallMs;
  if (ahead > MAX_HLC_OFFSET_MS) {
    return `hlc.wallMs: ${remote.hlc.wallMs} is ${ahead} ms ahead of this node's wall clock; at most ${MAX_HLC_OFFSET_MS} ms (7 days, MAX_HLC_OFFSET_MS) is accepted`;
  }
  // The sender's HLC is never behind its own wall clock at the send (l >= pt).
  if (remote.sentWall > remote.hlc.wallMs) return `sentWall: ${remote.sentWall} is ahead of the message's own hlc.wallMs ${remote.hlc.wallMs}`;
  const behind = ctx.wallMs - remote.sentWall;
  if (behind > MAX_HLC_OFFSET_MS) {
    return `sentWall: ${remote.sentWall} is ${behind} ms behind this node's wall clock; at most ${MAX_HLC_OFFSET_MS} ms (7 days, MAX_HLC_OFFSET_MS) is accepted`;
  }
  return null;
}
