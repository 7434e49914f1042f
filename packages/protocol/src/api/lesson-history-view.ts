/**
 * What the page reads of a lesson report's workloads (part of `lessonReportViewSchema`): each
 * history's client operations and each failed linearizability check's counterexample, as the
 * lessons build them (`HistoryView`, `CounterexampleView` in packages/lessons' lesson-report.ts).
 */
import * as z from 'zod';
import { historyEventSchema } from '../history.js';

/** One client operation (`ClientOp` of `@faultline/checkers`); times are true time, ms since the epoch. */
export const clientOpViewSchema = z.object({
  id: z.number().int(),
  process: z.union([z.string(), z.number()]),
  f: historyEventSchema.shape.f,
  kind: z.enum(['read', 'write']),
  key: z.string().optional(),
  /** The server the client asked. */
  node: z.string().optional(),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  type: z.enum(['ok', 'fail', 'info']),
  invokeMs: z.number(),
  endMs: z.number().nullable(),
  error: z.string().optional(),
});
export type ClientOpView = z.infer<typeof clientOpViewSchema>;

/** An operation's part in a counterexample: the one no order explains, one of the longest legal order, or one overlapping the first. */
export const OP_ROLES = ['stuck', 'placed', 'overlapping'] as const;
export type OpRole = (typeof OP_ROLES)[number];

export const historyOpsViewSchema = z.object({ name: z.string(), ops: z.array(clientOpViewSchema.extend({ stale: z.boolean() })) });
export const counterexampleOpsViewSchema = z.object({ check: z.string(), histories: z.array(z.string()), ops: z.array(clientOpViewSchema.extend({ role: z.enum(OP_ROLES) })) });
export type HistoryOpsView = z.infer<typeof historyOpsViewSchema>;
export type CounterexampleOpsView = z.infer<typeof counterexampleOpsViewSchema>;
