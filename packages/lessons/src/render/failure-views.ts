/**
 * What the failure detectors guessed and who led, as tables for the reveal and `report.md`
 * (pure): each observer's suspicions of each peer, right and wrong; each real failure and how
 * long each observer took to suspect it; each term of office, with its start and end from the
 * run's start, and whether another node led at the same time.
 */
import { formatDuration } from '@faultline/checkers';
import type { DetectionRow, LeaderRow, SuspicionRow } from '../report/lesson-report.js';
import type { TextTable } from './clock-views.js';

const at = (ms: number | null): string => (ms === null ? '—' : `+${formatDuration(ms)}`);

export function suspicionsTable(rows: readonly SuspicionRow[]): TextTable {
  return {
    head: ['who suspected', 'whom', 'right (it was down)', 'wrong (it was alive)', 'silence before the first'],
    rows: rows.map((r) => [r.observer, r.peer, String(r.right), String(r.wrong), formatDuration(r.firstGapMs)]),
  };
}

export function detectionsTable(rows: readonly DetectionRow[]): TextTable {
  return {
    head: ['node', 'really', 'from', 'suspected by', 'after'],
    rows: rows.map((r) => [r.peer, r.how, at(r.failedMs), r.observer, r.detectionMs === null ? 'never' : formatDuration(r.detectionMs)]),
  };
}

export function leadersTable(rows: readonly LeaderRow[]): TextTable {
  return {
    head: ['leader', 'term', 'from', 'to', 'ended by', 'at the same time'],
    rows: rows.map((r) => [r.node, String(r.term), at(r.fromMs), at(r.toMs), r.ended === 'end' ? 'still leading' : r.ended === 'lease' ? 'its lease ran out' : r.ended === 'crash' ? 'its crash' : 'stepping down', r.alongside.length ? r.alongside.join(', ') : '—']),
  };
}
