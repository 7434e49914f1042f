import * as z from 'zod';
import { hlcSchema, vectorClockSchema } from './clocks.js';
import { nodeIdSchema } from './ids.js';

/**
 * A message's type, e.g. `ping`: what an envelope carries, and so what the control API, the CLI
 * and lesson files accept for one (a longer one could never reach its receiver).
 */
export const MESSAGE_TYPE_MAX = 100;
export const messageTypeSchema = z.string().min(1).max(MESSAGE_TYPE_MAX, `expected at most ${MESSAGE_TYPE_MAX} characters`);

/**
 * The node-to-node envelope: every message one node sends another through that link's proxy.
 * The sender stamps it with its clocks at the send event; `sentWall` is the sender's skewed wall
 * clock, which a receiver may compare with its own to see that wall clocks disagree.
 */
export const envelopeSchema = z.object({
  /** Unique in the run: `<from>-<counter>`, e.g. `n1-42`, or `n1.2-3` from a revived node (`messageId`). */
  id: z.string().min(1).max(200),
  from: nodeIdSchema,
  to: nodeIdSchema,
  /** The message type, e.g. `ping`, `pong`, `echo`, `echo_ok`, `heartbeat`. */
  type: messageTypeSchema,
  body: z.record(z.string(), z.unknown()).default({}),
  /** For a reply: the `id` of the request it answers. */
  replyTo: z.string().min(1).optional(),
  lamport: z.number().int().nonnegative(),
  vc: vectorClockSchema,
  hlc: hlcSchema,
  sentWall: z.number(),
});
export type Envelope = z.infer<typeof envelopeSchema>;
