/**
 * An event's times and clocks in words (pure), for the selected-event panel: true time (the lab's
 * god's-eye view), the wall time its own node's clock read beside it and how far that clock was
 * off, then the event's Lamport, vector and hybrid stamps.
 */
import { clockTime, formatDuration, vectorText } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';

export interface ClockRow {
  /** The row's label (also its `data-key` on the page). */
  readonly key: string;
  readonly text: string;
}

/** Below this (ms), a wall clock counts as reading true time. */
const IN_STEP_MS = 0.05;

/** How far a node's wall clock was from true time: `2s behind true time`, `300ms ahead of true time`. */
export function clockErrorText(node: string, wallMs: number, trueMs: number): string {
  const off = wallMs - trueMs;
  if (Math.abs(off) < IN_STEP_MS) return `${node}'s clock read true time`;
  return `${node}'s clock was ${formatDuration(Math.abs(off))} ${off < 0 ? 'behind' : 'ahead of'} true time`;
}

/** A hybrid logical clock reading: `12:00:03.512 +2` (its wall part, then its logical counter). */
export function hlcText(hlc: { wallMs: number; logical: number }): string {
  return `${clockTime(hlc.wallMs)} +${hlc.logical}`;
}

/** The rows for `line`: true time, and for a node's event its wall time, its clock's error and its stamps. */
export function eventClockRows(line: TraceLine): ClockRow[] {
  const rows: ClockRow[] = [{ key: 'true time', text: clockTime(line.trueMs) }];
  const c = line.clocks;
  if (!c || !line.node) return rows;
  rows.push(
    { key: 'wall time', text: `${clockTime(c.wallMs)} on ${line.node}'s clock` },
    { key: 'clock error', text: clockErrorText(line.node, c.wallMs, c.trueMs) },
    { key: 'Lamport', text: String(c.lamport) },
    { key: 'vector', text: vectorText(c.vc) },
    { key: 'hybrid', text: hlcText(c.hlc) },
  );
  return rows;
}
