/**
 * The classroom's protocol: a student's `faultline class join` ↔ the instructor's `faultline class
 * start`, over one WebSocket, JSON text frames, one message a frame.
 *   student → class: `hello` (first: the join code, who it is), `lab` (its lab now: the latest
 *                    wins), `event` (a prediction or a verdict, numbered: each is kept until acked)
 *   class → student: `welcome` (the highest event number it holds, every assignment so far),
 *                    `ack`, `assign` (a lesson or a scenario pushed to every lab), `refused`
 * A student who drops (a laptop asleep, Wi-Fi gone) says hello again with the same id, hears what
 * the class already holds, and sends the rest: nothing is lost, nothing counted twice.
 */
import * as z from 'zod';

/** Letters and digits that cannot be mistaken for each other when read aloud or off a projector. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const joinCodeSchema = z
  .string()
  .transform((code) => code.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-HJ-NP-Z2-9]{4}-?[A-HJ-NP-Z2-9]{4}$/, 'expected a join code like K7QP-X3MD'))
  .transform((code) => (code.includes('-') ? code : `${code.slice(0, 4)}-${code.slice(4)}`));

/** A student's lab's identity, drawn once and kept in its `.faultline/class.json`. */
export const studentIdSchema = z.string().regex(/^[a-z0-9]{12,40}$/, 'expected a student id of 12-40 letters and digits');
export const studentNameSchema = z
  .string()
  .trim()
  .min(1, 'expected a name')
  .max(40, 'expected a name of at most 40 characters')
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127), 'expected a name without control characters');

/** An answer to a lesson's question: a choice (its number and words) or words alone. */
export const classAnswerSchema = z.object({ choice: z.number().int().min(1).optional(), text: z.string().max(500) });

/** What a student's lab is doing, as its `class join` sees it. */
export const labReportSchema = z.object({
  up: z.boolean(),
  url: z.string().max(200).optional(),
  nodes: z.number().int().min(0).max(50),
  /** The lesson the lab runs or ran last (the page's or the class's), or none. */
  lesson: z.object({ name: z.string().max(100), state: z.enum(['running', 'done', 'failed']) }).nullable(),
  /** Why the lab does not answer, in one line. */
  error: z.string().max(300).optional(),
});
export type LabReport = z.infer<typeof labReportSchema>;

/** A lesson (by name, from the built-in ones) or a scenario file (its text) pushed to every lab. */
export const assignmentSchema = z.object({
  id: z.number().int().min(1),
  /** When the instructor pushed it (ISO time, the instructor's clock). */
  at: z.string().max(40),
  lesson: z.string().min(1).max(100),
  /** A scenario file's own text (lesson format); absent: `lesson` names a built-in lesson. */
  scenario: z.object({ file: z.string().max(200), text: z.string().max(200_000) }).optional(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

export const studentEventSchema = z.discriminatedUnion('type', [
  /** The student's prediction, given before the run (or why there is none). */
  z.object({ type: z.literal('prediction'), assignment: z.number().int().min(1), answer: classAnswerSchema.nullable(), unanswered: z.string().max(300).optional() }),
  /** The run's verdict: each expectation held or not, the prediction judged. */
  z.object({
    type: z.literal('verdict'),
    assignment: z.number().int().min(1),
    passed: z.boolean(),
    checks: z.array(z.object({ name: z.string().max(100), held: z.boolean() })).max(100),
    /** The prediction was the right choice (when both are choices). */
    correct: z.boolean().optional(),
    /** The run could not finish: why, in one line. */
    error: z.string().max(500).optional(),
  }),
]);
export type StudentEvent = z.infer<typeof studentEventSchema>;

export const studentFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), code: joinCodeSchema, id: studentIdSchema, name: studentNameSchema }),
  z.object({ type: z.literal('lab'), report: labReportSchema }),
  z.object({ type: z.literal('event'), seq: z.number().int().min(1), event: studentEventSchema }),
]);
export type StudentFrame = z.infer<typeof studentFrameSchema>;

export const classFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), acked: z.number().int().min(0), assignments: z.array(assignmentSchema) }),
  z.object({ type: z.literal('ack'), seq: z.number().int().min(1) }),
  z.object({ type: z.literal('assign'), assignment: assignmentSchema }),
  z.object({ type: z.literal('refused'), reason: z.string() }),
]);
export type ClassFrame = z.infer<typeof classFrameSchema>;

/** One student as the instructor sees them. */
export const studentViewSchema = z.object({
  id: studentIdSchema,
  name: z.string(),
  connected: z.boolean(),
  /** When the class last heard from them (ISO time). */
  lastSeen: z.string(),
  lab: labReportSchema.nullable(),
  /** Per assignment: the prediction (before the run) and the verdict (after). */
  results: z.array(
    z.object({
      assignment: z.number().int().min(1),
      prediction: studentEventSchema.options[0].omit({ type: true, assignment: true }).nullable(),
      verdict: studentEventSchema.options[1].omit({ type: true, assignment: true }).nullable(),
    }),
  ),
});
export type StudentView = z.infer<typeof studentViewSchema>;

export const classViewSchema = z.object({
  started: z.string(),
  students: z.array(studentViewSchema),
  assignments: z.array(assignmentSchema),
});
export type ClassView = z.infer<typeof classViewSchema>;
