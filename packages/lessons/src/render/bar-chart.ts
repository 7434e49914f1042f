/**
 * A sweep's rows as a horizontal bar chart in text (pure): one row a value, its bar as long as
 * its figure against the largest, then the figure. Fits `width` columns; a row with no figure
 * says so instead of a bar.
 *
 *   n3's clock behind → lost updates
 *       0ms ▏ 0
 *      10ms ▏ 0
 *     100ms ██████▌ 12
 *        2s ████████████████████████████ 50
 */
import { visibleWidth } from './fit.js';

export interface ChartRow {
  readonly label: string;
  readonly figure: number | null;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `cells` character cells (fractions in eighths); a zero is a thin mark. */
function bar(cells: number): string {
  if (cells <= 0) return '▏';
  const whole = Math.floor(cells);
  const eighths = Math.round((cells - whole) * 8);
  return '█'.repeat(whole) + (eighths === 8 ? '█' : EIGHTHS[eighths]);
}

const show = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export function barChart(title: string, rows: readonly ChartRow[], width = 80): string[] {
  const labelWidth = Math.max(1, ...rows.map((r) => visibleWidth(r.label)));
  const figureWidth = Math.max(1, ...rows.map((r) => (r.figure === null ? 0 : show(r.figure).length)));
  const room = Math.max(8, width - labelWidth - figureWidth - 6);
  const top = Math.max(0, ...rows.map((r) => Math.abs(r.figure ?? 0)));
  const out = [title];
  for (const r of rows) {
    const label = ' '.repeat(labelWidth - visibleWidth(r.label)) + r.label;
    if (r.figure === null) out.push(`  ${label} (no figure)`);
    else out.push(`  ${label} ${bar(top === 0 ? 0 : (Math.abs(r.figure) / top) * room)} ${show(r.figure)}`);
  }
  return out;
}
