/**
 * Pure functions over traces and histories, shared by the lessons, the CLI and the browser
 * dashboard (so nothing here imports Node.js): the ambiguity lens, causality and order checks, the
 * message accounting, the clocks' checks against true time (a register's lost updates, clock
 * synchronisation, HLC gaps, messages a clock orders wrongly), and the words for times, durations
 * and clocks.
 */
export { lensOf, truthOf, TRUTHS, TRUTH_LABEL, type AttemptTruth, type LensCall, type LensEntry, type Truth } from './lens/ambiguity-lens.js';
export { checkCausality, type TraceViolation } from './causality/trace-check.js';
export { checkTraceOrder } from './causality/trace-order.js';
export { clockTime, formatDuration, vectorText } from './words/time.js';
export { behaviourWords, stateText } from './words/state-words.js';
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
export { registerHistory, siblings, type RegisterDecisionRecord, type RegisterHistory, type RegisterHolding, type RegisterWriteRecord, type WriteFate } from './time/register-history.js';
export { lostUpdates, type LostUpdate } from './time/lost-updates.js';
export { syncRounds, syncSummary, SYNC_BOUND_TOLERANCE_MS, type SyncRoundCheck, type SyncSummary } from './time/sync-rounds.js';
export { hlcGap, skewBound, type ClockOffset, type HlcGap, type SkewBound } from './time/hlc-gap.js';
export { causalityBreaks, CLOCK_NAMES, type ClockBreak, type ClockName, type ClockReading } from './time/clock-causality.js';
export { checkLinearizable, type CheckOptions, type Counterexample, type LinearizabilityVerdict } from './linearizability/check-history.js';
export { pairOperations, type Operation } from './linearizability/operations.js';
export { clientOps, type ClientOp } from './history/client-ops.js';
export { lastReads, lostWrites, staleReads, type StaleRead } from './history/stale-reads.js';
export {
  leaderships,
  lostLeaderWrites,
  overlappingLeaders,
  type LeaderOverlap,
  type Leadership,
  type LeadershipEnd,
  type LostLeaderWrite,
} from './failure/leaders.js';
export {
  detections,
  suspicions,
  suspicionSummary,
  type Detection,
  type Suspicion,
  type SuspicionSummary,
  type SuspicionWindow,
} from './failure/suspicions.js';
export { failures, NodeTruths, type DownHow, type DownPhase, type Failure, type NodeTruth, type TracePoint } from './failure/node-truth.js';
export { sessionViolations, type SessionGuarantee, type SessionViolation } from './history/session-order.js';
