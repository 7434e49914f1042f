/**
 * Pure functions over traces and histories, shared by the lessons, the CLI and the browser
 * dashboard (so nothing here imports Node.js): the ambiguity lens, causality and order checks, and
 * the words for times, durations and clocks.
 */
export { lensOf, truthOf, TRUTHS, TRUTH_LABEL, type AttemptTruth, type LensCall, type LensEntry, type Truth } from './lens/ambiguity-lens.js';
export { checkCausality, type TraceViolation } from './causality/trace-check.js';
export { checkTraceOrder } from './causality/trace-order.js';
export { clockTime, formatDuration, vectorText } from './words/time.js';
export { eventText, isHeartbeat, traceWords, type Tone, type TraceWords, type WordPart } from './words/trace-words.js';
export {
  accountMessages,
  MESSAGE_FATES,
  type AccountingOptions,
  type MessageAccounting,
  type MessageFate,
  type MessageRecord,
} from './accounting/message-accounting.js';
export { cutWindows, type CutWindow } from './accounting/cut-windows.js';
