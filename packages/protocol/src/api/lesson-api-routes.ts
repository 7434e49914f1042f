/**
 * The lessons' routes on a running lab's control API (for the dashboard's lesson picker). The CLI
 * hands their handlers (packages/lessons) to the lab's server, so the coordinator needs no lesson
 * code; the dashboard's client is derived from these declarations like the lab's own.
 */
import * as z from 'zod';
import { lessonSchema } from '../lesson.js';
import { counterexampleOpsViewSchema, historyOpsViewSchema } from './lesson-history-view.js';
import { defineRoute } from './route.js';

export const lessonSummarySchema = z.object({ name: z.string(), title: z.string(), concept: z.string(), minutes: z.number(), nodes: z.number().int() });

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
  files: z.object({ reportMd: z.string() }),
  /** Each sweep: a value a row, the figure its measure read (null: none), for the page's chart and table. */
  sweeps: z.array(lessonSweepViewSchema).default([]),
  /** Each workload's operations, for the diagram. */
  histories: z.array(historyOpsViewSchema).default([]),
  /** Each failed linearizability check's operations around the one no order explains. */
  counterexamples: z.array(counterexampleOpsViewSchema).default([]),
});

/** A lesson run from the page: its text, the steps so far, then the report (or why it failed). */
export const lessonRunViewSchema = z.object({
  name: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  lesson: lessonSchema.pick({ title: true, concept: true, teaches: true, context: true, predict: true, minutes: true }),
  steps: z.array(z.object({ index: z.number().int(), description: z.string(), note: z.string().optional() })),
  report: lessonReportViewSchema.optional(),
  error: z.string().optional(),
});
export type LessonRunViewWire = z.input<typeof lessonRunViewSchema>;

export const lessonApi = {
  lessons: defineRoute({ method: 'GET', path: '/lessons', summary: 'the lessons a page can run on this lab', response: z.array(lessonSummarySchema) }),
  currentLesson: defineRoute({ method: 'GET', path: '/lessons/current', summary: 'the lesson run from the page: text, steps so far, then the report (null before any)', response: lessonRunViewSchema.nullable() }),
  runLesson: defineRoute({
    method: 'POST',
    path: '/lessons/{name}/run',
    summary: 'start a lesson on this lab (one at a time)',
    response: z.object({ ok: z.literal(true), name: z.string() }),
    errors: ['conflict'],
  }),
} as const;

export type LessonApi = typeof lessonApi;
