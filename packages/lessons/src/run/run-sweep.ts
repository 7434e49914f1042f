/**
 * A sweep (shell): its block of steps once for each value, then its measure over that row's trace
 * lines: the row's figure. The rows go into `state.sweeps` as they end, for the `sweep` checks and
 * the report's table and chart.
 */
import type { RowStep, Sweep } from '@faultline/protocol';
import { CheckContext, type SweepResult, type SweepRow } from '../checks/context.js';
import { runChecks } from '../checks/run-checks.js';
import type { RunState } from './do-step.js';

/** The figure a check's value gives: the value when a number, else its `field` when that is one. */
export function figureOf(value: unknown, field?: string): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (field !== undefined && value !== null && typeof value === 'object') {
    const v = (value as Record<string, unknown>)[field];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

export interface SweepHooks {
  /** Runs one of a row's steps. */
  readonly step: (step: RowStep, row: string) => Promise<void>;
  /** Hears each row as it ends. */
  readonly rowDone: (row: SweepRow) => void;
}

export async function runSweep(sweep: Sweep, state: RunState, hooks: SweepHooks): Promise<void> {
  const { lab } = state;
  const result: SweepResult = { name: sweep.name, label: sweep.label, figure: sweep.figure, rows: [] };
  state.sweeps.push(result);
  for (const row of sweep.rows) {
    const sinceSeq = lab.lastSeq;
    for (const step of row.steps) await hooks.step(step, row.value);
    const untilSeq = lab.lastSeq;
    const lines = lab.trace({ since: sinceSeq }).filter((l) => l.seq <= untilSeq);
    const ctx = new CheckContext(lines, state.rpcs, state.sentItems, { invokes: state.invokes, sweeps: state.sweeps, histories: state.histories, ...(state.traceFile ? { traceFile: state.traceFile } : {}) });
    const [measured] = runChecks(ctx, [row.measure]);
    const figure = figureOf(measured.value, sweep.field);
    const evidence = figure === null && measured.value !== undefined ? `${measured.evidence} (no number${sweep.field ? ` in ${sweep.field}` : ''} to chart)` : measured.evidence;
    const done: SweepRow = { value: row.value, figure, evidence, sinceSeq, untilSeq };
    result.rows.push(done);
    hooks.rowDone(done);
  }
}
