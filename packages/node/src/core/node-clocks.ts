/**
 * Every clock of one node, ticked together: the skewed wall clock (fed true time), and the
 * Lamport, vector and hybrid logical clocks. Each event the node records (a send, a receive, a
 * local event) ticks all three logical clocks once and yields one `ClockStamp`, so the stamps of a
 * node's events strictly increase in every logical clock, whatever its wall clock does.
 *
 * The HLC's physical input is the node's *skewed* wall time (never true time): a node only knows
 * its own, possibly wrong, idea of the time. HLC times are ms since the epoch, so a wall clock set
 * before 1970 feeds the HLC 0.
 */
import { HybridClock, LamportClock, SkewedClock, VectorClock, type SkewParams, type SkewState } from '@faultline/clock';
import type { ClockStamp, NodeId } from '@faultline/protocol';

/** The clock fields a received message carries. */
export interface RemoteStamps {
  readonly lamport: number;
  readonly vc: Readonly<Record<string, number>>;
  readonly hlc: { readonly wallMs: number; readonly logical: number };
}

/**
 * Why a received message's stamps cannot be merged (a value the clocks reject), or null. Checked
 * before any clock changes, so a bad message leaves every clock as it was.
 */
export function checkRemoteStamps(remote: RemoteStamps): string | null {
  const counter = (v: number): boolean => Number.isSafeInteger(v) && v >= 0;
  if (!counter(remote.lamport)) return `envelope.lamport: expected a non-negative integer, got ${remote.lamport}`;
  for (const [node, count] of Object.entries(remote.vc)) {
    // A key that names no node of the lab is refused by `refusalOf` (stamp-bounds.ts), with the lab's names.
    if (!counter(count)) return `envelope.vc.${node}: expected a non-negative integer, got ${count}`;
  }
  if (!Number.isFinite(remote.hlc.wallMs) || remote.hlc.wallMs < 0) {
    return `envelope.hlc.wallMs: expected ms since the epoch (>= 0), got ${remote.hlc.wallMs}`;
  }
  if (!counter(remote.hlc.logical)) return `envelope.hlc.logical: expected a non-negative integer, got ${remote.hlc.logical}`;
  return null;
}

export class NodeClocks {
  private readonly wall: SkewedClock;
  private readonly lamport = new LamportClock();
  private readonly vector: VectorClock;
  private readonly hybrid = new HybridClock();

  constructor(node: NodeId, skew: SkewParams, trueMs: number) {
    this.wall = new SkewedClock(skew, trueMs);
    this.vector = new VectorClock(node);
  }

  /** The node's wall time at true time `trueMs`. */
  wallMs(trueMs: number): number {
    return this.wall.read(trueMs);
  }

  skew(trueMs: number): SkewState {
    return this.wall.state(trueMs);
  }

  /** A local event or a send: every logical clock ticks; the stamp of that event. */
  tick(trueMs: number): ClockStamp {
    const wallMs = this.wall.read(trueMs);
    this.lamport.tick();
    this.vector.tick();
    this.hybrid.now(Math.max(0, wallMs));
    return this.stamp(trueMs, wallMs);
  }

  /** A receive of a message stamped `remote` (check it with `checkRemoteStamps` first). */
  receive(remote: RemoteStamps, trueMs: number): ClockStamp {
    const wallMs = this.wall.read(trueMs);
    this.lamport.receive(remote.lamport);
    this.vector.receive(remote.vc);
    this.hybrid.receive(remote.hlc, Math.max(0, wallMs));
    return this.stamp(trueMs, wallMs);
  }

  /** The clocks as they are (no event). */
  peek(trueMs: number): ClockStamp {
    return this.stamp(trueMs, this.wall.read(trueMs));
  }

  /** Set offset and/or drift of the wall clock (throws a `FaultlineError` on a bad value, changing nothing). */
  set(params: SkewParams, trueMs: number): void {
    this.wall.set(params, trueMs);
  }

  /** Step the wall clock by `deltaMs`. */
  jump(deltaMs: number, trueMs: number): void {
    this.wall.jump(deltaMs, trueMs);
  }

  private stamp(trueMs: number, wallMs: number): ClockStamp {
    return { trueMs, wallMs, lamport: this.lamport.value, vc: this.vector.value, hlc: this.hybrid.value };
  }
}
