/** What a lesson run produced: written as `report.json` beside the trace, rendered as `report.md`. */
import type { LensEntry } from '@faultline/checkers';
import type { CheckResult, RpcRecord } from '../checks/context.js';
import type { PredictionRecord } from './prediction.js';

export interface StepRecord {
  readonly index: number;
  readonly description: string;
  readonly note?: string;
  /** Monotonic ms from the start of the run to when the step began. */
  readonly atMs: number;
  readonly error?: string;
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
  /** Every expectation held and every step ran. */
  readonly passed: boolean;
  /** Why the run stopped early (a step that failed, an interruption). */
  readonly error?: string;
}
