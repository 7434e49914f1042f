/**
 * What the clocks did, as tables and charts for the reveal and `report.md` (pure): each register
 * write a client made with its wall time on its own node beside true time, the stamp that decided
 * it and what became of it; each sync round's estimate and bound beside the true offset; each
 * sweep as a chart.
 */
import { clockTime } from '@faultline/checkers';
import type { SweepResult, SweepRow } from '../checks/context.js';
import type { SyncRow, WriteRow } from '../report/lesson-report.js';
import { barChart } from './bar-chart.js';

export interface TextTable {
  readonly head: string[];
  readonly rows: string[][];
}

const ms = (n: number | null): string => (n === null ? '?' : `${n > 0 ? '+' : ''}${Math.round(n)} ms`);

export function writesTable(writes: readonly WriteRow[]): TextTable {
  return {
    head: ['write', 'on', 'its wall clock', 'true time', 'stamp', 'became'],
    rows: writes.map((w) => [`${w.name}: ${w.key} = ${JSON.stringify(w.value)}`, w.node, clockTime(w.wallMs), clockTime(w.trueMs), w.stamp, w.fate]),
  };
}

export function syncTable(rounds: readonly SyncRow[]): TextTable {
  return {
    head: ['round', 'round trip', 'estimate', 'claimed bound', 'true offset', 'error'],
    rows: rounds.map((r) => [`${r.name} ${r.round}`, `${Math.round(r.rttMs)} ms`, ms(r.estimateMs), `±${Math.round(r.boundMs)} ms`, ms(r.trueOffsetMs), ms(r.errorMs)]),
  };
}

export function sweepTable(sweep: SweepResult): TextTable {
  return { head: [sweep.label, sweep.figure, 'how it was measured'], rows: sweep.rows.map((r) => [r.value, r.figure === null ? '?' : String(r.figure), r.evidence]) };
}

export function sweepChart(sweep: Pick<SweepResult, 'label' | 'figure'> & { readonly rows: readonly Pick<SweepRow, 'value' | 'figure'>[] }, width: number): string[] {
  return barChart(`${sweep.figure}, by ${sweep.label}:`, sweep.rows.map((r) => ({ label: r.value, figure: r.figure })), width);
}

/** A table in Markdown. */
export function markdownTable(t: TextTable): string[] {
  const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [`| ${t.head.map(cell).join(' | ')} |`, `|${t.head.map(() => '---').join('|')}|`, ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}
