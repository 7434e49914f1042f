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
]);
export type BehaviourSpec = z.infer<typeof behaviourSpecSchema>;
export type BehaviourSpecInput = z.input<typeof behaviourSpecSchema>;
export type BehaviourName = BehaviourSpec['name'];
export const BEHAVIOUR_NAMES = behaviourSpecSchema.options.map((o) => o.shape.name.value);
