import * as z from 'zod';

/** A vector clock on the wire: node id → count; a missing node counts 0. */
export const vectorClockSchema = z.record(z.string(), z.number().int().nonnegative());

/** A hybrid logical clock timestamp (Kulkarni et al.): `wallMs` is l, `logical` is c. */
export const hlcSchema = z.object({ wallMs: z.number(), logical: z.number().int().nonnegative() });

/** Every clock of a node at one event: what the trace stamps on each event. */
export const clockStampSchema = z.object({
  /** The machine's true time (ms since epoch): the lab's god's-eye view, read by the reporter. */
  trueMs: z.number(),
  /** The node's wall time: true time through the node's skewed clock. */
  wallMs: z.number(),
  lamport: z.number().int().nonnegative(),
  vc: vectorClockSchema,
  hlc: hlcSchema,
});
export type ClockStamp = z.infer<typeof clockStampSchema>;
