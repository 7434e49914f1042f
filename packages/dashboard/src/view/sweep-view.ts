/** A lesson's sweep in the lesson panel (shell): its bar chart (model/sweep-chart.ts) and its table. */
import { sweepChart, type SweepView } from '../model/sweep-chart.js';
import { chartSvg, yAxis } from './chart-frame.js';
import { h, s } from './dom.js';

const SIZE = { width: 270, height: 180 };

export function renderSweep(sweep: SweepView): HTMLElement {
  const c = sweepChart(sweep, SIZE);
  const svg = chartSvg('sweep-chart', c.width, c.height, c.title, { 'data-sweep': c.name });
  svg.append(s('text', { class: 'axis-title', x: c.plot.left, y: 12 }, c.yTitle));
  yAxis(svg, c.plot, c.yTicks);
  for (const b of c.bars) {
    const g = s('g', { class: 'bar', 'data-value': b.value, 'data-figure': b.figure === null ? '' : String(b.figure) });
    g.append(s('title', {}, `${c.xTitle} ${b.value}: ${b.text}`));
    if (b.figure !== null) g.append(s('rect', { x: b.x, y: b.y, width: b.width, height: Math.max(b.height, 0.5) }));
    g.append(
      s('text', { class: b.figure === null ? 'figure none' : 'figure', x: b.labelX, y: b.textY, 'text-anchor': 'middle' }, b.text),
      s('text', { class: 'tick', x: b.labelX, y: c.plot.bottom + 12, 'text-anchor': 'middle' }, b.value),
    );
    svg.append(g);
  }
  svg.append(
    s('line', { class: 'axis', x1: c.plot.left, x2: c.plot.right, y1: c.baseY, y2: c.baseY }),
    s('text', { class: 'axis-title', x: (c.plot.left + c.plot.right) / 2, y: c.height - 4, 'text-anchor': 'middle' }, c.xTitle),
  );
  const table = h('table', { class: 'sweep', 'data-sweep': c.name });
  const head = h('tr');
  for (const t of c.table.head) head.append(h('th', {}, t));
  table.append(head);
  for (const [value, figure] of c.table.rows) {
    const tr = h('tr');
    tr.append(h('td', {}, value), h('td', {}, figure));
    table.append(tr);
  }
  const figure = h('figure', { class: 'sweep' });
  figure.append(h('figcaption', {}, c.title), svg, table);
  return figure;
}
