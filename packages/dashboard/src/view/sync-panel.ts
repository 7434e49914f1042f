/**
 * Clock synchronisation beside the diagram (shell): one chart for each client and its server,
 * drawn from the layout in model/sync-chart.ts; the section shows only once the run has a round.
 */
import { SYNC_LEGEND, type SyncChart } from '../model/sync-chart.js';
import { chartSvg, xLabels, yAxis } from './chart-frame.js';
import { h, s } from './dom.js';

function chartOf(c: SyncChart): HTMLElement {
  const svg = chartSvg('sync-chart', c.width, c.height, c.title, { 'data-node': c.node, 'data-server': c.server });
  yAxis(svg, c.plot, c.yTicks);
  svg.append(s('line', { class: 'axis', x1: c.plot.left, x2: c.plot.right, y1: c.plot.bottom, y2: c.plot.bottom }));
  xLabels(svg, c.plot, c.xLabels);
  for (const points of c.truePaths) svg.append(s('polyline', { class: 'true-offset', points }));
  for (const r of c.rounds) {
    const g = s('g', { class: 'round', 'data-seq': r.seq, 'data-round': r.round, 'data-within': String(r.within) });
    g.append(
      s('title', {}, r.text),
      s('line', { class: 'bound', x1: r.x, x2: r.x, y1: r.yLow, y2: r.yHigh }),
      s('line', { class: 'bound', x1: r.x - 3, x2: r.x + 3, y1: r.yLow, y2: r.yLow }),
      s('line', { class: 'bound', x1: r.x - 3, x2: r.x + 3, y1: r.yHigh, y2: r.yHigh }),
      s('circle', { class: 'estimate', cx: r.x, cy: r.y, r: 2.5 }),
    );
    if (r.yTrue !== null) g.append(s('rect', { class: 'true-offset', x: r.x - 2, y: r.yTrue - 2, width: 4, height: 4 }));
    svg.append(g);
  }
  const figure = h('figure', { class: 'sync' });
  figure.append(h('figcaption', {}, c.title), svg, h('p', { class: 'caption' }, c.caption));
  return figure;
}

/** Draws `charts` in `root`, and shows `section` only when there is one. */
export function renderSyncCharts(section: HTMLElement, root: HTMLElement, charts: readonly SyncChart[]): void {
  section.hidden = charts.length === 0;
  if (charts.length === 0) {
    root.replaceChildren();
    return;
  }
  root.replaceChildren(...charts.map(chartOf), h('p', { class: 'hint' }, SYNC_LEGEND));
}
