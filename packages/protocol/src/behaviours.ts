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
 */
import * as z from 'zod';

const delayMs = z.number().int().nonnegative().max(60_000);

export const behaviourSpecSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('service'), delayMs: delayMs.default(300) }),
  z.object({ name: z.literal('counter'), idempotent: z.boolean().default(false), delayMs: delayMs.default(0) }),
  z.object({ name: z.literal('log'), mode: z.enum(['naive', 'sequenced']).default('naive') }),
]);
export type BehaviourSpec = z.infer<typeof behaviourSpecSchema>;
export type BehaviourSpecInput = z.input<typeof behaviourSpecSchema>;
export type BehaviourName = BehaviourSpec['name'];
export const BEHAVIOUR_NAMES = behaviourSpecSchema.options.map((o) => o.shape.name.value);
