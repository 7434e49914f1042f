/**
 * Clock synchronisation (`sync` behaviour): the messages of one round and the `state` line that
 * reports it. A client asks its time server (`time_req`), the server answers with its wall
 * readings (`time_resp`), and the client estimates the server's clock minus its own:
 *
 * - Cristian: the server's reading `t3` is taken as true at the midpoint of the round trip:
 *   estimate = t3 + rtt/2 − t4, with rtt = t4 − t1;
 * - NTP: four timestamps, t1 (client sends), t2 (server receives), t3 (server answers), t4 (client
 *   receives): estimate = ((t2 − t1) + (t3 − t4)) / 2, delay = (t4 − t1) − (t3 − t2).
 *
 * Either way the error is at most half the round trip spent on the wire (`boundMs`), *if* both
 * directions took as long. The node cannot know its true offset: the trace can (each line carries
 * true time beside the wall time), so a check or the dashboard computes it, never the node.
 */
import * as z from 'zod';
import { nodeIdSchema } from './ids.js';

export const SYNC_METHODS = ['cristian', 'ntp'] as const;
export const TIME_REQUEST = 'time_req';
export const TIME_RESPONSE = 'time_resp';

/** A client request (`faultline invoke NODE sync`): this many rounds, one after the other. */
export const syncRequestSchema = z.object({ rounds: z.number().int().min(1).max(1000).default(1) });
/** Its answer (at once: the rounds' results come as `sync` state lines). */
export const syncAnswerSchema = z.object({ server: nodeIdSchema, rounds: z.number().int() });

export const timeRequestSchema = z.object({ round: z.number().int().nonnegative(), t1: z.number() });
export const timeResponseSchema = z.object({ round: z.number().int().nonnegative(), t1: z.number(), t2: z.number(), t3: z.number() });

/** The value of a `sync` state line: one round, as the client saw it. */
export const syncRoundSchema = z.object({
  server: nodeIdSchema,
  method: z.enum(SYNC_METHODS),
  round: z.number().int().nonnegative(),
  t1: z.number(),
  t2: z.number(),
  t3: z.number(),
  t4: z.number(),
  /** The whole round trip on the client's clock (t4 − t1). */
  rttMs: z.number(),
  /** The estimate of (server's wall clock − this node's), ms. */
  estimateMs: z.number(),
  /** What the method claims: the true offset lies within estimate ± bound. */
  boundMs: z.number().nonnegative(),
  /** The id of the server's `time_resp`: its send line carries the server's clocks (true offset). */
  reply: z.string(),
  /** With `correct`: the step applied to this node's clock (ms). */
  correctedMs: z.number().optional(),
});
export type SyncRound = z.infer<typeof syncRoundSchema>;

/** The value of a `sync_done` state line: the rounds asked for are over. */
export const syncDoneSchema = z.object({ rounds: z.number().int(), answered: z.number().int() });
