/**
 * The behaviours a node can be asked to start (`start_behaviour`), each with its settings. A
 * behaviour is what gives a node something to do beyond `ping`, `echo` and heartbeats; what it
 * does that a lesson can check is traced as `state` events.
 *
 * - `service`: answers `work` requests with `work_ok` after `delayMs` of processing (monotonic);
 *   a node killed during that time never processes the request. Traces `processed` (msg: the request).
 * - `counter`: `incr` (body `{by?, key?}`) adds `by` (default 1) and answers `incr_ok {value}`;
 *   `read` answers `read_ok {value}`. With `idempotent`, a request whose idempotency `key` was seen
 *   before is answered with the first answer and not applied again. Traces `counter` (the value).
 * - `log`: one-way `append` messages (body `{item, seq}`). `naive` appends every message as it
 *   arrives; `sequenced` delivers by `seq` per sender (1, 2, 3 …), holding back what comes early and
 *   ignoring duplicates. Traces `append` (the item) for each delivery, `duplicate` for ignored ones.
 * - `register`: a replicated last-writer-wins key-value register on every node that runs it. A
 *   client `write {key, value}` (`faultline invoke`) is stamped with the node's clocks, applied and
 *   gossiped (`reg_put`) to the peers; `resolution` says which stamp wins: `wall` (the node's
 *   skewed wall clock), `lamport`, `hlc`, or `vector` (concurrent writes kept side by side as
 *   siblings). Traces `write`, `apply`, `overwrite`, `discard`, `sibling`, `read` (register.ts).
 * - `sync`: clock synchronisation. Every node that runs it answers `time_req` with its wall time; a
 *   node with a `server` asks it (`faultline invoke n2 sync`) and estimates its offset by `method`
 *   (Cristian's, or NTP's four timestamps) with the error bound RTT/2; `correct` steps its own clock
 *   by the estimate. Traces `sync` for each round, `sync_done` after the last (clock-sync.ts).
 * - `kv`: a replicated key-value store (kv.ts). Clients (another node's `rpc`, or `invoke`) send
 *   `get`, `put` and `append`. `single`: this node alone; `primary-backup`: writes go to the
 *   primary, which copies them to the backups it can reach before answering, and any replica
 *   answers reads from its own copy; `quorum`: reads and writes reach a majority of the replicas,
 *   values carry versions. Traces `kv_apply` and `kv_read`.
 * - `detector`: a heartbeat failure detector on this node, watching every peer that runs one: a
 *   fixed `timeout`, or `phi` accrual (Hayashibara et al.) with its `threshold`. Traces `suspect`
 *   and `trust` with the time since the last heartbeat (detector.ts).
 * - `leader`: a leader lease. Without `quorum` a node that hears no leader for a while leads; with
 *   it, only one a majority voted for, and only while a majority keeps answering. The leader
 *   takes `append` writes. Traces `leader`, `follow`, `step_down` and the writes (leader.ts).
 */
import * as z from 'zod';
import { nodeIdSchema } from './ids.js';

/** A setting a behaviour does not have is refused, never ignored (a typo would change nothing, silently). */
const delayMs = z.number().int().nonnegative().max(60_000);

export const behaviourSpecSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('service'), delayMs: delayMs.default(300) }),
  z.strictObject({ name: z.literal('counter'), idempotent: z.boolean().default(false), delayMs: delayMs.default(0) }),
  z.strictObject({ name: z.literal('log'), mode: z.enum(['naive', 'sequenced']).default('naive') }),
  z.strictObject({ name: z.literal('register'), resolution: z.enum(['wall', 'lamport', 'hlc', 'vector']).default('wall') }),
  z.strictObject({
    name: z.literal('sync'),
    /** The time server this node asks; without one, the node only answers. */
    server: nodeIdSchema.optional(),
    method: z.enum(['cristian', 'ntp']).default('ntp'),
    /** Step this node's clock by each estimate. */
    correct: z.boolean().default(false),
    /** How long a round waits for its answer (monotonic ms). */
    timeoutMs: z.number().int().min(10).max(60_000).default(2000),
  }),
  z.strictObject({
    name: z.literal('kv'),
    mode: z.enum(['single', 'primary-backup', 'quorum']).default('single'),
    /** The replicas, this node among them (default: every node of the lab). */
    replicas: z.array(nodeIdSchema).min(1).max(20).optional(),
    /** `primary-backup`: the primary (default: the first replica). */
    primary: nodeIdSchema.optional(),
    /** How long a request waits for the other replicas' answers (monotonic ms). */
    timeoutMs: z.number().int().min(10).max(60_000).default(1000),
  }),
  z.strictObject({
    name: z.literal('detector'),
    method: z.enum(['timeout', 'phi']).default('timeout'),
    /** How often this node sends its heartbeat to each peer (monotonic ms). */
    intervalMs: z.number().int().min(10).max(10_000).default(100),
    /** `timeout`: suspect a peer unheard for this long. */
    timeoutMs: z.number().int().min(10).max(60_000).default(500),
    /** `phi`: suspect a peer once phi exceeds this (8: about one mistake in 10^8 by the model). */
    threshold: z.number().positive().max(100).default(8),
  }),
  z.strictObject({
    name: z.literal('leader'),
    /** Lead only with a majority's votes, and only while a majority answers. */
    quorum: z.boolean().default(true),
    /** The nodes that elect a leader among themselves, this one among them (default: every node of the lab). */
    members: z.array(nodeIdSchema).min(1).max(20).optional(),
    /** How long a leader's lease lasts after it is renewed (monotonic ms). */
    leaseMs: z.number().int().min(50).max(60_000).default(1000),
    /** How often the leader renews it (monotonic ms). */
    heartbeatMs: z.number().int().min(10).max(10_000).default(200),
  }),
]);
export type BehaviourSpec = z.infer<typeof behaviourSpecSchema>;
export type BehaviourSpecInput = z.input<typeof behaviourSpecSchema>;
export type BehaviourName = BehaviourSpec['name'];
export const BEHAVIOUR_NAMES = behaviourSpecSchema.options.map((o) => o.shape.name.value);
