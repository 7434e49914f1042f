/**
 * Drives `NodeCore`s without sockets, with time fed explicitly.
 * - `Harness`: one core, its effects recorded, time advanced by hand.
 * - `SimNetwork`: several cores wired by an in-memory network where each message takes a
 *   seeded random delay, and links can be cut; it runs wake-ups and deliveries in time order.
 */
import type { Command, Envelope, NodeId } from '@faultline/protocol';
import { NodeCore, standardBehaviours, type Behaviour, type Effect, type NodeInput, type TraceEffect } from '../../src/index.js';

type Reply = Extract<Effect, { kind: 'reply' }>;

/** True time starts here (2026-01-01) so wall clocks read like real dates. */
export const TRUE_EPOCH_MS = 1_767_225_600_000;

export class Harness {
  readonly core: NodeCore;
  readonly effects: Effect[] = [];
  monoMs = 1_000;
  trueMs = TRUE_EPOCH_MS;
  private nextCommandId = 1;

  /** `labNodes`: the lab's node ids (default n1 … n5). */
  constructor(node: NodeId = 'n1', options: { heartbeatMs?: number; behaviours?: Behaviour[]; incarnation?: number; labNodes?: NodeId[]; program?: boolean } = {}) {
    const behaviours = standardBehaviours({ heartbeatMs: options.heartbeatMs ?? 0, extra: options.behaviours });
    const labNodes = options.labNodes ?? ['n1', 'n2', 'n3', 'n4', 'n5'];
    this.core = new NodeCore({ node, incarnation: options.incarnation, pid: 4242, port: 5000, behaviours, labNodes, program: options.program }, this.now());
  }

  now(): { monoMs: number; trueMs: number } {
    return { monoMs: this.monoMs, trueMs: this.trueMs };
  }

  step(input: NodeInput): Effect[] {
    const out = this.core.step(input, this.now());
    this.effects.push(...out);
    return out;
  }

  /** Let `ms` of monotonic and true time pass, then tick. */
  advance(ms: number): Effect[] {
    this.monoMs += ms;
    this.trueMs += ms;
    return this.step({ kind: 'tick' });
  }

  command(command: Command): number {
    const id = this.nextCommandId++;
    this.step({ kind: 'command', id, command });
    return id;
  }

  up(...peers: NodeId[]): void {
    for (const peer of peers) this.step({ kind: 'link', peer, up: true });
  }

  traces(): TraceEffect[] {
    return this.effects.filter((e): e is TraceEffect => e.kind === 'trace');
  }

  events(): TraceEffect['event'][] {
    return this.traces().map((t) => t.event);
  }

  replies(): Reply[] {
    return this.effects.filter((e): e is Reply => e.kind === 'reply');
  }

  reply(id: number): Reply | undefined {
    return this.replies().find((r) => r.id === id);
  }

  sent(): Envelope[] {
    return this.effects.flatMap((e) => (e.kind === 'send' ? [e.envelope] : []));
  }

  /** A message from `from` to this node, stamped as if `from` had `lamport` events so far. */
  envelope(from: NodeId, type: string, extra: Partial<Envelope> = {}): Envelope {
    return { id: `${from}-${type}-${this.monoMs}`, from, to: this.core.node, type, body: {}, lamport: 1, vc: { [from]: 1 }, hlc: { wallMs: this.trueMs, logical: 0 }, sentWall: this.trueMs, ...extra };
  }

  deliver(envelope: Envelope): Effect[] {
    return this.step({ kind: 'envelope', envelope, size: JSON.stringify(envelope).length });
  }
}

interface InFlight {
  atMs: number;
  seq: number;
  envelope: Envelope;
}

export class SimNetwork {
  readonly nodes = new Map<NodeId, Harness>();
  readonly delivered: Envelope[] = [];
  readonly cut = new Set<string>();
  private readonly inFlight: InFlight[] = [];
  private readonly wakes = new Map<NodeId, number>();
  private seq = 0;
  private monoMs = 1_000;

  constructor(
    ids: NodeId[],
    private readonly rng: () => number,
    private readonly maxDelayMs = 50,
  ) {
    for (const id of ids) this.nodes.set(id, new Harness(id));
    for (const id of ids) this.feed(id, { kind: 'start' });
    for (const a of ids) for (const b of ids) if (a !== b) this.feed(a, { kind: 'link', peer: b, up: true });
  }

  node(id: NodeId): Harness {
    return this.nodes.get(id)!;
  }

  feed(id: NodeId, input: NodeInput): void {
    const harness = this.node(id);
    harness.monoMs = this.monoMs;
    harness.trueMs = TRUE_EPOCH_MS + this.monoMs;
    for (const effect of harness.step(input)) {
      if (effect.kind === 'wake') this.wakes.set(id, effect.atMonoMs);
      if (effect.kind === 'send' && !this.cut.has(`${id}-${effect.to}`)) {
        this.inFlight.push({ atMs: this.monoMs + 1 + this.rng() * this.maxDelayMs, seq: this.seq++, envelope: effect.envelope });
      }
    }
  }

  /** Run deliveries and wake-ups in time order until `untilMs` of simulated time have passed. */
  run(forMs: number): void {
    const endMs = this.monoMs + forMs;
    for (;;) {
      this.inFlight.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
      const delivery = this.inFlight[0];
      let wake: [NodeId, number] | undefined;
      for (const [id, at] of this.wakes) if (!wake || at < wake[1]) wake = [id, at];
      const nextMs = Math.min(delivery?.atMs ?? Infinity, wake?.[1] ?? Infinity);
      if (nextMs > endMs) break;
      this.monoMs = Math.max(this.monoMs, nextMs);
      if (delivery && delivery.atMs === nextMs) {
        this.inFlight.shift();
        this.delivered.push(delivery.envelope);
        const { envelope } = delivery;
        this.feed(envelope.to, { kind: 'envelope', envelope, size: JSON.stringify(envelope).length });
      } else if (wake) {
        this.wakes.delete(wake[0]);
        this.feed(wake[0], { kind: 'tick' });
      }
    }
    this.monoMs = endMs;
  }
}
