/**
 * What the page reads of a lesson report's histories: protocol's view of them
 * (`lesson-history-view.ts`, part of `lessonReportViewSchema`), under the names the page uses.
 */
import { lessonApi, lessonRunViewSchema, type lessonReportViewSchema } from '@faultline/protocol';
import type * as z from 'zod';

export { clientOpViewSchema, OP_ROLES, type ClientOpView, type CounterexampleOpsView, type HistoryOpsView, type OpRole } from '@faultline/protocol';

/** The histories part of a report: what the diagram draws. */
export type ReportHistories = Pick<z.infer<typeof lessonReportViewSchema>, 'histories' | 'counterexamples'>;

export const pageLessonRunSchema = lessonRunViewSchema;
export type PageLessonRun = z.infer<typeof pageLessonRunSchema>;

/** The lesson routes the page calls. */
export const pageLessonApi = lessonApi;
