/**
 * A `leader`'s rounds and lease with quorum, pure: each `lead` round it sends (numbered from 1 in
 * each leadership), the members that acknowledged it, the lease a majority's acknowledgement
 * renews (until the round's send time + `leaseMs`), and the appends applied here that wait for a
 * majority to acknowledge a round carrying them. Time is given (`nowMs`, monotonic); sending,
 * tracing and answering are the behaviour's.
 */
import type { Envelope, NodeId } from '@faultline/protocol';

/** A `lead` round of this leader, until a majority acknowledged it or it is older than a lease. */
export interface Round {
  readonly round: number;
  readonly sentMs: number;
  /** How many values it carried. */
  readonly count: number;
  readonly acks: Set<NodeId>;
}

/** A quorum append applied here and not yet acknowledged by a majority. */
export interface PendingAppend {
  readonly request: Envelope;
  readonly key: string;
  readonly value: unknown;
  /** The count of values once it was applied: a round carrying at least that many carries it. */
  readonly index: number;
}

/** What a majority's acknowledgement of a round did. */
export interface Acknowledgement {
  /** The lease left from `nowMs` if it was renewed, else null. */
  readonly leaseLeftMs: number | null;
  /** The appends it carried, in the order they were applied. */
  readonly done: PendingAppend[];
}

export class LeaderLease {
  /** When the lease ends (monotonic). */
  leaseEndMs = 0;
  private nextRound = 1;
  private rounds: Round[] = [];
  private pending: PendingAppend[] = [];

  constructor(private readonly leaseMs: number) {}

  /** A new leadership: rounds count from 1 again, nothing pending; with quorum, its first lease ends at `leaseEndMs`. */
  begin(leaseEndMs: number | null): void {
    this.nextRound = 1;
    this.rounds = [];
    this.pending = [];
    if (leaseEndMs !== null) this.leaseEndMs = leaseEndMs;
  }

  expired(nowMs: number): boolean {
    return nowMs >= this.leaseEndMs;
  }

  /** The next round, sent at `nowMs` carrying `count` values, acknowledged by `self` alone so far. */
  round(nowMs: number, count: number, self: NodeId): Round {
    return { round: this.nextRound++, sentMs: nowMs, count, acks: new Set([self]) };
  }

  /** Waits for acknowledgements of `round`; an older round can no longer renew the lease, and a newer one carries all it carried. */
  track(round: Round, nowMs: number): void {
    this.rounds = this.rounds.filter((r) => r.sentMs + this.leaseMs > nowMs);
    this.rounds.push(round);
  }

  /** `from` acknowledged round `round`: that round, if it is still waited for. */
  ack(round: number, from: NodeId): Round | undefined {
    const found = this.rounds.find((r) => r.round === round);
    found?.acks.add(from);
    return found;
  }

  /** If a majority acknowledged `round`: the lease it renews and the appends it carried (no longer pending). */
  acknowledged(round: Round, majority: number, nowMs: number): Acknowledgement | null {
    if (round.acks.size < majority) return null;
    this.rounds = this.rounds.filter((r) => r.round > round.round);
    const endMs = round.sentMs + this.leaseMs;
    let leaseLeftMs: number | null = null;
    if (endMs > this.leaseEndMs) {
      this.leaseEndMs = endMs;
      leaseLeftMs = endMs - nowMs;
    }
    const done = this.pending.filter((p) => p.index <= round.count);
    this.pending = this.pending.filter((p) => p.index > round.count);
    return { leaseLeftMs, done };
  }

  pend(append: PendingAppend): void {
    this.pending.push(append);
  }

  /** It steps down: the appends still pending, no longer waited for, nor any round. */
  abandon(): PendingAppend[] {
    const pending = this.pending;
    this.pending = [];
    this.rounds = [];
    return pending;
  }
}
