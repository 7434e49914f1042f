/**
 * Clock synchronisation over time, as a chart (pure layout: numbers and words, drawn as SVG by the
 * view). One chart for each client and the server it asks: true time across, the offset (server's
 * wall clock minus the client's) up. Each round is a dot at its estimate with an error bar of the
 * ± bound its method claims; beside it, the true offset the trace shows (a line through squares),
 * which the node itself could never see. A round whose estimate is off by more than its bound has
 * its bar drawn red.
 */
import { clockTime, formatDuration, type SyncRoundCheck } from '@faultline/checkers';
import { linearScale, niceDomain, type AxisLabel, type ChartBox, type ChartSize } from './chart-scale.js';

export interface SyncChartRound {
  readonly seq: number;
  readonly round: number;
  readonly x: number;
  /** The estimate, and the ends of its ± bound. */
  readonly y: number;
  readonly yLow: number;
  readonly yHigh: number;
  /** The true offset (null: the trace cannot say). */
  readonly yTrue: number | null;
  /** Within its bound (null: unknown, no true offset). */
  readonly within: boolean | null;
  /** The round in words (the mark's tooltip). */
  readonly text: string;
}

export interface SyncChart {
  readonly node: string;
  readonly server: string;
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly plot: ChartBox;
  readonly yTicks: readonly AxisLabel[];
  /** The time axis: its two ends (one label for a single round), and its title in the middle. */
  readonly xLabels: readonly AxisLabel[];
  readonly rounds: readonly SyncChartRound[];
  /** The true offsets joined up: one polyline (`x,y x,y …`) a run of rounds that have one. */
  readonly truePaths: readonly string[];
  /** The rounds in figures, in one plain sentence. */
  readonly caption: string;
}

/** What the marks mean, said once under the charts. */
export const SYNC_LEGEND = 'Dot and bar: the estimate, ± the bound its method claims (red: the true offset is outside it). Green line: the true offset, from the trace; no node can see it.';

const MARGIN = { left: 46, right: 8, top: 8, bottom: 30 };
const px = (v: number): number => Math.round(v * 10) / 10;
const signed = (ms: number): string => `${ms > 0 ? '+' : ''}${formatDuration(ms)}`;

function roundText(r: SyncRoundCheck): string {
  const head = `round ${r.round} at ${clockTime(r.trueMs)} (true time): estimate ${signed(r.estimateMs)} ± ${formatDuration(r.boundMs)}`;
  if (r.trueOffsetMs === null || r.errorMs === null) return `${head}; true offset unknown (the reply's send is not in the trace)`;
  return `${head}; true offset ${signed(r.trueOffsetMs)}, off by ${formatDuration(Math.abs(r.errorMs))}${r.withinBound ? '' : ', outside its bound'}`;
}

function captionOf(rounds: readonly SyncRoundCheck[]): string {
  const measured = rounds.filter((r) => r.errorMs !== null);
  const within = measured.filter((r) => r.withinBound === true).length;
  const parts = [`${rounds.length} round${rounds.length === 1 ? '' : 's'}`];
  if (measured.length > 0) {
    const worst = Math.max(...measured.map((r) => Math.abs(r.errorMs!)));
    parts.push(`${within} of ${measured.length} within the bound claimed`, `largest error ${formatDuration(worst)}`);
  }
  const unknown = rounds.length - measured.length;
  if (unknown > 0) parts.push(`${unknown} with no true offset (the reply's send is not in the trace)`);
  return `${parts.join('; ')}.`;
}

/** The chart of one client's rounds against one server (`rounds` all theirs, at least one). */
export function syncChart(rounds: readonly SyncRoundCheck[], size: ChartSize): SyncChart {
  const { node, server } = rounds[0];
  const plot: ChartBox = { left: MARGIN.left, top: MARGIN.top, right: size.width - MARGIN.right, bottom: size.height - MARGIN.bottom };
  const figures = rounds.flatMap((r) => [r.estimateMs - r.boundMs, r.estimateMs + r.boundMs, ...(r.trueOffsetMs === null ? [] : [r.trueOffsetMs])]);
  const { domain, ticks } = niceDomain(Math.min(...figures), Math.max(...figures), 4);
  const y = linearScale(domain, [plot.bottom, plot.top]);
  const t0 = rounds[0].trueMs;
  const t1 = rounds[rounds.length - 1].trueMs;
  // Half a bar's room inside each end, so the first and last rounds are not drawn on the axes.
  const x = linearScale([t0, t1], [plot.left + 8, plot.right - 8]);
  const marks = rounds.map((r): SyncChartRound => ({
    seq: r.seq,
    round: r.round,
    x: px(x(r.trueMs)),
    y: px(y(r.estimateMs)),
    yLow: px(y(r.estimateMs - r.boundMs)),
    yHigh: px(y(r.estimateMs + r.boundMs)),
    yTrue: r.trueOffsetMs === null ? null : px(y(r.trueOffsetMs)),
    within: r.withinBound,
    text: roundText(r),
  }));
  const truePaths: string[] = [];
  let run: string[] = [];
  for (const m of [...marks, undefined]) {
    if (m && m.yTrue !== null) {
      run.push(`${m.x},${m.yTrue}`);
      continue;
    }
    if (run.length > 1) truePaths.push(run.join(' '));
    run = [];
  }
  const xLabels: AxisLabel[] =
    t0 === t1
      ? [{ at: px(x(t0)), text: `${clockTime(t0)} (true time)`, anchor: 'middle' }]
      : [
          { at: plot.left, text: clockTime(t0), anchor: 'start' },
          { at: (plot.left + plot.right) / 2, text: 'true time', anchor: 'middle' },
          { at: plot.right, text: clockTime(t1), anchor: 'end' },
        ];
  return {
    node,
    server,
    title: `${node}'s estimate of ${server}'s clock minus its own`,
    width: size.width,
    height: size.height,
    plot,
    yTicks: ticks.map((v): AxisLabel => ({ at: px(y(v)), text: signed(v), anchor: 'end' })),
    xLabels,
    rounds: marks,
    truePaths,
    caption: captionOf(rounds),
  };
}

/** One chart for each client and server, in the order of their first round. */
export function syncCharts(rounds: readonly SyncRoundCheck[], size: ChartSize): SyncChart[] {
  const groups = new Map<string, SyncRoundCheck[]>();
  for (const r of [...rounds].sort((a, b) => a.trueMs - b.trueMs || a.seq - b.seq)) {
    const key = `${r.node}\u0000${r.server}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map((g) => syncChart(g, size));
}
