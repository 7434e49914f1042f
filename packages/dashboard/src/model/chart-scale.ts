/**
 * The arithmetic of a small chart (pure): a linear map from figures to pixels, and round-numbered
 * ticks for an axis (steps of 1, 2 or 5 times a power of ten), shared by the page's SVG charts.
 */

/** A chart's plotting area, in pixels from the chart's top left. */
export interface ChartBox {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface AxisLabel {
  /** Where along its axis (x on a horizontal axis, y on a vertical one), in pixels. */
  readonly at: number;
  readonly text: string;
  readonly anchor: 'start' | 'middle' | 'end';
}

export interface ChartSize {
  readonly width: number;
  readonly height: number;
}


export interface Scale {
  /** The pixel of a figure. */
  (value: number): number;
  readonly domain: readonly [number, number];
}

/** Maps `domain` onto `range` linearly (an empty domain maps to the middle of the range). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = (v: number): number => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0));
  return Object.assign(scale, { domain: [d0, d1] as const });
}

/** A round step for about `count` intervals over `span`: 1, 2 or 5 times a power of ten, the nearest (as d3 picks it). */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f < Math.SQRT2 ? 1 : f < Math.sqrt(10) ? 2 : f < Math.sqrt(50) ? 5 : 10) * power;
}

/**
 * The domain widened to whole steps, and the ticks on it: `niceDomain(3, 87, 4)` → 0 … 100 by 20s.
 * A domain of one value is widened by `pad` either side first, so it still has an axis.
 */
export function niceDomain(min: number, max: number, count: number, pad = 1): { domain: [number, number]; ticks: number[] } {
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (hi - lo === 0) {
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, count);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // Rounded to the step's own precision: 0.1 + 0.2 is 0.3 on an axis.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let i = 0; start + i * step <= end + step / 1e6; i++) ticks.push(+(start + i * step).toFixed(digits));
  return { domain: [start, end], ticks };
}

/** A figure in a label: whole numbers as they are, others to two decimals at most (`0.67`, `12.5`). */
export function figureText(v: number): string {
  return Number.isInteger(v) ? String(v) : String(+v.toFixed(2));
}
