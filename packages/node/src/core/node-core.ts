/**
 * The node's pure core, in the manner of etcd raft's `Step`/`Ready`: it never touches a socket, a
 * timer or a clock. The shell feeds it one input at a time with the current time (`step`), and
 * gets back what to do, in order (`Effect[]`): envelopes to send, trace events (stamped with the
 * node's clocks), replies to the coordinator, the peers to connect to, and when to wake it next.
 *
 * It owns:
 * - the clocks (`NodeClocks`): every recorded event (send, receive, local event, and the node's
 *   own observations such as `peer_up` or `rpc_timeout`) ticks Lamport, vector and HLC once;
 * - message ids (`messageId`: `n2-1`, … and `n2.2-1`, … once revived), and what the outbound links are (up or down, as reported);
 * - RPC bookkeeping (`RpcTable`), bursts (`Bursts`), and the behaviours, dispatched by message
 *   type: the shell hands them in (`BehaviourSet`: those a node runs from its start, and how to
 *   make the one a `start_behaviour` names); the core imports none.
 * Each coordinator command has its own handler (`commands.ts`).
 *
 * A message to a peer whose link is down is never queued: it is a `failed_send` event. A request
 * of a type no behaviour handles is answered with an `error` message (Maelstrom's code 10, `not
 * supported`), so an RPC of an unknown type fails fast instead of timing out.
 */
import { compareNodeIds as byNode, type SkewParams } from '@faultline/clock';
import { messageId, type ClockStamp, type Envelope, type NodeId, type NodeStatus, type NodeTraceEvent, type RpcResult } from '@faultline/protocol';
import type { Behaviour, BehaviourContext, BehaviourSet, SendOutcome } from './behaviour.js';
import { BehaviourRegistry } from './behaviour-registry.js';
import { Bursts } from './bursts.js';
import { applyClockCommand } from './clock-commands.js';
import { runCommand, type CommandPort } from './commands.js';
import type { Effect } from './effect.js';
import type { NodeInput } from './input.js';
import { checkRemoteStamps, NodeClocks } from './node-clocks.js';
import type { Now } from './now.js';
import { ProgramHost } from './program-host.js';
import { RpcTable } from './rpc-table.js';
import { refusalOf } from './stamp-bounds.js';
import { utf8Length } from './utf8-length.js';

export interface NodeCoreConfig {
  readonly node: NodeId;
  /** Which life of the node this process is: 1 at first, one more at every revive (default 1). */
  readonly incarnation?: number;
  /** The node's process id (for `node_start` and `status`). */
  readonly pid: number;
  /** The port of the node's peer server (for `node_start`). */
  readonly port: number;
  /** The behaviours the node runs, and those it can start (from the shell: `behaviours/`). */
  readonly behaviours: BehaviourSet;
  /** The wall clock's initial offset and drift (default: none). */
  readonly skew?: SkewParams;
  /**
   * The lab's node ids (from `--lab-nodes`): a peer's envelope is refused unless its sender and
   * every vector clock key are among them, this node and the peers of `set_peers` (default: those).
   */
  readonly labNodes?: readonly NodeId[];
  /** The node hosts a program speaking Maelstrom's protocol (the shell runs it): `ProgramHost`. */
  readonly program?: boolean;
}

/** Maelstrom's error code for a message type nobody handles. */
export const NOT_SUPPORTED = { code: 10, name: 'not-supported', definite: true } as const;

export class NodeCore {
  readonly node: NodeId;
  private readonly clocks: NodeClocks;
  private readonly registry: BehaviourRegistry;
  private readonly rpc: RpcTable;
  private readonly bursts: Bursts;
  private readonly program: ProgramHost | undefined;
  private readonly commands: CommandPort;
  private peerUrls: Record<NodeId, string> = {};
  /** The lab's node ids: this one, `labNodes`, and every peer `set_peers` named. */
  private readonly lab: Set<NodeId>;
  private readonly linksUp = new Set<NodeId>();
  private counter = 0;
  private started = false;
  private now: Now;
  private out: Effect[] = [];

  constructor(
    private readonly config: NodeCoreConfig,
    now: Now,
  ) {
    this.node = config.node;
    this.lab = new Set([config.node, ...(config.labNodes ?? [])]);
    this.now = now;
    this.clocks = new NodeClocks(config.node, config.skew ?? {}, now.trueMs);
    this.registry = new BehaviourRegistry(config.behaviours.initial);
    const reply = (id: number, result: unknown): void => {
      this.out.push({ kind: 'reply', id, ok: true, result });
    };
    this.rpc = new RpcTable({
      newId: () => this.newId(),
      send: (id, to, type, body) => this.sendMessage(to, type, body, undefined, id),
      trace: (event) => this.record(event),
      complete: (callId, result: RpcResult) => reply(callId, result),
    });
    this.bursts = new Bursts({ send: (to, msgType) => this.sendMessage(to, msgType, {}).sent, done: reply });
    this.program = config.program
      ? new ProgramHost({
          node: this.node,
          labNodes: () => [...this.lab],
          write: (line) => this.out.push({ kind: 'program_write', line }),
          send: (to, type, body) => this.sendMessage(to, type, body),
          trace: (event) => this.record(event),
          toService: (message) => this.out.push({ kind: 'service', message }),
          reply,
        })
      : undefined;
    this.commands = {
      node: this.node,
      trueMs: () => this.now.trueMs,
      monoMs: () => this.now.monoMs,
      clocks: this.clocks,
      registry: this.registry,
      behaviours: config.behaviours,
      rpc: this.rpc,
      bursts: this.bursts,
      reply,
      refuse: (id, error) => this.out.push({ kind: 'reply', id, ok: false, error }),
      setPeers: (peers) => {
        this.peerUrls = peers;
        for (const peer of Object.keys(peers)) this.lab.add(peer);
        this.out.push({ kind: 'peers', peers });
      },
      send: (to, type, body) => this.sendMessage(to, type, body),
      record: (event) => this.record(event),
      status: () => this.status(),
      context: (behaviour) => this.context(behaviour),
      program: this.program,
    };
  }

  /** Feed one input at time `now`; returns what to do, in order. */
  step(input: NodeInput, now: Now): Effect[] {
    // Monotonic time never goes back, whatever the caller passes.
    this.now = { monoMs: Math.max(this.now.monoMs, now.monoMs), trueMs: now.trueMs };
    this.out = [];
    this.bursts.newStep();
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
        this.record({ kind: 'malformed', source: input.source, error: input.error, ...(input.msg === undefined ? {} : { msg: input.msg }) });
        break;
      case 'refused':
        this.record({ kind: 'refused', stage: 'handshake', reason: input.reason });
        break;
      case 'command':
        runCommand(this.commands, input.id, input.command);
        break;
      case 'link':
        this.link(input.peer, input.up);
        break;
      case 'program_line':
        if (this.program) this.program.fromProgram(input.line);
        else this.record({ kind: 'malformed', source: 'program', error: 'this node hosts no program' });
        break;
      case 'program_exit': {
        const how = input.signal === null ? `code ${input.code}` : input.signal;
        const said = input.stderr.trim().split('\n').at(-1)?.slice(0, 300);
        this.record({ kind: 'local', label: `the program exited (${how})${said ? `; its last words on stderr: ${said}` : ''}` });
        break;
      }
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
    const watch = this.config.behaviours.peerWatch;
    const peers: NodeStatus['peers'] = {};
    const known = new Set([...Object.keys(this.peerUrls), ...this.linksUp, ...(watch?.heardFrom() ?? [])]);
    for (const peer of [...known].sort(byNode)) {
      peers[peer] = { connected: this.linksUp.has(peer), lastHeartbeatAgoMs: watch?.agoMs(peer, now.monoMs) ?? null };
    }
    return { node: this.node, pid: this.config.pid, wallMs: stamp.wallMs, offsetMs: skew.offsetMs, driftPpm: skew.driftPpm, lamport: stamp.lamport, vc: { ...stamp.vc }, hlc: stamp.hlc, peers };
  }

  /** The earliest monotonic time at which the core has something to do, or null. */
  nextWakeMs(): number | null {
    const burst = this.bursts.active ? this.now.monoMs : null;
    const times = [this.rpc.nextWakeMs(), this.registry.nextWakeMs(), this.program?.nextWakeMs() ?? null, burst].filter((t): t is number => t !== null);
    return times.length === 0 ? null : Math.min(...times);
  }

  private start(): void {
    this.started = true;
    this.record({ kind: 'node_start', pid: this.config.pid, port: this.config.port, incarnation: this.config.incarnation ?? 1 });
    for (const behaviour of this.registry.all) behaviour.onStart?.(this.context(behaviour));
    this.program?.start();
  }

  private runTimers(): void {
    this.rpc.expire(this.now.monoMs);
    this.program?.expire(this.now.monoMs);
    for (const behaviour of this.registry.all) {
      const at = behaviour.wakeAtMs?.() ?? null;
      if (at !== null && at <= this.now.monoMs) behaviour.onWake?.(this.context(behaviour));
    }
    this.bursts.continue();
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
    const refusal = refusalOf(envelope.from, envelope, { self: this.node, lab: this.lab, wallMs: this.clocks.wallMs(this.now.trueMs) });
    if (refusal !== null) {
      this.record({ kind: 'refused', stage: 'envelope', from: envelope.from, msg: envelope.id, reason: refusal });
      return;
    }
    const stamp = this.clocks.receive(envelope, this.now.trueMs);
    const replyTo = envelope.replyTo === undefined ? {} : { replyTo: envelope.replyTo };
    this.trace(stamp, { kind: 'receive', from: envelope.from, ...replyTo, sentWall: envelope.sentWall, msg: envelope.id, msgType: envelope.type, size });
    if (this.rpc.onReply(envelope, this.now.monoMs)) return;
    if (this.program?.fromPeer(envelope)) return;
    const handler = this.registry.handlerFor(envelope.type);
    if (handler) {
      handler.onMessage?.(this.context(handler), envelope);
    } else if (envelope.replyTo === undefined && envelope.type !== 'error') {
      this.sendMessage(envelope.from, 'error', { ...NOT_SUPPORTED, text: `no behaviour handles message type "${envelope.type}"` }, envelope.id);
    }
  }

  private link(peer: NodeId, up: boolean): void {
    if (up === this.linksUp.has(peer)) return;
    if (up) this.linksUp.add(peer);
    else this.linksUp.delete(peer);
    this.record(up ? { kind: 'peer_up', peer } : { kind: 'peer_down', peer });
    for (const behaviour of this.registry.all) if (this.registry.sees(behaviour, peer)) behaviour.onLink?.(this.context(behaviour), peer, up);
  }

  private newId(): string {
    this.counter += 1;
    return messageId(this.node, this.config.incarnation ?? 1, this.counter);
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
    const clocks = this.clocks;
    const sees = (peer: NodeId): boolean => behaviour === undefined || this.registry.sees(behaviour, peer);
    return {
      node: this.node,
      monoMs,
      // Read when asked: a `jumpClock` earlier in the same step shows at once.
      get wallMs() {
        return clocks.wallMs(trueMs);
      },
      peers: () => Object.keys(this.peerUrls).filter(sees).sort(byNode),
      connectedPeers: () => [...this.linksUp].filter(sees).sort(byNode),
      send: (to, type, body = {}) => this.sendMessage(to, type, body),
      reply: (request, type, body = {}) => this.sendMessage(request.from, type, body, request.id),
      local: (label) => {
        this.record({ kind: 'local', label });
      },
      state: (key, value, msg) => this.record({ kind: 'state', behaviour: behaviour?.name ?? this.node, key, value, ...(msg === undefined ? {} : { msg }) }),
      jumpClock: (deltaMs) => {
        const applied = applyClockCommand(this.clocks, { type: 'jump_clock', deltaMs }, this.now.trueMs);
        if (applied.ok) this.record(applied.event);
        else this.record({ kind: 'local', label: `clock not stepped: ${applied.error}` });
      },
    };
  }
}
