/** The frame every chart of the page shares (shell): the SVG, its y axis with gridlines, its labels. */
import type { AxisLabel, ChartBox } from '../model/chart-scale.js';
import { s } from './dom.js';

/** An empty chart `width` × `height`, scaled to its container's width; `label` is what a screen reader says. */
export function chartSvg(cls: string, width: number, height: number, label: string, attrs: Readonly<Record<string, string>> = {}): SVGElement {
  const svg = s('svg', { class: `chart ${cls}`, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, ...attrs });
  svg.append(s('title', {}, label));
  return svg;
}

/** The y axis: a gridline and a label at each tick, and the axis line itself. */
export function yAxis(svg: SVGElement, plot: ChartBox, ticks: readonly AxisLabel[]): void {
  for (const t of ticks) {
    svg.append(
      s('line', { class: 'grid', x1: plot.left, x2: plot.right, y1: t.at, y2: t.at }),
      s('text', { class: 'tick', x: plot.left - 4, y: t.at + 3, 'text-anchor': t.anchor }, t.text),
    );
  }
  svg.append(s('line', { class: 'axis', x1: plot.left, x2: plot.left, y1: plot.top, y2: plot.bottom }));
}

/** Labels along the bottom, under the plot. */
export function xLabels(svg: SVGElement, plot: ChartBox, labels: readonly AxisLabel[], dy = 12): void {
  for (const l of labels) svg.append(s('text', { class: 'tick', x: l.at, y: plot.bottom + dy, 'text-anchor': l.anchor }, l.text));
}
