/**
 * An exercise (`packages/cli/exercises/NAME/exercise.yaml`): a lesson that asks for code. The
 * student writes a node speaking Maelstrom's protocol (a starter is given), and `faultline
 * exercise check NAME` runs it under the exercise's workload and its fault schedules (fixed seeds,
 * not shown to the student before the check), and grades it: every schedule must hold.
 */
import * as z from 'zod';
import { MAELSTROM_WORKLOADS, type MaelstromWorkloadName } from './maelstrom/rpcs.js';

const text = z.string().min(1).max(4_000);

export const exerciseSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'expected a name like broadcast-partitions'),
  title: z.string().min(1).max(100),
  /** The lesson whose idea this exercise turns into code. */
  after: z.string().min(1).max(60),
  /** What to build, for the student (80 columns). */
  statement: text,
  /** The starter's files (in `starter/`) and how to run the program, in the student's folder. */
  run: z.array(z.string().min(1).max(200)).min(1).max(20),
  workload: z.enum(MAELSTROM_WORKLOADS as [MaelstromWorkloadName, ...MaelstromWorkloadName[]]),
  nodes: z.number().int().min(1).max(10),
  /** Seconds of clients for each schedule. */
  time: z.number().min(1).max(60),
  rate: z.number().min(1).max(200),
  /** The fault schedules: each a nemesis, its interval (s) and a seed; all must hold. */
  schedules: z
    .array(
      z.strictObject({
        nemesis: z.array(z.enum(['partition', 'kill', 'pause', 'drop', 'duplicate', 'slow'])).max(5),
        interval: z.number().min(0.5).max(30),
        seed: z.string().regex(/^[0-9]{1,18}$/),
      }),
    )
    .min(1)
    .max(5),
  /** Said when a schedule fails (a nudge, not the answer). */
  hint: text,
});
export type Exercise = z.infer<typeof exerciseSchema>;
