/**
 * `register`: one replica of a replicated key-value register (the protocol's `register.ts` holds
 * the contract: bodies, answers and `state` values). Each key holds one write, or in `vector` mode
 * several concurrent ones side by side (siblings).
 *
 * - A client `write {key, value}` (an `invoke` on this node, or a peer's `write` message, answered
 *   `write_ok`) gets the id `<node>/w<n>` (n = 1, 2 … in this life of the node). Its `write` line
 *   is recorded first, and the write is stamped with that line's clocks (wall, Lamport, HLC and
 *   vector; never true time). The replica then decides on it like on any write, gossips it as a
 *   one-way `reg_put {write}` to every peer (never queued: a down link gives a `failed_send`) and
 *   answers `{id, stamp, kept}`, `kept` saying whether this replica now holds it.
 * - A peer's `reg_put`: decided on the same way; never gossiped on. A write already held or
 *   decided on here (same id and stamp) is ignored without a trace.
 * - A `read {key}` (invoke, or a peer's `read`, answered `read_ok`) answers every value the key
 *   holds, with the writes' ids, sorted by id; traced as `read` with the same value.
 * - When the link to a peer comes up, every held write and every write made here (in this life;
 *   the last `REMEMBERED_WRITES`) is sent to it (`reg_put`): anti-entropy for the writes it missed
 *   while the link was down. The writes made here go too, held or not: a partition can drop the
 *   gossip without a failed send, and a write that lost here before the link came back (the
 *   peer's writes arrived first) would otherwise never reach that peer, which then never decides
 *   on it.
 *
 * The decision, traced as a `state` line (`apply`, `overwrite`, `discard` or `sibling`, value
 * `{key, resolution, write, others}`, others sorted by id):
 * - nothing held: `apply`;
 * - `wall`, `lamport`, `hlc`: the higher stamp wins, by (wall reading, node), (Lamport, node) or
 *   (HLC wall, HLC logical, node), node ids in `compareNodeIds` order. A winner `overwrite`s
 *   (others: the write it replaced); a loser is `discard`ed (others: the write it lost to). Two
 *   writes of one node with the same reading (two writes in one millisecond) are ordered by their
 *   Lamport values, then ids, so every replica decides alike;
 * - `vector`: the write's vector clock against each held one. A held write before it is replaced;
 *   if a held write is after it or equal, it is `discard`ed (others: those). Otherwise: it replaced
 *   every held write → `overwrite` (others: the replaced ones); some held write is concurrent with
 *   it → `sibling` (others: those it is kept beside; any it replaced are gone from the key, as the
 *   checkers read a `sibling`: the key then holds exactly the write and its others). A client write on this node replaces everything the key holds here:
 *   every write held here came in a message whose clock this node merged, so the new write's vector
 *   clock covers them all.
 *
 * The writes decided on are remembered (the last `REMEMBERED_WRITES`) to ignore duplicates.
 */
import { compare, compareHlc, compareNodeIds } from '@faultline/clock';
import {
  FaultlineError,
  parseWith,
  REGISTER_GOSSIP,
  registerGossipSchema,
  registerReadRequestSchema,
  registerWriteRequestSchema,
  type Envelope,
  type NodeId,
  type RegisterDecision,
  type RegisterDecisionKind,
  type RegisterResolution,
  type RegisterWrite,
} from '@faultline/protocol';
import type * as z from 'zod';
import type { Behaviour, BehaviourContext } from '../core/behaviour.js';

/** How many writes decided on (to ignore duplicates), and made here (to resend), are remembered; oldest forgotten first. */
const REMEMBERED_WRITES = 100_000;

type WriteAnswer = { id: string; stamp: RegisterWrite['stamp']; kept: boolean };
type ReadAnswer = { key: string; values: unknown[]; ids: string[] };

/** A write's identity: its id, and its stamp to tell one life of its node from another (ids restart at w1). */
const identity = (w: RegisterWrite): string => `${w.id}\u0000${w.stamp.lamport}\u0000${w.stamp.wallMs}\u0000${w.stamp.hlc.wallMs}\u0000${w.stamp.hlc.logical}`;

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** The order of the last-writer-wins resolutions: > 0 when `a` wins over `b`. */
export function lwwOrder(resolution: Exclude<RegisterResolution, 'vector'>, a: RegisterWrite, b: RegisterWrite): number {
  const first = resolution === 'wall' ? sign(a.stamp.wallMs - b.stamp.wallMs) : resolution === 'lamport' ? sign(a.stamp.lamport - b.stamp.lamport) : compareHlc(a.stamp.hlc, b.stamp.hlc);
  return first || compareNodeIds(a.node, b.node) || sign(a.stamp.lamport - b.stamp.lamport) || compareNodeIds(a.id, b.id) || compareText(JSON.stringify(a.stamp), JSON.stringify(b.stamp));
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Read order: by id, then (one id in two lives of its node) by Lamport value. */
const byId = (a: RegisterWrite, b: RegisterWrite): number => compareNodeIds(a.id, b.id) || a.stamp.lamport - b.stamp.lamport;

function parsed<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const result = parseWith(schema, body, what);
  if (!result.ok) throw new FaultlineError('bad-request', result.error);
  return result.value;
}

export class RegisterBehaviour implements Behaviour {
  readonly name = 'register';
  readonly messageTypes = ['write', 'read', REGISTER_GOSSIP];
  /** key → the writes it holds (several only in `vector` mode). */
  private readonly held = new Map<string, RegisterWrite[]>();
  /** The identities of the writes decided on here, oldest first. */
  private readonly decided = new Set<string>();
  /** The writes made here, oldest first. */
  private readonly own: RegisterWrite[] = [];
  private writes = 0;

  constructor(readonly resolution: RegisterResolution) {}

  onInvoke(ctx: BehaviourContext, msgType: string, body: Record<string, unknown>): Record<string, unknown> {
    if (msgType === 'write') {
      const { key, value } = parsed(registerWriteRequestSchema, body, 'write');
      return this.write(ctx, key, value);
    }
    if (msgType === 'read') return this.read(ctx, parsed(registerReadRequestSchema, body, 'read').key);
    throw new FaultlineError('bad-request', `register takes write and read as client requests; ${msgType} comes from peers`);
  }

  onMessage(ctx: BehaviourContext, message: Envelope): void {
    try {
      if (message.type === REGISTER_GOSSIP) {
        const { write } = parsed(registerGossipSchema, message.body, REGISTER_GOSSIP);
        if (this.knows(write)) return;
        this.decide(ctx, write, message.id);
      } else if (message.type === 'write') {
        const { key, value } = parsed(registerWriteRequestSchema, message.body, 'write');
        ctx.reply(message, 'write_ok', this.write(ctx, key, value, message.id));
      } else if (message.type === 'read') {
        const { key } = parsed(registerReadRequestSchema, message.body, 'read');
        ctx.reply(message, 'read_ok', this.read(ctx, key, message.id));
      }
    } catch (err) {
      if (!(err instanceof FaultlineError)) throw err;
      ctx.local(`register: ${message.type} ${message.id} from ${message.from} ignored: ${err.message}`);
    }
  }

  onLink(ctx: BehaviourContext, peer: NodeId, up: boolean): void {
    if (!up) return;
    const sent = new Set<string>();
    for (const write of [...this.own, ...[...this.held.values()].flat()]) {
      const id = identity(write);
      if (sent.has(id)) continue;
      sent.add(id);
      ctx.send(peer, REGISTER_GOSSIP, { write });
    }
  }

  /** What key `key` holds here, sorted by id. */
  holds(key: string): RegisterWrite[] {
    return [...(this.held.get(key) ?? [])].sort(byId);
  }

  private write(ctx: BehaviourContext, key: string, value: unknown, msg?: string): WriteAnswer {
    this.writes += 1;
    const id = `${ctx.node}/w${this.writes}`;
    // The write's stamp is the clocks of its own `write` line (not true time: no node knows that).
    const at = ctx.state('write', { id, node: ctx.node, key, value }, msg);
    const write: RegisterWrite = { id, node: ctx.node, key, value, stamp: { wallMs: at.wallMs, lamport: at.lamport, hlc: { ...at.hlc }, vc: { ...at.vc } } };
    this.own.push(write);
    if (this.own.length > REMEMBERED_WRITES) this.own.shift();
    const kept = this.decide(ctx, write, msg);
    for (const peer of ctx.peers()) if (peer !== ctx.node) ctx.send(peer, REGISTER_GOSSIP, { write });
    return { id, stamp: write.stamp, kept };
  }

  private read(ctx: BehaviourContext, key: string, msg?: string): ReadAnswer {
    const held = this.holds(key);
    const answer = { key, values: held.map((w) => w.value), ids: held.map((w) => w.id) };
    ctx.state('read', answer, msg);
    return answer;
  }

  /** Held here now, or decided on before. */
  private knows(write: RegisterWrite): boolean {
    const id = identity(write);
    return this.decided.has(id) || (this.held.get(write.key) ?? []).some((w) => identity(w) === id);
  }

  /** Decides on `write`, traces the decision and keeps what the key holds now; answers whether `write` is held. */
  private decide(ctx: BehaviourContext, write: RegisterWrite, msg?: string): boolean {
    const held = this.held.get(write.key) ?? [];
    const { kind, others, next } = this.resolve(write, held);
    const decision: RegisterDecision = { key: write.key, resolution: this.resolution, write, others: [...others].sort(byId) };
    ctx.state(kind, decision, msg);
    this.held.set(write.key, next);
    this.decided.add(identity(write));
    if (this.decided.size > REMEMBERED_WRITES) this.decided.delete(this.decided.values().next().value!);
    return kind !== 'discard';
  }

  private resolve(write: RegisterWrite, held: RegisterWrite[]): { kind: RegisterDecisionKind; others: RegisterWrite[]; next: RegisterWrite[] } {
    if (held.length === 0) return { kind: 'apply', others: [], next: [write] };
    if (this.resolution !== 'vector') {
      // Only a vector register holds more than one write per key.
      const current = held[0];
      return lwwOrder(this.resolution, write, current) > 0 ? { kind: 'overwrite', others: [current], next: [write] } : { kind: 'discard', others: [current], next: held };
    }
    const dominating = held.filter((s) => {
      const order = compare(write.stamp.vc, s.stamp.vc);
      return order === 'before' || order === 'equal';
    });
    if (dominating.length > 0) return { kind: 'discard', others: dominating, next: held };
    const replaced = held.filter((s) => compare(s.stamp.vc, write.stamp.vc) === 'before');
    const beside = held.filter((s) => !replaced.includes(s));
    const next = [...beside, write];
    return beside.length === 0 ? { kind: 'overwrite', others: replaced, next } : { kind: 'sibling', others: beside, next };
  }
}
