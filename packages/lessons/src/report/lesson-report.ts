/** What a lesson run produced: written as `report.json` beside the trace, rendered as `report.md`. */
import type { ClientOp, LensEntry } from '@faultline/checkers';
import type { CheckResult, RpcRecord, SweepResult } from '../checks/context.js';
import type { TextTable } from '../render/clock-views.js';
import type { PredictionRecord } from './prediction.js';

export interface StepRecord {
  readonly index: number;
  readonly description: string;
  readonly note?: string;
  /** Monotonic ms from the start of the run to when the step began. */
  readonly atMs: number;
  readonly error?: string;
}

/** One register write a lesson's client made (`invoke … write`), and what became of it. */
export interface WriteRow {
  /** The invoke's name in the lesson. */
  readonly name: string;
  readonly id: string;
  readonly node: string;
  readonly key: string;
  readonly value: unknown;
  /** When it was made: on its node's wall clock, and in true time (ms since the epoch). */
  readonly wallMs: number;
  readonly trueMs: number;
  /** The stamp the resolution compared, in words (`wall 12:00:01.120`, `Lamport 14` …). */
  readonly stamp: string;
  /** `kept`, `sibling` (kept beside others), or `lost to <name or id>`. */
  readonly fate: string;
}

/** One clock synchronisation round, beside the truth. */
export interface SyncRow {
  /** The invoke of `sync` that started it. */
  readonly name: string;
  readonly round: number;
  readonly rttMs: number;
  readonly estimateMs: number;
  readonly boundMs: number;
  readonly trueOffsetMs: number | null;
  readonly errorMs: number | null;
}

/** What the run's clocks did, for the reveal: the register's writes, the sync rounds. */
export interface ClockViews {
  readonly writes: WriteRow[];
  readonly sync: SyncRow[];
}

/** A workload's history (an `ops` step), for the reveal. */
export interface HistoryView {
  readonly name: string;
  /** Its file (`history-NAME.jsonl`), for `faultline check`. */
  readonly file: string;
  readonly operations: number;
  readonly ok: number;
  readonly failed: number;
  readonly unknown: number;
  /** Reads that answered an older value than one acknowledged before they began (against every history of the run). */
  readonly stale: number;
  /** Each server's operations over true time (render/history-view.ts). */
  readonly strips: string[];
  /** Its operations (times: true time, ms since the epoch), each marked stale or not: the dashboard draws them. */
  readonly ops: (ClientOp & { readonly stale: boolean })[];
}

/** A linearizability check that failed: the operations around the one no order explains. */
export interface CounterexampleView {
  /** The check's name. */
  readonly check: string;
  readonly histories: string[];
  readonly table: TextTable;
  /** The operations in the table: `stuck` the one no order explains, `placed` in the longest legal order, `overlapping` it. */
  readonly ops: (ClientOp & { readonly role: 'stuck' | 'placed' | 'overlapping' })[];
}

/** An observer's suspicions of one peer, judged by the lab's own view of who was down. */
export interface SuspicionRow {
  readonly observer: string;
  readonly peer: string;
  readonly right: number;
  readonly wrong: number;
  /** How long the first was without a heartbeat (ms, the observer's clock). */
  readonly firstGapMs: number;
}

/** A real failure (a crash or pause) and one observer's time to suspect it. */
export interface DetectionRow {
  readonly peer: string;
  readonly how: string;
  /** From the run's start (true time, ms). */
  readonly failedMs: number;
  readonly observer: string;
  readonly detectionMs: number | null;
}

/** A term of office (times from the run's start, true time ms; `to` null: still leading). */
export interface LeaderRow {
  readonly node: string;
  readonly term: number;
  readonly fromMs: number;
  readonly toMs: number | null;
  readonly ended: string;
  /** Those who led at some moment of it too (`n3 (term 2)`). */
  readonly alongside: string[];
}

export interface FailureViews {
  readonly suspicions: SuspicionRow[];
  readonly detections: DetectionRow[];
  readonly leaders: LeaderRow[];
}

export interface LessonReport {
  readonly lesson: { name: string; title: string; concept: string; teaches: string; minutes: number; file?: string };
  readonly context: string;
  readonly predict: { question: string; choices?: string[]; answer?: number | string };
  /** The student's prediction beside what the lesson says happens. */
  readonly prediction: PredictionRecord;
  readonly seed: string;
  readonly runDir: string;
  readonly files: { trace: string; reportMd: string; reportJson: string };
  /** True time the run started (ISO). */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly steps: StepRecord[];
  readonly rpcs: RpcRecord[];
  readonly lens: LensEntry[];
  /** The space-time diagram of what mattered (no heartbeats), one row a line. */
  readonly diagram: string[];
  readonly explanation: string;
  readonly checks: CheckResult[];
  /** The sweeps, each row with its figure (a table and a chart in the reveal). */
  readonly sweeps: SweepResult[];
  /** What the clocks did (writes, sync rounds), when the lesson had any. */
  readonly clocks: ClockViews;
  /** The workloads' histories. */
  readonly histories: HistoryView[];
  /** What the failure detectors guessed and who led (outside the sweeps' rows). */
  readonly failures: FailureViews;
  /** The counterexamples of the linearizability checks that failed. */
  readonly counterexamples: CounterexampleView[];
  /** Commands that ask this run's trace what a check found (`faultline order … --trace …`), one a line. */
  readonly askTheTrace: string[];
  /** Every expectation held and every step ran. */
  readonly passed: boolean;
  /** Why the run stopped early (a step that failed, an interruption). */
  readonly error?: string;
}
