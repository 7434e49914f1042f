/**
 * The control channel between the coordinator and each node: a WebSocket from the node to the
 * coordinator that does NOT go through the proxies (the lab's god's-eye channel). The coordinator
 * sends commands; the node answers each with a `reply`, and reports every trace event as it happens
 * (what one event-loop turn made goes in one `batch` frame).
 *
 *   node → coordinator: hello (once, first), then trace and reply, or a batch of them
 *   coordinator → node: command
 */
import * as z from 'zod';
import { BEHAVIOUR_NAMES, behaviourSpecSchema, type BehaviourName } from './behaviours.js';
import { clockOffsetMsSchema, driftPpmSchema } from './clock-bounds.js';
import { clockStampSchema } from './clocks.js';
import { envelopeSchema, messageTypeSchema } from './envelope.js';
import { nodeIdSchema } from './ids.js';
import { maelstromMessageSchema } from './maelstrom/message.js';
import { nodeTraceEventSchema } from './trace.js';

/** What the coordinator can ask a node to do. */
export const commandSchema = z.discriminatedUnion('type', [
  /** Where to reach each peer: the `ws://` URL of the proxy of the link this node → peer. */
  z.object({ type: z.literal('set_peers'), peers: z.record(nodeIdSchema, z.string().url()) }),
  /** Set the node's wall clock: offset (a step) and/or drift from now on. */
  z.object({ type: z.literal('set_clock'), offsetMs: clockOffsetMsSchema.optional(), driftPpm: driftPpmSchema.optional() }),
  /** Step the node's wall clock by `deltaMs` (negative: backwards). */
  z.object({ type: z.literal('jump_clock'), deltaMs: clockOffsetMsSchema }),
  /** Send one message to a peer, no reply expected. */
  z.object({ type: z.literal('send'), to: nodeIdSchema, msgType: messageTypeSchema, body: z.record(z.string(), z.unknown()).default({}) }),
  /** A remote procedure call to a peer: waits up to `timeoutMs` per attempt, `retries` more attempts. */
  z.object({
    type: z.literal('rpc'),
    to: nodeIdSchema,
    msgType: messageTypeSchema,
    body: z.record(z.string(), z.unknown()).default({}),
    timeoutMs: z.number().int().positive().max(600_000),
    retries: z.number().int().nonnegative().max(100).default(0),
  }),
  /** The node's clocks and its view of its peers. */
  z.object({ type: z.literal('status') }),
  /** Record a local event (ticks the clocks), e.g. to mark a moment in a lesson. */
  z.object({ type: z.literal('local'), label: z.string().min(1).max(200) }),
  /**
   * A load tool for benchmarks and lessons: send `count` messages of type `msgType` to `to` back
   * to back, no reply expected. Each is an ordinary traced send (it ticks the clocks); the reply
   * is a BurstResult.
   */
  z.object({ type: z.literal('burst'), to: nodeIdSchema, count: z.number().int().min(1).max(1_000_000), msgType: messageTypeSchema.default('burst') }),
  /**
   * A client request to one of the node's behaviours, made on the node itself (a client beside the
   * replica, as in Maelstrom): e.g. a register's `write` or `read`. The reply is the behaviour's
   * answer; a type no behaviour takes is refused.
   */
  z.object({ type: z.literal('invoke'), msgType: messageTypeSchema, body: z.record(z.string(), z.unknown()).default({}) }),
  /**
   * Start a behaviour (a service, a counter, a log …); the reply names the message types it
   * handles. `among`: the only peers it sees and talks to (a lesson's nodes on a larger lab);
   * absent: every peer.
   */
  z.object({ type: z.literal('start_behaviour'), behaviour: behaviourSpecSchema, among: z.array(nodeIdSchema).max(100).optional() }),
  /**
   * A client's request to the program this node hosts (Maelstrom's protocol, `faultline test`):
   * written to the program's stdin; the reply is a ClientResult: the program's answer to the
   * client, or `timeout` when none came within `timeoutMs` (monotonic).
   */
  z.object({ type: z.literal('client'), message: maelstromMessageSchema, timeoutMs: z.number().int().positive().max(600_000) }),
  /** A service's answer to the program this node hosts: written to its stdin. */
  z.object({ type: z.literal('deliver'), message: maelstromMessageSchema }),
  /** Answered `{ready: true}` once the hosted program has answered `init` (at once if it has), `{ready: false}` after `timeoutMs`. */
  z.object({ type: z.literal('program_ready'), timeoutMs: z.number().int().positive().max(600_000) }),
  /** Stop a behaviour this node runs (a lesson ended on a shared lab): it forgets its state. */
  z.object({ type: z.literal('stop_behaviour'), name: z.enum(BEHAVIOUR_NAMES as [BehaviourName, ...BehaviourName[]]) }),
]);
export type Command = z.infer<typeof commandSchema>;

/** What a node answers to `client`: the hosted program's answer, or `timeout`. */
export const clientResultSchema = z.object({
  outcome: z.enum(['ok', 'timeout']),
  reply: maelstromMessageSchema.optional(),
});
export type ClientResult = z.infer<typeof clientResultSchema>;

/** What a node answers to `rpc`: what the *sender* saw (the trace shows what really happened). */
export const rpcResultSchema = z.object({
  /**
   * `ok`: a reply came in time; `timeout`: none came (every attempt); `failed`: it could not be
   * sent; `caller-died`: the caller was killed (or exited) before the call ended, so nobody saw
   * its end (the lab answers this one, never the node).
   */
  outcome: z.enum(['ok', 'timeout', 'failed', 'caller-died']),
  /** The reply envelope, when one came in time. */
  reply: envelopeSchema.optional(),
  attempts: z.number().int().positive(),
  /** Ids of the requests sent, one per attempt. */
  requestIds: z.array(z.string()),
  /** Monotonic time from the first attempt to the outcome. */
  elapsedMs: z.number().nonnegative(),
  /** Why `failed`: e.g. `link to n2 is down`. */
  error: z.string().optional(),
});
export type RpcResult = z.infer<typeof rpcResultSchema>;

/** What a node answers to `burst`: how many messages went on the link, how many failed (link down). */
export const burstResultSchema = z.object({ sent: z.number().int().nonnegative(), failed: z.number().int().nonnegative() });
export type BurstResult = z.infer<typeof burstResultSchema>;

export const peerViewSchema = z.object({
  /** The outbound connection to the peer's proxy is open. */
  connected: z.boolean(),
  /** Monotonic ms since the last heartbeat from that peer arrived; null if none yet. */
  lastHeartbeatAgoMs: z.number().nonnegative().nullable(),
});

export const nodeStatusSchema = z.object({
  node: nodeIdSchema,
  pid: z.number().int().positive(),
  wallMs: z.number(),
  offsetMs: z.number(),
  driftPpm: z.number(),
  lamport: z.number().int().nonnegative(),
  vc: z.record(z.string(), z.number().int().nonnegative()),
  hlc: z.object({ wallMs: z.number(), logical: z.number().int().nonnegative() }),
  peers: z.record(nodeIdSchema, peerViewSchema),
});
export type NodeStatus = z.infer<typeof nodeStatusSchema>;

export const coordinatorToNodeSchema = z.object({ kind: z.literal('command'), id: z.number().int().nonnegative(), command: commandSchema });
export type CoordinatorToNode = z.infer<typeof coordinatorToNodeSchema>;

/** A trace event with the node's clocks at that event (`clocks.trueMs` read by the reporter). */
export const traceMessageSchema = z.object({ kind: z.literal('trace'), clocks: clockStampSchema, event: nodeTraceEventSchema });
export type TraceMessage = z.infer<typeof traceMessageSchema>;

/** The answer to command `id`: `result` is an RpcResult for `rpc`, a NodeStatus for `status`. */
export const replyMessageSchema = z.object({
  kind: z.literal('reply'),
  id: z.number().int().nonnegative(),
  ok: z.boolean(),
  result: z.unknown().optional(),
  error: z.string().optional(),
});
export type ReplyMessage = z.infer<typeof replyMessageSchema>;

/**
 * A message the node's program sent to a service (`lin-kv`, `seq-kv` …): the lab runs the
 * services, and answers with a `deliver` command.
 */
export const serviceMessageSchema = z.object({ kind: z.literal('service'), message: maelstromMessageSchema });
export type ServiceMessage = z.infer<typeof serviceMessageSchema>;

/** What a `batch` carries: traces, replies and service requests, in the order the node made them. */
export const batchedMessageSchema = z.discriminatedUnion('kind', [traceMessageSchema, replyMessageSchema, serviceMessageSchema]);
export type BatchedMessage = z.infer<typeof batchedMessageSchema>;

/** The most messages a node puts in one `batch` frame (a longer turn sends several frames). */
export const MAX_BATCH = 1024;

export const nodeToCoordinatorSchema = z.discriminatedUnion('kind', [
  /** First message on the control channel: who the node is and where its WebSocket server listens. */
  z.object({ kind: z.literal('hello'), node: nodeIdSchema, pid: z.number().int().positive(), port: z.number().int().min(1).max(65535) }),
  traceMessageSchema,
  replyMessageSchema,
  serviceMessageSchema,
  /**
   * What the node reported in one event-loop turn, in order, in one frame (a node sends a burst's
   * thousands of traces as a few frames, not thousands). The receiver checks each message on its
   * own, so one bad message is dropped alone.
   */
  z.object({ kind: z.literal('batch'), messages: z.array(batchedMessageSchema).min(1).max(MAX_BATCH) }),
]);
export type NodeToCoordinator = z.infer<typeof nodeToCoordinatorSchema>;
