export { defineRoute, fillPath, literalSegments, matchPath, pathParamNames, queryString, type HttpMethod, type PathParams, type Route, type Routes } from './route.js';
export type { EventSink, Handler, Handlers, RouteCall, RouteInput, RouteOutput } from './route-call.js';
export { createClient, type Client, type ClientOptions } from './client.js';
export { apiReference } from './api-reference.js';
export { controlApiDoc } from './control-api-doc.js';
export { labApi, type LabApi } from './lab-api-routes.js';
export { assignRequestSchema, classApi, type ClassApi } from './class-api-routes.js';
export {
  lessonApi,
  lessonReportViewSchema,
  lessonRunRequestSchema,
  lessonRunViewSchema,
  lessonSummarySchema,
  predictionAnswerSchema,
  predictionViewSchema,
  type LessonApi,
  type LessonRunRequest,
  type LessonRunViewWire,
} from './lesson-api-routes.js';
export { clientOpViewSchema, counterexampleOpsViewSchema, historyOpsViewSchema, OP_ROLES, type ClientOpView, type CounterexampleOpsView, type HistoryOpsView, type OpRole } from './lesson-history-view.js';
