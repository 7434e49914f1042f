/**
 * The node's pure core, in the manner of etcd raft's `Step`/`Ready`: it never touches a socket, a
 * timer or a clock. The shell feeds it one input at a time with the current time (`step`), and
 * gets back what to do, in order (`Effect[]`): envelopes to send, trace events (stamped with the
 * node's clocks), replies to the coordinator, the peers to connect to, and when to wake it next.
 *
 * It owns:
 * - the clocks (`NodeClocks`): every recorded event (send, receive, local event, and the node's
 *   own observations such as `peer_up` or `rpc_timeout`) ticks Lamport, vector and HLC once;
 * - message ids `<node>-<counter>`, and what the outbound links are (up or down, as reported);
 * - RPC bookkeeping (`RpcTable`) and the behaviours, built in (`ping`, `echo`, heartbeats, the
 *   `burst` sink) and added (`NodeCoreConfig.behaviours`), dispatched by message type.
 *
 * A message to a peer whose link is down is never queued: it is a `failed_send` event. A request
 * of a type no behaviour handles is answered with an `error` message (Maelstrom's code 10, `not
 * supported`), so an RPC of an unknown type fails fast instead of timing out.
 */
import { compareNodeIds as byNode, type SkewParams } from '@faultline/clock';
import type { BurstResult, ClockStamp, Command, Envelope, NodeId, NodeStatus, NodeTraceEvent, RpcResult } from '@faultline/protocol';
import { burstSinkBehaviour } from '../behaviours/burst-sink.js';
import { echoBehaviour } from '../behaviours/echo.js';
import { Heartbeats } from '../behaviours/heartbeats.js';
import { pingBehaviour } from '../behaviours/ping.js';
import { createBehaviour } from '../behaviours/create-behaviour.js';
import { FaultlineError } from '@faultline/protocol';
import type { Behaviour, BehaviourContext, SendOutcome } from './behaviour.js';
import { BehaviourRegistry } from './behaviour-registry.js';
import { applyClockCommand } from './clock-commands.js';
import type { Effect } from './effect.js';
import type { NodeInput } from './input.js';
import { checkRemoteStamps, NodeClocks } from './node-clocks.js';
import type { Now } from './now.js';
import { RpcTable } from './rpc-table.js';
import { utf8Length } from './utf8-length.js';

export interface NodeCoreConfig {
  readonly node: NodeId;
  /** The node's process id (for `node_start` and `status`). */
  readonly pid: number;
  /** The port of the node's peer server (for `node_start`). */
  readonly port: number;
  /** Interval of heartbeats to every connected peer, monotonic ms; 0 sends none. */
  readonly heartbeatMs: number;
  /** Behaviours besides the built-in ones. */
  readonly behaviours?: readonly Behaviour[];
  /** The wall clock's initial offset and drift (default: none). */
  readonly skew?: SkewParams;
}

/** Maelstrom's error code for a message type nobody handles. */
export const NOT_SUPPORTED = { code: 10, name: 'not-supported', definite: true } as const;

/**
 * How many messages of a `burst` one step sends. A longer burst goes on in the next steps (the
 * core asks to be woken at once), so the shell writes each part as it is made and the node keeps
 * answering in between, instead of going silent for the whole burst and writing it all at the end.
 */
export const BURST_STEP = 1_000;

interface PendingBurst {
  readonly id: number;
  readonly to: NodeId;
  readonly msgType: string;
  /** Messages still to send. */
  left: number;
  sent: number;
  failed: number;
}

export class NodeCore {
  readonly node: NodeId;
  private readonly clocks: NodeClocks;
  private readonly heartbeats: Heartbeats;
  private readonly registry: BehaviourRegistry;
  private readonly rpc: RpcTable;
  private peerUrls: Record<NodeId, string> = {};
  private readonly linksUp = new Set<NodeId>();
  private counter = 0;
  private started = false;
  /** Bursts still sending, oldest first. */
  private readonly bursts: PendingBurst[] = [];
  /** Burst sends left in this step. */
  private burstBudget = 0;
  private now: Now;
  private out: Effect[] = [];

  constructor(
    private readonly config: NodeCoreConfig,
    now: Now,
  ) {
    this.node = config.node;
    this.now = now;
    this.clocks = new NodeClocks(config.node, config.skew ?? {}, now.trueMs);
    this.heartbeats = new Heartbeats(config.heartbeatMs);
    this.registry = new BehaviourRegistry([this.heartbeats, pingBehaviour(), echoBehaviour(), burstSinkBehaviour(), ...(config.behaviours ?? [])]);
    this.rpc = new RpcTable({
      newId: () => this.newId(),
      send: (id, to, type, body) => this.sendMessage(to, type, body, undefined, id),
      trace: (event) => this.record(event),
      complete: (callId, result: RpcResult) => this.out.push({ kind: 'reply', id: callId, ok: true, result }),
    });
  }

  /** Feed one input at time `now`; returns what to do, in order. */
  step(input: NodeInput, now: Now): Effect[] {
    // Monotonic time never goes back, whatever the caller passes.
    this.now = { monoMs: Math.max(this.now.monoMs, now.monoMs), trueMs: now.trueMs };
    this.out = [];
    this.burstBudget = BURST_STEP;
    if (!this.started) this.start();
    this.runTimers();
    switch (input.kind) {
      case 'start':
      case 'tick':
        break;
      case 'envelope':
        this.receive(input.envelope, input.size);
        break;
      case 'malformed':
        this.record({ kind: 'malformed', source: input.source, error: input.error });
        break;
      case 'command':
        this.command(input.id, input.command);
        break;
      case 'link':
        this.link(input.peer, input.up);
        break;
    }
    const wake = this.nextWakeMs();
    if (wake !== null) this.out.push({ kind: 'wake', atMonoMs: wake });
    const effects = this.out;
    this.out = [];
    return effects;
  }

  /** The node's clocks and its view of its peers, at time `now` (no event). */
  status(now: Now = this.now): NodeStatus {
    const stamp = this.clocks.peek(now.trueMs);
    const skew = this.clocks.skew(now.trueMs);
    const peers: NodeStatus['peers'] = {};
    const known = new Set([...Object.keys(this.peerUrls), ...this.linksUp, ...this.heartbeats.heardFrom()]);
    for (const peer of [...known].sort(byNode)) {
      peers[peer] = { connected: this.linksUp.has(peer), lastHeartbeatAgoMs: this.heartbeats.agoMs(peer, now.monoMs) };
    }
    return { node: this.node, pid: this.config.pid, wallMs: stamp.wallMs, offsetMs: skew.offsetMs, driftPpm: skew.driftPpm, lamport: stamp.lamport, vc: { ...stamp.vc }, hlc: stamp.hlc, peers };
  }

  /** The earliest monotonic time at which the core has something to do, or null. */
  nextWakeMs(): number | null {
    const burst = this.bursts.length > 0 ? this.now.monoMs : null;
    const times = [this.rpc.nextWakeMs(), this.registry.nextWakeMs(), burst].filter((t): t is number => t !== null);
    return times.length === 0 ? null : Math.min(...times);
  }

  private start(): void {
    this.started = true;
    this.record({ kind: 'node_start', pid: this.config.pid, port: this.config.port });
    for (const behaviour of this.registry.all) behaviour.onStart?.(this.context(behaviour));
  }

  private runTimers(): void {
    this.rpc.expire(this.now.monoMs);
    for (const behaviour of this.registry.all) {
      const at = behaviour.wakeAtMs?.() ?? null;
      if (at !== null && at <= this.now.monoMs) behaviour.onWake?.(this.context(behaviour));
    }
    this.continueBursts();
  }

  /** The pending bursts' next sends, in order, up to `BURST_STEP` a step; each finished one is answered. */
  private continueBursts(): void {
    while (this.burstBudget > 0 && this.bursts.length > 0) {
      const burst = this.bursts[0];
      const n = Math.min(this.burstBudget, burst.left);
      for (let i = 0; i < n; i++) {
        if (this.sendMessage(burst.to, burst.msgType, {}).sent) burst.sent += 1;
        else burst.failed += 1;
      }
      burst.left -= n;
      this.burstBudget -= n;
      if (burst.left > 0) return;
      this.bursts.shift();
      this.out.push({ kind: 'reply', id: burst.id, ok: true, result: { sent: burst.sent, failed: burst.failed } satisfies BurstResult });
    }
  }

  private receive(envelope: Envelope, size: number): void {
    if (envelope.to !== this.node) {
      this.record({ kind: 'malformed', source: 'peer', error: `envelope.to: expected ${this.node}, got "${envelope.to}"` });
      return;
    }
    const problem = checkRemoteStamps(envelope);
    if (problem !== null) {
      this.record({ kind: 'malformed', source: 'peer', error: problem });
      return;
    }
    const stamp = this.clocks.receive(envelope, this.now.trueMs);
    const replyTo = envelope.replyTo === undefined ? {} : { replyTo: envelope.replyTo };
    this.trace(stamp, { kind: 'receive', from: envelope.from, ...replyTo, sentWall: envelope.sentWall, msg: envelope.id, msgType: envelope.type, size });
    if (this.rpc.onReply(envelope, this.now.monoMs)) return;
    const handler = this.registry.handlerFor(envelope.type);
    if (handler) {
      handler.onMessage?.(this.context(handler), envelope);
    } else if (envelope.replyTo === undefined && envelope.type !== 'error') {
      this.sendMessage(envelope.from, 'error', { ...NOT_SUPPORTED, text: `no behaviour handles message type "${envelope.type}"` }, envelope.id);
    }
  }

  private command(id: number, command: Command): void {
    const ok = (result: unknown): void => {
      this.out.push({ kind: 'reply', id, ok: true, result });
    };
    switch (command.type) {
      case 'set_peers': {
        const peers = Object.fromEntries(Object.entries(command.peers).filter(([peer]) => peer !== this.node));
        this.peerUrls = peers;
        this.out.push({ kind: 'peers', peers });
        ok({ peers: Object.keys(peers).sort(byNode) });
        return;
      }
      case 'set_clock':
      case 'jump_clock': {
        const applied = applyClockCommand(this.clocks, command, this.now.trueMs);
        if (!applied.ok) {
          this.out.push({ kind: 'reply', id, ok: false, error: applied.error });
          return;
        }
        const stamp = this.record(applied.event);
        ok({ offsetMs: applied.event.offsetMs, driftPpm: applied.event.driftPpm, wallMs: stamp.wallMs });
        return;
      }
      case 'send':
        ok(this.sendMessage(command.to, command.msgType, command.body));
        return;
      case 'rpc':
        this.rpc.call(id, command, this.now.monoMs);
        return;
      case 'status':
        ok(this.status());
        return;
      case 'local':
        ok(this.record({ kind: 'local', label: command.label }));
        return;
      case 'burst': {
        // A load tool: `count` ordinary sends (each ticks the clocks and is traced), `BURST_STEP`
        // a step, behind any burst still sending; answered when the last one is sent.
        this.bursts.push({ id, to: command.to, msgType: command.msgType, left: command.count, sent: 0, failed: 0 });
        this.continueBursts();
        return;
      }
      case 'start_behaviour': {
        const behaviour = createBehaviour(command.behaviour);
        try {
          this.registry.add(behaviour);
        } catch (err) {
          if (!(err instanceof FaultlineError)) throw err;
          this.out.push({ kind: 'reply', id, ok: false, error: err.message });
          return;
        }
        const ctx = this.context(behaviour);
        ctx.state('started', command.behaviour);
        behaviour.onStart?.(ctx);
        ok({ name: behaviour.name, messageTypes: [...behaviour.messageTypes] });
        return;
      }
    }
  }

  private link(peer: NodeId, up: boolean): void {
    if (up === this.linksUp.has(peer)) return;
    if (up) this.linksUp.add(peer);
    else this.linksUp.delete(peer);
    this.record(up ? { kind: 'peer_up', peer } : { kind: 'peer_down', peer });
    for (const behaviour of this.registry.all) behaviour.onLink?.(this.context(behaviour), peer, up);
  }

  private newId(): string {
    this.counter += 1;
    return `${this.node}-${this.counter}`;
  }

  /** A send event: stamp, then hand the envelope to the link, or trace `failed_send` if it is down. */
  private sendMessage(to: NodeId, type: string, body: Record<string, unknown>, replyTo?: string, id = this.newId()): SendOutcome {
    const stamp = this.clocks.tick(this.now.trueMs);
    const reply = replyTo === undefined ? {} : { replyTo };
    const envelope: Envelope = { id, from: this.node, to, type, body, ...reply, lamport: stamp.lamport, vc: stamp.vc, hlc: stamp.hlc, sentWall: stamp.wallMs };
    // Serialised once: the size in the trace is the size of the very frame that goes on the link.
    const text = JSON.stringify(envelope);
    const size = utf8Length(text);
    if (!this.linksUp.has(to)) {
      const reason = `link to ${to} is down`;
      this.trace(stamp, { kind: 'failed_send', to, reason, msg: id, msgType: type, size });
      return { msg: id, sent: false, reason };
    }
    this.out.push({ kind: 'send', to, envelope, text });
    this.trace(stamp, { kind: 'send', to, ...reply, msg: id, msgType: type, size });
    return { msg: id, sent: true };
  }

  /** An event of the node itself (not a send or receive): tick the clocks and trace it. */
  private record(event: NodeTraceEvent): ClockStamp {
    const stamp = this.clocks.tick(this.now.trueMs);
    this.trace(stamp, event);
    return stamp;
  }

  private trace(clocks: ClockStamp, event: NodeTraceEvent): void {
    this.out.push({ kind: 'trace', clocks, event });
  }

  private context(behaviour?: Behaviour): BehaviourContext {
    const { monoMs, trueMs } = this.now;
    return {
      node: this.node,
      monoMs,
      wallMs: this.clocks.wallMs(trueMs),
      peers: () => Object.keys(this.peerUrls).sort(byNode),
      connectedPeers: () => [...this.linksUp].sort(byNode),
      send: (to, type, body = {}) => this.sendMessage(to, type, body),
      reply: (request, type, body = {}) => this.sendMessage(request.from, type, body, request.id),
      local: (label) => {
        this.record({ kind: 'local', label });
      },
      state: (key, value, msg) => {
        this.record({ kind: 'state', behaviour: behaviour?.name ?? this.node, key, value, ...(msg === undefined ? {} : { msg }) });
      },
    };
  }
}
