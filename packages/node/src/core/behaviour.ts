/**
 * A behaviour: a pure module that gives a node something to do, registered by the message types
 * it handles (like Toxiproxy's toxics, registered by name). The built-ins answer `ping` and `echo`
 * and keep heartbeats; later ones (a replicated register, a failure detector, Raft) plug in the
 * same way, without touching the transport: a behaviour never sees a socket, a timer or a clock.
 * It is handed a `BehaviourContext` (the time, the peers, and ways to send) and acts through it;
 * every send it makes is stamped and traced by the core like any other.
 */
import type { BehaviourSpec, ClockStamp, Envelope, NodeId } from '@faultline/protocol';

/** What became of one message: `sent`, or not (the link was down: a `failed_send` was traced). */
export interface SendOutcome {
  /** The message id (`n1-4`, or `n1.2-4` in a revived node: protocol's `messageId`). */
  readonly msg: string;
  readonly sent: boolean;
  /** Why not sent, e.g. `link to n2 is down`. */
  readonly reason?: string;
}

export interface BehaviourContext {
  readonly node: NodeId;
  /** Monotonic ms: measure every timeout and interval on this. */
  readonly monoMs: number;
  /**
   * The node's wall time (its skewed clock): the only wall time a behaviour may read. Fixed within
   * a step, except that a `jumpClock` shows in it at once.
   */
  readonly wallMs: number;
  /** The peers the coordinator gave (`set_peers`). */
  peers(): NodeId[];
  /** The peers whose outbound connection is open now. */
  connectedPeers(): NodeId[];
  /** Send a message to a peer; never queued: a down link gives `sent: false`. */
  send(to: NodeId, type: string, body?: Record<string, unknown>): SendOutcome;
  /** Answer `request`: a message to its sender with `replyTo` set to its id. */
  reply(request: Envelope, type: string, body?: Record<string, unknown>): SendOutcome;
  /** Record a local event in the trace. */
  local(label: string): void;
  /**
   * Record what this behaviour did that a check can read (a `state` event): a counter's value, an
   * item appended, a request processed (`msg`: that request's id). Answers the clocks of that
   * event (it ticks them like any event): a register stamps a write with them.
   */
  state(key: string, value: unknown, msg?: string): ClockStamp;
  /** Step the node's wall clock by `deltaMs` (a clock synchronisation correcting it): traced as `clock_change`. */
  jumpClock(deltaMs: number): void;
}

export interface Behaviour {
  readonly name: string;
  /** The message types this behaviour handles; each type has at most one behaviour per node. */
  readonly messageTypes: readonly string[];
  /** Once, when the node starts. */
  onStart?(ctx: BehaviourContext): void;
  /**
   * A client request of one of `messageTypes` made on this node itself (`invoke`: a register's
   * `write`, a `sync` round). Answers the reply's body; throws a `FaultlineError` to refuse it.
   */
  onInvoke?(ctx: BehaviourContext, msgType: string, body: Record<string, unknown>): Record<string, unknown>;
  /** A message of one of `messageTypes` arrived (already traced as `receive`). */
  onMessage?(ctx: BehaviourContext, message: Envelope): void;
  /** The outbound connection to `peer` opened or closed (already traced). */
  onLink?(ctx: BehaviourContext, peer: NodeId, up: boolean): void;
  /** The monotonic time at which this behaviour wants `onWake`, or null for none. */
  wakeAtMs?(): number | null;
  /** Called once `wakeAtMs()` has come. */
  onWake?(ctx: BehaviourContext): void;
}

/** What a node knows of its peers' heartbeats, for its `status`: who was heard, and how long ago. */
export interface PeerWatch {
  /** The peers a heartbeat has ever come from. */
  readonly heardFrom: () => NodeId[];
  /** Monotonic ms since the last heartbeat from `peer` arrived, or null if none has. */
  readonly agoMs: (peer: NodeId, monoMs: number) => number | null;
}

/**
 * The behaviours a node runs, handed to the core by the shell: the core imports none of them, so
 * a new behaviour is a file in `behaviours/` and an entry in its table, never a change here.
 */
export interface BehaviourSet {
  /** Those that run from the node's start (ping, echo, heartbeats, the burst sink, …). */
  readonly initial: readonly Behaviour[];
  /** Where `status` reads the peers' heartbeats (none: every peer's is null). */
  readonly peerWatch?: PeerWatch;
  /** The behaviour a `start_behaviour` command names, made from its settings. */
  readonly create: (spec: BehaviourSpec) => Behaviour;
}
