/**
 * The lessons' routes on a running lab's control API (for the dashboard's lesson picker and
 * `faultline lesson run NAME --lab URL`). The CLI hands their handlers (packages/lessons) to the
 * lab's server, so the coordinator needs no lesson code; the dashboard's and the CLI's clients
 * are derived from these declarations like the lab's own.
 */
import * as z from 'zod';
import { LESSON_LIMITS, lessonSchema } from '../lesson.js';
import { counterexampleOpsViewSchema, historyOpsViewSchema } from './lesson-history-view.js';
import { defineRoute } from './route.js';

/** A lesson as the list shows it; with its context and question (never the answer), so a client can ask before it runs. */
export const lessonSummarySchema = z.object({
  name: z.string(),
  title: z.string(),
  concept: z.string(),
  minutes: z.number(),
  nodes: z.number().int(),
  context: z.string().optional(),
  predict: z.object({ question: z.string(), choices: z.array(z.string()).optional() }).optional(),
});

/** An answer to a lesson's question, as the engine holds it: a choice (its number, 1 = the first, and its words) or words alone. */
export const predictionAnswerSchema = z.strictObject({
  choice: z.number().int().min(1, "expected a choice's number (1 = the first)").optional(),
  text: z.string().min(1).max(LESSON_LIMITS.text, `expected at most ${LESSON_LIMITS.text} characters`),
});

/** The prediction's fields of a run's body: an `answer`, or why there is none (`unanswered`); neither: none. */
const predictionFields = {
  answer: predictionAnswerSchema.optional(),
  unanswered: z.string().min(1).max(LESSON_LIMITS.text, `expected at most ${LESSON_LIMITS.text} characters`).optional(),
};
const oneOrTheOther = (b: { answer?: unknown; unanswered?: unknown }): boolean => b.answer === undefined || b.unanswered === undefined;
const NOT_BOTH = 'expected an answer or why there is none (unanswered), not both';

/**
 * The body of `POST /lessons/{name}/run`: the student's prediction, given before the run (the
 * engine's PredictionGiven): an `answer`, or why there is `unanswered`; `{}` (or no body) runs
 * it with none. The lab checks an answer against the lesson's question.
 */
export const lessonRunRequestSchema = z.strictObject(predictionFields).refine(oneOrTheOther, NOT_BOTH);
export type LessonRunRequest = z.input<typeof lessonRunRequestSchema>;

/** A scenario file's name as its errors and report name it: a file name, no folders. */
const scenarioFileNameSchema = z
  .string()
  .min(1, 'expected a file name')
  .max(200, 'expected a file name of at most 200 characters')
  .refine((name) => ![...name].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127), 'expected a file name without folders or control characters');

/**
 * The body of `POST /lessons/run-file`: a lesson (or any scenario) given as its file's own text
 * (`file`: its name, for errors and the report), and the prediction as for `POST /lessons/{name}/run`.
 * The lab checks the text as `faultline run FILE` does, then runs it as one of its own lessons.
 */
const lessonFileRunRequestSchema = z
  .strictObject({
    file: scenarioFileNameSchema,
    text: z.string().min(1, 'expected the file\'s text').max(LESSON_LIMITS.fileBytes, `expected a lesson file of at most ${LESSON_LIMITS.fileBytes} characters`),
    ...predictionFields,
  })
  .refine(oneOrTheOther, NOT_BOTH);

const answerViewSchema = z.object({ choice: z.number().int().optional(), text: z.string() });

/** The prediction beside what happened (the report's): as given (`answer`, or why `unanswered`), what the lesson expects, whether it was right. */
export const predictionViewSchema = z.object({
  answer: answerViewSchema.optional(),
  unanswered: z.string().optional(),
  /** What the lesson file says happens (absent: it names no answer). */
  expected: answerViewSchema.optional(),
  /** The answer was the expected choice (only when both are choices). */
  correct: z.boolean().optional(),
  /** "you predicted X; it was Y: right", as the reveal says it. */
  line: z.string(),
});

/** One sweep of a lesson's report, as the page draws it: `figure` (words) by `label` (words), one bar a row. */
const lessonSweepViewSchema = z.object({
  name: z.string(),
  label: z.string(),
  figure: z.string(),
  rows: z.array(z.object({ value: z.string(), figure: z.number().nullable() })),
});

/** What the page shows of a lesson's report (report.json has more). */
export const lessonReportViewSchema = z.object({
  explanation: z.string(),
  checks: z.array(z.object({ name: z.string(), held: z.boolean(), evidence: z.string() })),
  passed: z.boolean(),
  error: z.string().optional(),
  /** The prediction given before the run, beside what happened. */
  prediction: predictionViewSchema.optional(),
  /** The lab's seed (a lesson on a running lab uses it, not the lesson's). */
  seed: z.string().optional(),
  durationMs: z.number().optional(),
  /** Where the report went, on the lab's machine. */
  runDir: z.string().optional(),
  files: z.object({ reportMd: z.string(), reportJson: z.string().optional(), trace: z.string().optional() }),
  /** The space-time diagram of what mattered (no heartbeats), one row a line, 80 columns. */
  diagram: z.array(z.string()).default([]),
  /** Each sweep: a value a row, the figure its measure read (null: none), for the page's chart and table. */
  sweeps: z.array(lessonSweepViewSchema).default([]),
  /** Each workload's operations, for the diagram. */
  histories: z.array(historyOpsViewSchema).default([]),
  /** Each failed linearizability check's operations around the one no order explains. */
  counterexamples: z.array(counterexampleOpsViewSchema).default([]),
});

/** A lesson run on this lab (from the page or `lesson run --lab`): its text, the steps so far, then the report (or why it failed). */
export const lessonRunViewSchema = z.object({
  name: z.string(),
  /** The file's name when the lesson came as its text (`POST /lessons/run-file`); absent: one of the lab's own. */
  file: z.string().optional(),
  /** Which run on this lab (1, 2 …): the one `POST /lessons/{name}/run` answered. */
  id: z.number().int().optional(),
  state: z.enum(['running', 'done', 'failed']),
  lesson: lessonSchema.pick({ title: true, concept: true, teaches: true, context: true, predict: true, minutes: true }),
  /** How many steps the lesson has (the steps so far are `steps`). */
  totalSteps: z.number().int().optional(),
  steps: z.array(z.object({ index: z.number().int(), description: z.string(), note: z.string().optional() })),
  report: lessonReportViewSchema.optional(),
  error: z.string().optional(),
});
export type LessonRunViewWire = z.input<typeof lessonRunViewSchema>;

/** A run started: the lesson's name, and which run on this lab it is (`GET /lessons/current` shows it). */
const runStartedSchema = z.object({ ok: z.literal(true), name: z.string(), id: z.number().int().optional() });

export const lessonApi = {
  lessons: defineRoute({ method: 'GET', path: '/lessons', summary: 'the lessons this lab can run (the page\'s picker, `lesson run --lab`), with their questions but not the answers', response: z.array(lessonSummarySchema) }),
  currentLesson: defineRoute({ method: 'GET', path: '/lessons/current', summary: 'the lesson running or last run on this lab: text, steps so far, then the report (null before any)', response: lessonRunViewSchema.nullable() }),
  runLesson: defineRoute({
    method: 'POST',
    path: '/lessons/{name}/run',
    summary: 'start a lesson on this lab (one at a time), with the prediction given before it',
    body: lessonRunRequestSchema,
    response: runStartedSchema,
    errors: ['conflict'],
  }),
  runLessonFile: defineRoute({
    method: 'POST',
    path: '/lessons/run-file',
    summary: "start a lesson given as its file's text (a scenario of one's own, a class's push) on this lab, as runLesson does",
    body: lessonFileRunRequestSchema,
    response: runStartedSchema,
    errors: ['conflict'],
  }),
} as const;

export type LessonApi = typeof lessonApi;
