/**
 * A lesson's sweep as a bar chart and a table (pure layout, drawn as SVG by the view): one bar a
 * row, the values it swept across in order (`label`), the figure its measure read up (`figure`),
 * each bar with its number. A row the measure gave no figure has no bar and says so.
 */
import { figureText, linearScale, niceDomain, type AxisLabel, type ChartBox, type ChartSize } from './chart-scale.js';

/** A sweep as the page receives it (the lesson report's `sweeps`, as the control API passes them on). */
export interface SweepView {
  readonly name: string;
  readonly label: string;
  readonly figure: string;
  readonly rows: readonly { readonly value: string; readonly figure: number | null }[];
}

export interface SweepBar {
  readonly value: string;
  readonly figure: number | null;
  /** The bar (height 0 with no figure). */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Its number (`none` with no figure), and where it is written: above the bar's end (below, for a negative figure). */
  readonly text: string;
  readonly textY: number;
  /** Where the value is written under the axis (the bar's middle). */
  readonly labelX: number;
}

export interface SweepChart {
  readonly name: string;
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly plot: ChartBox;
  /** The y of figure 0: the bars stand on it. */
  readonly baseY: number;
  readonly yTicks: readonly AxisLabel[];
  readonly bars: readonly SweepBar[];
  /** The axes' titles: the figure over the y axis, the label under the values. */
  readonly yTitle: string;
  readonly xTitle: string;
  /** The same rows, for a table beside the chart. */
  readonly table: { readonly head: readonly [string, string]; readonly rows: readonly (readonly [string, string])[] };
}

const MARGIN = { left: 40, right: 8, top: 30, bottom: 34 };
const px = (v: number): number => Math.round(v * 10) / 10;

export function sweepChart(sweep: SweepView, size: ChartSize): SweepChart {
  const plot: ChartBox = { left: MARGIN.left, top: MARGIN.top, right: size.width - MARGIN.right, bottom: size.height - MARGIN.bottom };
  const figures = sweep.rows.flatMap((r) => (r.figure === null ? [] : [r.figure]));
  // Bars stand on zero: the axis always holds it (and goes up to 1 when every figure is 0).
  const lo = Math.min(0, ...figures);
  const hi = Math.max(0, ...figures);
  const { domain, ticks } = niceDomain(lo, hi === lo ? lo + 1 : hi, 4);
  const y = linearScale(domain, [plot.bottom, plot.top]);
  const base = px(y(0));
  const band = (plot.right - plot.left) / Math.max(1, sweep.rows.length);
  const bars = sweep.rows.map((r, i): SweepBar => {
    const mid = plot.left + band * (i + 0.5);
    const width = px(Math.min(band * 0.7, 48));
    const x = px(mid - width / 2);
    if (r.figure === null) return { value: r.value, figure: null, x, y: base, width, height: 0, text: 'none', textY: base - 4, labelX: px(mid) };
    const end = px(y(r.figure));
    const top = Math.min(end, base);
    return { value: r.value, figure: r.figure, x, y: top, width, height: px(Math.abs(base - end)), text: figureText(r.figure), textY: r.figure < 0 ? px(end + 11) : px(end - 4), labelX: px(mid) };
  });
  return {
    name: sweep.name,
    title: `${sweep.figure}, by ${sweep.label}`,
    width: size.width,
    height: size.height,
    plot,
    baseY: base,
    yTicks: ticks.map((v): AxisLabel => ({ at: px(y(v)), text: figureText(v), anchor: 'end' })),
    bars,
    yTitle: sweep.figure,
    xTitle: sweep.label,
    table: { head: [sweep.label, sweep.figure], rows: sweep.rows.map((r) => [r.value, r.figure === null ? 'none measured' : figureText(r.figure)] as const) },
  };
}
