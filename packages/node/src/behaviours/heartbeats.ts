/**
 * Heartbeats: every `intervalMs` (monotonic) a `heartbeat` message to every peer whose outbound
 * connection is open, and, for every peer, the monotonic time its last heartbeat arrived. Nothing
 * here decides that a peer is dead: that is a failure detector's job (a later behaviour can read
 * `agoMs`). An interval of 0 sends none (heartbeats that arrive are still recorded).
 */
import type { NodeId } from '@faultline/protocol';
import type { Behaviour, BehaviourContext } from '../core/behaviour.js';

export class Heartbeats implements Behaviour {
  readonly name = 'heartbeats';
  readonly messageTypes = ['heartbeat'];
  private readonly lastMs = new Map<NodeId, number>();
  private nextAtMs: number | null = null;

  constructor(readonly intervalMs: number) {}

  onStart(ctx: BehaviourContext): void {
    if (this.intervalMs > 0) this.nextAtMs = ctx.monoMs + this.intervalMs;
  }

  onMessage(ctx: BehaviourContext, message: { from: NodeId }): void {
    this.lastMs.set(message.from, ctx.monoMs);
  }

  wakeAtMs(): number | null {
    return this.nextAtMs;
  }

  onWake(ctx: BehaviourContext): void {
    if (this.nextAtMs === null) return;
    for (const peer of ctx.connectedPeers()) ctx.send(peer, 'heartbeat');
    // After a pause (SIGSTOP) skip the missed beats instead of sending them in a burst.
    const next = this.nextAtMs + this.intervalMs;
    this.nextAtMs = next > ctx.monoMs ? next : ctx.monoMs + this.intervalMs;
  }

  /** Monotonic ms since the last heartbeat from `peer` arrived, or null if none has. */
  agoMs(peer: NodeId, monoMs: number): number | null {
    const last = this.lastMs.get(peer);
    return last === undefined ? null : Math.max(0, monoMs - last);
  }

  /** The peers a heartbeat has ever come from. */
  heardFrom(): NodeId[] {
    return [...this.lastMs.keys()];
  }
}
