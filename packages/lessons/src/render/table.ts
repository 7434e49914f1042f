/**
 * A boxed table that fits `width` columns (pure): each column as wide as its widest cell, and
 * when the whole is too wide the widest columns give way first, down to their longest word; the
 * cells wrap at word boundaries. A cell's own line breaks are kept.
 *
 *   ┌──────┬────────────────────┐
 *   │ call │ what really        │
 *   │      │ happened           │
 *   ├──────┼────────────────────┤
 */
import { visibleWidth, wrapLine } from './fit.js';

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - visibleWidth(text)));

/** The columns' widths (without padding) for cells that must fit `room` columns in all. */
export function columnWidths(cells: readonly (readonly string[])[], room: number): number[] {
  const columns = cells[0]?.length ?? 0;
  const widths = Array.from({ length: columns }, (_, c) => Math.max(1, ...cells.map((row) => Math.max(...(row[c] ?? '').split('\n').map(visibleWidth)))));
  const floor = Array.from({ length: columns }, (_, c) => Math.max(1, ...cells.flatMap((row) => (row[c] ?? '').split(/\s+/).map(visibleWidth))));
  const total = (): number => widths.reduce((a, b) => a + b, 0);
  // The widest column that can still give way gives one column, until it all fits.
  while (total() > room) {
    let widest = -1;
    for (let c = 0; c < columns; c++) if (widths[c] > floor[c] && (widest < 0 || widths[c] > widths[widest])) widest = c;
    if (widest < 0) break;
    widths[widest]--;
  }
  // Words too long even so: the widest columns give way below their longest word (broken there).
  while (total() > room) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest] <= 1) break;
    widths[widest]--;
  }
  return widths;
}

export function fitTable(head: readonly string[], rows: readonly (readonly string[])[], width: number): string[] {
  const all = [head, ...rows];
  // Each column has a space either side and a border on its left; one more border closes the row.
  const widths = columnWidths(all, width - head.length * 3 - 1);
  const rule = (left: string, mid: string, right: string): string => left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const draw = (row: readonly string[]): string[] => {
    const cells = widths.map((w, c) => (row[c] ?? '').split('\n').flatMap((part) => wrapLine(part, w)));
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, i) => `│${widths.map((w, c) => ` ${pad(cells[c][i] ?? '', w)} `).join('│')}│`);
  };
  const out = [rule('┌', '┬', '┐'), ...draw(head)];
  for (const row of rows) out.push(rule('├', '┼', '┤'), ...draw(row));
  out.push(rule('└', '┴', '┘'));
  return out;
}
