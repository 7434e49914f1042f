/**
 * The replicated register (`register` behaviour): what its client requests take and answer, what
 * its replicas gossip, and the `state` events it traces. Declared once here: the behaviour builds
 * them, the checks and the dashboard read them.
 *
 * A write is stamped with every clock of its origin node at the write event (`write` state line,
 * whose own clocks are the stamp: see `writeEventSchema`): the resolution picks which of them decides. Each replica then traces one decision per write it
 * meets (its own or a gossiped one):
 *
 * | key         | meaning                                                     | `others`             |
 * |-------------|-------------------------------------------------------------|----------------------|
 * | `apply`     | the write became the key's value (the key had none)         | none                 |
 * | `overwrite` | the write won, and replaced what the key held               | the writes it beat   |
 * | `discard`   | the write lost: the key keeps what it held                  | the writes it lost to|
 * | `sibling`   | (vector) concurrent with what the key held: kept beside it  | the writes beside it |
 *
 * and `read` for a client read (every value the key holds: several are siblings).
 */
import * as z from 'zod';
import { hlcSchema, vectorClockSchema } from './clocks.js';
import { nodeIdSchema } from './ids.js';

export const REGISTER_RESOLUTIONS = ['wall', 'lamport', 'hlc', 'vector'] as const;
export type RegisterResolution = (typeof REGISTER_RESOLUTIONS)[number];

/** A register key: short text. */
export const registerKeySchema = z.string().min(1).max(200);

/** The clocks of a write's origin node at the write event. */
export const writeStampSchema = z.object({ wallMs: z.number(), lamport: z.number().int().nonnegative(), hlc: hlcSchema, vc: vectorClockSchema });
export type WriteStamp = z.infer<typeof writeStampSchema>;

/** One write, as replicas pass it around: `id` is `<node>/w<n>` (unique in one life of the node). */
export const registerWriteSchema = z.object({ id: z.string().min(1).max(200), node: nodeIdSchema, key: registerKeySchema, value: z.unknown(), stamp: writeStampSchema });
export type RegisterWrite = z.infer<typeof registerWriteSchema>;

/** Client requests (`faultline invoke NODE write|read`) and their answers. */
export const registerWriteRequestSchema = z.object({ key: registerKeySchema, value: z.custom<unknown>((v) => v !== undefined, 'expected a value (any JSON)') });
export const registerReadRequestSchema = z.object({ key: registerKeySchema });
/** A write's answer: its id and stamp, and whether it is now the key's value on this replica. */
export const registerWriteAnswerSchema = z.object({ id: z.string(), stamp: writeStampSchema, kept: z.boolean() });
/** A read's answer: every value the key holds here (more than one: siblings), with their writes' ids. */
export const registerReadAnswerSchema = z.object({ key: registerKeySchema, values: z.array(z.unknown()), ids: z.array(z.string()) });

/** The gossip message (`reg_put`, one-way) that carries a write to the other replicas. */
export const REGISTER_GOSSIP = 'reg_put';
export const registerGossipSchema = z.object({ write: registerWriteSchema });

/**
 * The value of a `write` state line: the client's write at its origin, without its stamp. The
 * write's stamp is the clocks of that very line (its `wallMs`, `lamport`, `hlc` and `vc`; not its
 * `trueMs`, which no node knows): the behaviour records the line, then stamps the write with the
 * clocks the line got, so the `stamp` that decisions, gossip and the client's answer carry is
 * identical to the line's clocks.
 */
export const writeEventSchema = registerWriteSchema.omit({ stamp: true });
/** The value of an `apply`, `overwrite`, `discard` or `sibling` state line. */
export const registerDecisionSchema = z.object({
  key: registerKeySchema,
  resolution: z.enum(REGISTER_RESOLUTIONS),
  write: registerWriteSchema,
  others: z.array(registerWriteSchema),
});
export type RegisterDecision = z.infer<typeof registerDecisionSchema>;
export const REGISTER_DECISIONS = ['apply', 'overwrite', 'discard', 'sibling'] as const;
export type RegisterDecisionKind = (typeof REGISTER_DECISIONS)[number];
/** The value of a `read` state line. */
export const readEventSchema = registerReadAnswerSchema;
