/**
 * `leader`: a leader lease, without or with a majority quorum (the protocol's `leader.ts` holds
 * the contract: messages, answers and `state` values). Fed messages and time only.
 *
 * - The members (`members`, default every node of the lab) elect among themselves; messages of
 *   the election from other nodes are ignored (noted). Majorities are of the members.
 * - Election: a node that has heard no valid `lead` for `2 × leaseMs + rank × heartbeatMs`
 *   (rank: its place among the members, the first first) tries to lead. Without quorum it leads
 *   at once in term + 1. With quorum it first asks whether a majority would vote for it (a
 *   pre-vote, `vote_req` with `pre`, as etcd's raft does: nobody's term moves), and only then
 *   stands as a candidate of term + 1 (`vote_req` to its connected peers) and leads once a
 *   majority, itself included, voted for it within `leaseMs` of standing (its first lease runs
 *   from then); otherwise it asks again when its timer runs out. A node cut off from the majority
 *   thus never raises its term, and healing does not unseat the majority's leader.
 * - A vote is granted once a term, for a candidate whose entries are no older than the voter's
 *   (their term, then their count: a stale node cannot win and wipe acknowledged writes), by a node
 *   that neither leads nor heard a lead or granted a vote within `leaseMs` (it will not desert a
 *   live leader; a granted vote is a promise for as long as a lease). Refused for a live leader,
 *   the request does not move the voter's term.
 * - The leader sends `lead {term, round, entries}` every `heartbeatMs` and at each append.
 *   Followers take the entries wholesale (an older round of the same leader is not taken) and,
 *   with quorum, answer `lead_ack`. Once a majority acknowledged the round sent at t, the lease
 *   lasts until t + leaseMs (`lease`); at its end the leader steps down (it wakes exactly then).
 * - A higher term in any message is adopted (a leader or candidate steps down); a `lead` of an
 *   older term is answered with a `lead_ack` of this node's term, so its sender learns it. Two
 *   leaders of one term (only without quorum): the one later in node order steps down.
 * - `append` at the leader: without quorum applied and answered at once; with quorum (and a valid
 *   lease) applied, then answered once a majority acknowledged a round that carried it, or
 *   `definite: false` if the leader steps down first. Elsewhere refused (definite). `get` answers
 *   this node's own copy.
 */
import { compareNodeIds } from '@faultline/clock';
import {
  FaultlineError,
  LEADER_APPEND,
  LEADER_APPEND_OK,
  LEADER_ERROR,
  LEADER_GET,
  LEADER_GET_OK,
  LEADER_LEAD,
  LEADER_LEAD_ACK,
  LEADER_MAX_VALUES,
  LEADER_VOTE,
  LEADER_VOTE_REQUEST,
  LEASE_EXPIRED,
  leaderAppendRequestSchema,
  leaderGetRequestSchema,
  leaderLeadAckSchema,
  leaderLeadSchema,
  leaderVoteRequestSchema,
  leaderVoteSchema,
  parseWith,
  type BehaviourSpec,
  type Envelope,
  type LeaderEntries,
  type NodeId,
} from '@faultline/protocol';
import type * as z from 'zod';
import type { Behaviour, BehaviourContext } from '../core/behaviour.js';
import { LeaderEntryStore } from './leader-entries.js';
import { LeaderLease, type Round } from './leader-lease.js';

export type LeaderSpec = Extract<BehaviourSpec, { name: 'leader' }>;
type Role = 'follower' | 'candidate' | 'leader';

export class LeaderBehaviour implements Behaviour {
  readonly name = 'leader';
  readonly messageTypes = [LEADER_APPEND, LEADER_GET, LEADER_LEAD, LEADER_LEAD_ACK, LEADER_VOTE_REQUEST, LEADER_VOTE];
  private started = false;
  private term = 0;
  private role: Role = 'follower';
  /** Whom it follows in `term` (itself while it leads), or null. */
  private leader: NodeId | null = null;
  private votedFor: NodeId | null = null;
  /** When it last heard a valid `lead` or granted a vote (monotonic), and which. */
  private heard: { atMs: number; what: string } | null = null;
  private electionAtMs = 0;
  private electionStartMs = 0;
  private readonly votes = new Set<NodeId>();
  /** The term a pre-vote now under way asks about (this term + 1), or null; and who would vote. */
  private preVoteTerm: number | null = null;
  private readonly preVotes = new Set<NodeId>();
  private nextHeartbeatMs = 0;
  private readonly lease: LeaderLease;
  /** The last round taken from `leader` in `term`. */
  private lastRound = 0;
  /** It stepped down as leader and has not taken another leader's entries since. */
  private steppedDown = false;
  private readonly entries = new LeaderEntryStore();

  constructor(readonly spec: LeaderSpec) {
    this.lease = new LeaderLease(spec.leaseMs);
  }

  onStart(ctx: BehaviourContext): void {
    this.started = true;
    this.electionAtMs = ctx.monoMs + this.electionMs(ctx);
  }

  onInvoke(ctx: BehaviourContext, msgType: string, body: Record<string, unknown>): Record<string, unknown> {
    if (msgType === LEADER_GET) {
      const parsed = parseWith(leaderGetRequestSchema, body, LEADER_GET);
      if (!parsed.ok) throw new FaultlineError('bad-request', parsed.error);
      return this.entries.read(parsed.value.key);
    }
    throw new FaultlineError('bad-request', `leader takes ${msgType} only from another node (an rpc): an append is answered only by the leader, with quorum once a majority holds it`);
  }

  onMessage(ctx: BehaviourContext, message: Envelope): void {
    switch (message.type) {
      case LEADER_APPEND:
        return this.onAppend(ctx, message);
      case LEADER_GET: {
        const parsed = parseWith(leaderGetRequestSchema, message.body, LEADER_GET);
        if (parsed.ok) ctx.reply(message, LEADER_GET_OK, this.entries.read(parsed.value.key));
        else ctx.reply(message, LEADER_ERROR, { definite: true, reason: parsed.error });
        return;
      }
      case LEADER_LEAD:
        return this.peer(ctx, message, leaderLeadSchema, (lead) => this.onLead(ctx, message, lead));
      case LEADER_LEAD_ACK:
        return this.peer(ctx, message, leaderLeadAckSchema, (ack) => this.onLeadAck(ctx, message.from, ack));
      case LEADER_VOTE_REQUEST:
        return this.peer(ctx, message, leaderVoteRequestSchema, (request) => this.onVoteRequest(ctx, message, request));
      case LEADER_VOTE:
        return this.peer(ctx, message, leaderVoteSchema, (vote) => this.onVote(ctx, message.from, vote));
    }
  }

  wakeAtMs(): number | null {
    if (!this.started) return null;
    if (this.role !== 'leader') return this.electionAtMs;
    return this.spec.quorum ? Math.min(this.nextHeartbeatMs, this.lease.leaseEndMs) : this.nextHeartbeatMs;
  }

  onWake(ctx: BehaviourContext): void {
    const now = ctx.monoMs;
    if (this.role === 'leader' && this.spec.quorum && this.lease.expired(now)) this.stepDown(ctx, LEASE_EXPIRED);
    if (this.role === 'leader') {
      if (now < this.nextHeartbeatMs) return;
      this.nextHeartbeatMs = Math.max(this.nextHeartbeatMs + this.spec.heartbeatMs, now + 1);
      this.sendRound(ctx);
    } else if (now >= this.electionAtMs) {
      if (this.spec.quorum) this.preVote(ctx);
      else this.stand(ctx);
    }
  }

  // ── the cluster and its timers ─────────────────────────────────────────

  /** The nodes that elect among themselves: `members`, or every node of the lab. */
  private cluster(ctx: BehaviourContext): NodeId[] {
    return [...new Set([ctx.node, ...(this.spec.members ?? ctx.peers())])].sort(compareNodeIds);
  }

  private majority(ctx: BehaviourContext): number {
    return Math.floor(this.cluster(ctx).length / 2) + 1;
  }

  private electionMs(ctx: BehaviourContext): number {
    return 2 * this.spec.leaseMs + this.cluster(ctx).indexOf(ctx.node) * this.spec.heartbeatMs;
  }

  private others(ctx: BehaviourContext): NodeId[] {
    const members = this.cluster(ctx);
    return ctx.connectedPeers().filter((p) => p !== ctx.node && members.includes(p));
  }

  // ── elections ──────────────────────────────────────────────────────────

  /** Its election timer ran out: lead (without quorum) or stand as a candidate. */
  /** (quorum) Asks whether a majority would vote for it in term + 1; its own term does not move. */
  private preVote(ctx: BehaviourContext): void {
    this.electionAtMs = ctx.monoMs + this.electionMs(ctx);
    this.preVoteTerm = this.term + 1;
    this.preVotes.clear();
    this.preVotes.add(ctx.node);
    ctx.state('pre_vote', { term: this.preVoteTerm });
    if (this.preVotes.size >= this.majority(ctx)) return this.stand(ctx);
    for (const peer of this.others(ctx)) ctx.send(peer, LEADER_VOTE_REQUEST, { term: this.preVoteTerm, entriesTerm: this.entries.term, entriesCount: this.entries.count, pre: true });
  }

  private stand(ctx: BehaviourContext): void {
    this.preVoteTerm = null;
    this.term += 1;
    this.electionStartMs = ctx.monoMs;
    this.electionAtMs = ctx.monoMs + this.electionMs(ctx);
    if (!this.spec.quorum) return this.lead(ctx);
    this.role = 'candidate';
    this.leader = null;
    this.votedFor = ctx.node;
    this.votes.clear();
    this.votes.add(ctx.node);
    ctx.state('candidate', { term: this.term });
    if (this.votes.size >= this.majority(ctx)) return this.lead(ctx);
    for (const peer of this.others(ctx)) ctx.send(peer, LEADER_VOTE_REQUEST, { term: this.term, entriesTerm: this.entries.term, entriesCount: this.entries.count });
  }

  private onVoteRequest(ctx: BehaviourContext, request: Envelope, body: z.infer<typeof leaderVoteRequestSchema>): void {
    const now = ctx.monoMs;
    const live = this.role === 'leader' ? `${ctx.node} leads term ${this.term}` : this.heard && now - this.heard.atMs < this.spec.leaseMs ? `${ctx.node} ${this.heard.what} ${now - this.heard.atMs} ms ago` : null;
    if (body.pre) {
      // Answered by the same rules, moving neither this node's term nor its vote.
      const refusal =
        live ??
        (body.term <= this.term
          ? `term ${body.term} is not above ${ctx.node}'s term ${this.term}`
          : this.entries.newerThan(body.entriesTerm, body.entriesCount)
            ? `${request.from}'s entries (term ${body.entriesTerm}, ${body.entriesCount} values) are older than ${ctx.node}'s (term ${this.entries.term}, ${this.entries.count} values)`
            : null);
      ctx.reply(request, LEADER_VOTE, { term: this.term, granted: refusal === null, ...(refusal === null ? {} : { reason: refusal }), pre: true });
      return;
    }
    if (live !== null) {
      ctx.reply(request, LEADER_VOTE, { term: this.term, granted: false, reason: live });
      return;
    }
    if (body.term > this.term) this.adoptTerm(ctx, body.term, `${request.from} stands in term ${body.term}`);
    const refusal =
      body.term < this.term
        ? `term ${body.term} is below ${ctx.node}'s term ${this.term}`
        : this.votedFor !== null
          ? `${ctx.node} voted for ${this.votedFor} in term ${this.term}`
          : this.entries.newerThan(body.entriesTerm, body.entriesCount)
            ? `${request.from}'s entries (term ${body.entriesTerm}, ${body.entriesCount} values) are older than ${ctx.node}'s (term ${this.entries.term}, ${this.entries.count} values)`
            : null;
    if (refusal !== null) {
      ctx.reply(request, LEADER_VOTE, { term: this.term, granted: false, reason: refusal });
      return;
    }
    this.votedFor = request.from;
    this.heard = { atMs: now, what: `voted for ${request.from} (term ${this.term})` };
    this.electionAtMs = now + this.electionMs(ctx);
    ctx.reply(request, LEADER_VOTE, { term: this.term, granted: true });
  }

  private onVote(ctx: BehaviourContext, from: NodeId, vote: z.infer<typeof leaderVoteSchema>): void {
    if (vote.pre && vote.granted) {
      // Counted only for the pre-vote under way (none once this node stood, followed or moved its term).
      if (this.preVoteTerm !== this.term + 1 || this.role === 'leader' || !this.cluster(ctx).includes(from)) return;
      this.preVotes.add(from);
      if (this.preVotes.size >= this.majority(ctx)) this.stand(ctx);
      return;
    }
    if (vote.term > this.term) return this.adoptTerm(ctx, vote.term, `${from} has term ${vote.term}`);
    if (vote.pre) return;
    if (this.role !== 'candidate' || vote.term < this.term || !vote.granted || !this.cluster(ctx).includes(from)) return;
    this.votes.add(from);
    if (this.votes.size < this.majority(ctx)) return;
    const tookMs = ctx.monoMs - this.electionStartMs;
    if (tookMs >= this.spec.leaseMs) {
      ctx.local(`leader: a majority voted for ${ctx.node} in term ${this.term} only ${tookMs} ms after it stood, no lease left (leaseMs ${this.spec.leaseMs}); it stands again later`);
      return;
    }
    this.lead(ctx);
  }

  // ── leading ────────────────────────────────────────────────────────────

  private lead(ctx: BehaviourContext): void {
    this.role = 'leader';
    this.leader = ctx.node;
    this.votedFor = ctx.node;
    this.entries.term = this.term;
    this.lease.begin(this.spec.quorum ? this.electionStartMs + this.spec.leaseMs : null);
    if (this.spec.quorum) {
      const votes = [...this.votes].sort(compareNodeIds);
      ctx.state('leader', { term: this.term, quorum: true, votes, leaseMs: this.spec.leaseMs, leftMs: this.lease.leaseEndMs - ctx.monoMs });
    } else ctx.state('leader', { term: this.term, quorum: false });
    this.nextHeartbeatMs = ctx.monoMs + this.spec.heartbeatMs;
    this.sendRound(ctx);
  }

  private sendRound(ctx: BehaviourContext): void {
    const now = ctx.monoMs;
    const round = this.lease.round(now, this.entries.count, ctx.node);
    const entries = this.entries.snapshot();
    for (const peer of this.others(ctx)) ctx.send(peer, LEADER_LEAD, { term: this.term, round: round.round, entries });
    if (!this.spec.quorum) return;
    this.lease.track(round, now);
    this.acknowledged(ctx, round);
  }

  private onLeadAck(ctx: BehaviourContext, from: NodeId, ack: z.infer<typeof leaderLeadAckSchema>): void {
    if (ack.term > this.term) return this.adoptTerm(ctx, ack.term, `${from} answered with term ${ack.term}`);
    if (this.role !== 'leader' || !this.spec.quorum || ack.term < this.term || !this.cluster(ctx).includes(from)) return;
    const round = this.lease.ack(ack.round, from);
    if (round) this.acknowledged(ctx, round);
  }

  /** A majority acknowledged `round`: renew the lease, answer the appends it carried. */
  private acknowledged(ctx: BehaviourContext, round: Round): void {
    const acknowledged = this.lease.acknowledged(round, this.majority(ctx), ctx.monoMs);
    if (!acknowledged) return;
    if (acknowledged.leaseLeftMs !== null) ctx.state('lease', { term: this.term, leftMs: acknowledged.leaseLeftMs });
    for (const p of acknowledged.done) {
      ctx.state('accepted', { key: p.key, value: p.value, term: this.term }, p.request.id);
      ctx.reply(p.request, LEADER_APPEND_OK, { key: p.key, term: this.term });
    }
  }

  private stepDown(ctx: BehaviourContext, reason: string): void {
    const was = this.role;
    if (was === 'follower') return;
    ctx.state('step_down', { term: this.term, reason, was });
    if (was === 'leader') {
      this.steppedDown = true;
      for (const p of this.lease.abandon()) ctx.reply(p.request, LEADER_ERROR, { definite: false, reason: `${ctx.node} stepped down before a majority acknowledged it (${reason})` });
    }
    this.role = 'follower';
    this.leader = null;
    this.votes.clear();
    this.electionAtMs = ctx.monoMs + this.electionMs(ctx);
  }

  /** A higher term seen: adopt it (a leader or candidate steps down first). */
  private adoptTerm(ctx: BehaviourContext, term: number, reason: string): void {
    this.stepDown(ctx, reason);
    this.term = term;
    this.preVoteTerm = null;
    this.votedFor = null;
    this.leader = null;
  }

  // ── following ──────────────────────────────────────────────────────────

  private onLead(ctx: BehaviourContext, message: Envelope, lead: z.infer<typeof leaderLeadSchema>): void {
    const from = message.from;
    if (lead.term < this.term) {
      ctx.reply(message, LEADER_LEAD_ACK, { term: this.term, round: lead.round });
      return;
    }
    if (lead.term > this.term) this.adoptTerm(ctx, lead.term, `${from} leads term ${lead.term}`);
    if (this.role === 'leader') {
      // Two leaders of one term (only without quorum: a node votes once a term).
      if (compareNodeIds(from, ctx.node) > 0) {
        ctx.local(`leader: ${from} also leads term ${lead.term}; ${ctx.node} comes first and stays`);
        return;
      }
      this.stepDown(ctx, `${from} also leads term ${lead.term}`);
    } else if (this.role === 'candidate') this.stepDown(ctx, `${from} leads term ${lead.term}`);
    if (this.leader !== from) {
      this.leader = from;
      this.lastRound = 0;
      ctx.state('follow', { leader: from, term: lead.term });
    }
    if (lead.round > this.lastRound) {
      this.lastRound = lead.round;
      this.take(ctx, from, lead.term, lead.entries);
    }
    const now = ctx.monoMs;
    this.preVoteTerm = null;
    this.heard = { atMs: now, what: `heard leader ${from} (term ${lead.term})` };
    this.electionAtMs = now + this.electionMs(ctx);
    if (this.spec.quorum) ctx.reply(message, LEADER_LEAD_ACK, { term: lead.term, round: lead.round });
  }

  /** Takes a leader's entries wholesale; traces `adopt` if values held here are not among them. */
  private take(ctx: BehaviourContext, from: NodeId, term: number, entries: LeaderEntries): void {
    const dropped = this.entries.dropped(entries);
    if (dropped.length > 0 || this.steppedDown) ctx.state('adopt', { leader: from, term, dropped });
    this.steppedDown = false;
    this.entries.replace(entries, term);
  }

  // ── clients ────────────────────────────────────────────────────────────

  private onAppend(ctx: BehaviourContext, request: Envelope): void {
    const parsed = parseWith(leaderAppendRequestSchema, request.body, LEADER_APPEND);
    if (!parsed.ok) {
      ctx.reply(request, LEADER_ERROR, { definite: true, reason: parsed.error });
      return;
    }
    const { key, value } = parsed.value;
    const refusal =
      this.role !== 'leader'
        ? `${ctx.node} is not the leader (${this.leader === null ? 'no leader known' : `${this.leader} leads term ${this.term}`})`
        : this.spec.quorum && this.lease.expired(ctx.monoMs)
          ? `${ctx.node}'s lease is not valid`
          : this.entries.full
            ? `${ctx.node} holds ${LEADER_MAX_VALUES} values, the most it keeps`
            : null;
    if (refusal !== null) {
      ctx.state('refused', { key, value, reason: refusal }, request.id);
      ctx.reply(request, LEADER_ERROR, { definite: true, reason: refusal });
      return;
    }
    const index = this.entries.append(key, value, this.term);
    if (this.spec.quorum) this.lease.pend({ request, key, value, index });
    else {
      ctx.state('accepted', { key, value, term: this.term }, request.id);
      ctx.reply(request, LEADER_APPEND_OK, { key, term: this.term });
    }
    this.sendRound(ctx);
  }

  /** Parses a peer's message; a bad one is noted (`local`) and ignored. */
  private peer<S extends z.ZodType>(ctx: BehaviourContext, message: Envelope, schema: S, then: (body: z.infer<S>) => void): void {
    if (!this.cluster(ctx).includes(message.from)) return ctx.local(`leader: ${message.type} ${message.id} from ${message.from} ignored: not one of this node's members (${this.cluster(ctx).join(', ')})`);
    const parsed = parseWith(schema, message.body, message.type);
    if (parsed.ok) then(parsed.value);
    else ctx.local(`leader: ${message.type} ${message.id} from ${message.from} ignored: ${parsed.error}`);
  }
}
