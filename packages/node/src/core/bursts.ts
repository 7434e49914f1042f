/**
 * The `burst` load command's bookkeeping (pure): `count` ordinary sends, `BURST_STEP` a step, each
 * burst behind any still sending, answered when its last message is sent. A longer burst goes on
 * in the next steps (the core asks to be woken at once), so the shell writes each part as it is
 * made and the node keeps answering in between, instead of going silent for the whole burst.
 */
import type { BurstResult, NodeId } from '@faultline/protocol';

/** How many messages of a `burst` one step sends. */
export const BURST_STEP = 1_000;

interface PendingBurst {
  /** The command's id, to answer. */
  readonly id: number;
  readonly to: NodeId;
  readonly msgType: string;
  /** Messages still to send. */
  left: number;
  sent: number;
  failed: number;
}

export interface BurstPort {
  /** Sends one message; false if it could not be sent (the link is down). */
  readonly send: (to: NodeId, msgType: string) => boolean;
  /** Answers the burst command `id`. */
  readonly done: (id: number, result: BurstResult) => void;
}

export class Bursts {
  /** Bursts still sending, oldest first. */
  private readonly pending: PendingBurst[] = [];
  /** Sends left in this step. */
  private budget = 0;

  constructor(private readonly port: BurstPort) {}

  /** A burst still has messages to send (the core wants the next step at once). */
  get active(): boolean {
    return this.pending.length > 0;
  }

  /** A new step: up to `BURST_STEP` sends. */
  newStep(): void {
    this.budget = BURST_STEP;
  }

  add(id: number, to: NodeId, msgType: string, count: number): void {
    this.pending.push({ id, to, msgType, left: count, sent: 0, failed: 0 });
    this.continue();
  }

  /** The pending bursts' next sends, in order, within this step's budget; each finished one is answered. */
  continue(): void {
    while (this.budget > 0 && this.pending.length > 0) {
      const burst = this.pending[0];
      const n = Math.min(this.budget, burst.left);
      for (let i = 0; i < n; i++) {
        if (this.port.send(burst.to, burst.msgType)) burst.sent += 1;
        else burst.failed += 1;
      }
      burst.left -= n;
      this.budget -= n;
      if (burst.left > 0) return;
      this.pending.shift();
      this.port.done(burst.id, { sent: burst.sent, failed: burst.failed });
    }
  }
}
