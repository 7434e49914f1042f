/**
 * Turns events into trace lines (pure): numbers them in arrival order, stamps node events with the
 * node's own clocks, and lab events (crash, faults, the proxy's actions) with the node's last
 * known clocks. True time comes in as an argument; nothing here reads a clock.
 */
import type { ClockStamp, LabTraceEvent, NodeId, NodeTraceEvent, TraceLine } from '@faultline/protocol';

export class TraceSequencer {
  private seq = 0;
  private readonly lastClocks = new Map<NodeId, ClockStamp>();

  /** The seq of the last line made (0 before any). */
  get lastSeq(): number {
    return this.seq;
  }

  /** The clocks `node` last reported, if any. */
  clocksOf(node: NodeId): ClockStamp | undefined {
    return this.lastClocks.get(node);
  }

  /** A line for an event a node reported, at the true time the node's reporter read. */
  nodeLine(node: NodeId, clocks: ClockStamp, event: NodeTraceEvent): TraceLine {
    this.lastClocks.set(node, clocks);
    return { seq: ++this.seq, trueMs: clocks.trueMs, node, clocks, ...event };
  }

  /** A line for an event the lab observed at `trueMs`, about `node` if it names one. */
  labLine(event: LabTraceEvent, trueMs: number, node?: NodeId): TraceLine {
    const clocks = node === undefined ? undefined : this.lastClocks.get(node);
    const head = { seq: ++this.seq, trueMs, ...(node === undefined ? {} : { node }), ...(clocks ? { clocks } : {}) };
    return { ...head, ...event };
  }
}
