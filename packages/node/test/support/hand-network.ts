/**
 * Several `Harness`es (real `NodeCore`s) wired by hand: every node knows the others as peers with
 * their links up, time passes for all of them at once (`advance`), and a message goes only when a
 * test delivers it (`deliver`), so a test picks the order, the delays and what is never delivered.
 */
import { commandSchema, type BehaviourSpecInput, type Envelope, type NodeId, type NodeTraceEvent } from '@faultline/protocol';
import type { TraceEffect } from '../../src/index.js';
import { Harness } from './core-harness.js';

export type State = Extract<NodeTraceEvent, { kind: 'state' }>;
export type Answer = { ok: true; result: Record<string, unknown> } | { ok: false; error: string };

export class HandNetwork {
  readonly nodes = new Map<NodeId, Harness>();
  /** Sent and not yet delivered or dropped, in send order. */
  private readonly inFlight: Envelope[] = [];
  private readonly collected = new Map<NodeId, number>();

  constructor(ids: NodeId[], behaviour?: (id: NodeId) => BehaviourSpecInput | undefined) {
    for (const id of ids) {
      const h = new Harness(id);
      const peers = Object.fromEntries(ids.filter((p) => p !== id).map((p) => [p, `ws://127.0.0.1:${5000 + Number(p.slice(1))}`]));
      h.command(commandSchema.parse({ type: 'set_peers', peers }));
      h.up(...Object.keys(peers));
      const spec = behaviour?.(id);
      if (spec) {
        const started = h.command(commandSchema.parse({ type: 'start_behaviour', behaviour: spec }));
        if (!h.reply(started)?.ok) throw new Error(`${id}: start_behaviour failed: ${h.reply(started)?.error}`);
      }
      this.nodes.set(id, h);
    }
  }

  node(id: NodeId): Harness {
    return this.nodes.get(id)!;
  }

  /** A command on `node`, answered at once. */
  command(node: NodeId, command: unknown): Answer {
    const h = this.node(node);
    const id = h.command(commandSchema.parse(command));
    const reply = h.reply(id);
    if (!reply) throw new Error(`${node}: no reply to command ${id}`);
    return reply.ok ? { ok: true, result: reply.result as Record<string, unknown> } : { ok: false, error: reply.error ?? '' };
  }

  invoke(node: NodeId, msgType: string, body: Record<string, unknown> = {}): Answer {
    return this.command(node, { type: 'invoke', msgType, body });
  }

  /** Let `ms` pass on every node. */
  advance(ms: number): void {
    for (const h of this.nodes.values()) h.advance(ms);
  }

  /** The messages in flight (from `from` to `to`, of type `type`, when given), oldest first. */
  pending(filter: { from?: NodeId; to?: NodeId; type?: string } = {}): Envelope[] {
    this.collect();
    return this.inFlight.filter((e) => (filter.from === undefined || e.from === filter.from) && (filter.to === undefined || e.to === filter.to) && (filter.type === undefined || e.type === filter.type));
  }

  /** Delivers the messages in flight that match, oldest first (not those they cause). */
  deliver(filter: { from?: NodeId; to?: NodeId; type?: string } = {}): Envelope[] {
    const batch = this.pending(filter);
    for (const envelope of batch) {
      this.inFlight.splice(this.inFlight.indexOf(envelope), 1);
      this.node(envelope.to).deliver(envelope);
    }
    return batch;
  }

  /** Delivers one message in flight (out of its link's order, if the test picks so). */
  deliverOne(envelope: Envelope): void {
    this.collect();
    const at = this.inFlight.indexOf(envelope);
    if (at < 0) throw new Error(`${envelope.id} is not in flight`);
    this.inFlight.splice(at, 1);
    this.node(envelope.to).deliver(envelope);
  }

  /** Delivers everything in flight, and what that causes, until nothing is left. */
  settle(): void {
    while (this.pending().length > 0) this.deliver();
  }

  /** Loses the messages in flight that match. */
  drop(filter: { from?: NodeId; to?: NodeId; type?: string } = {}): Envelope[] {
    const batch = this.pending(filter);
    for (const envelope of batch) this.inFlight.splice(this.inFlight.indexOf(envelope), 1);
    return batch;
  }

  states(node: NodeId, key?: string): State[] {
    return this.node(node)
      .events()
      .filter((e): e is State => e.kind === 'state' && (key === undefined || e.key === key));
  }

  /** The trace effects (event and clocks) of `node`'s `state` lines with key `key`. */
  stateTraces(node: NodeId, key: string): TraceEffect[] {
    return this.node(node)
      .traces()
      .filter((t) => t.event.kind === 'state' && t.event.key === key);
  }

  private collect(): void {
    for (const [id, h] of this.nodes) {
      const sent = h.sent();
      this.inFlight.push(...sent.slice(this.collected.get(id) ?? 0));
      this.collected.set(id, sent.length);
    }
  }
}
