/**
 * Clock synchronisation as a chart, on hand-made traces: n2's clock is 2 s behind n1's, which it
 * asks; the rounds' estimates with their bounds beside the true offset, over true time.
 */
import { clockTime, syncRounds } from '@faultline/checkers';
import { describe, expect, it } from 'vitest';
import { syncChart, syncCharts } from '../src/model/sync-chart.js';
import { isSyncLine, SyncLines } from '../src/model/sync-lines.js';
import { TraceModel } from '../src/model/trace-model.js';
import { T0, TimeTrace } from './support/time-trace.js';

const SIZE = { width: 276, height: 150 };

/** Three rounds of n2 asking n1: equal trips, a lopsided one (off by 20 ms, within its bound), one whose estimate lies by 30 ms. */
function threeRounds(): TimeTrace {
  return new TimeTrace().skew('n2', -2000).syncRound('n2', 'n1').wait(100).syncRound('n2', 'n1', { round: 1, reqMs: 40, respMs: 0 }).wait(100).syncRound('n2', 'n1', { round: 2, lie: 30 });
}

describe('the sync chart', () => {
  it('draws each round at its true time: a dot at the estimate, a bar of ± its bound, a square at the true offset', () => {
    const t = threeRounds();
    const rounds = syncRounds(t.lines);
    expect(rounds.map((r) => [r.estimateMs, r.boundMs, r.trueOffsetMs, r.withinBound])).toEqual([
      [2000, 6, 2000, true],
      [2020, 21, 2000, true],
      [2030, 6, 2000, false],
    ]);
    const c = syncChart(rounds, SIZE);
    expect(c).toMatchObject({ node: 'n2', server: 'n1', title: "n2's estimate of n1's clock minus its own", plot: { left: 46, top: 8, right: 268, bottom: 120 } });
    // True time goes across, in order, the first and last rounds just inside the plot.
    expect(c.rounds.map((r) => r.x)).toEqual([...c.rounds.map((r) => r.x)].sort((a, b) => a - b));
    expect(c.rounds[0].x).toBe(54);
    expect(c.rounds[2].x).toBe(260);
    for (const r of c.rounds) {
      // Up is more: the bar's low end is lower on the page (a larger y).
      expect(r.yLow).toBeGreaterThanOrEqual(r.y);
      expect(r.y).toBeGreaterThanOrEqual(r.yHigh);
    }
    // Every true offset is 2000 ms: one flat line at one height; the first round's estimate is on it.
    expect(new Set(c.rounds.map((r) => r.yTrue)).size).toBe(1);
    expect(c.rounds[0].y).toBe(c.rounds[0].yTrue);
    expect(c.truePaths).toEqual([c.rounds.map((r) => `${r.x},${r.yTrue}`).join(' ')]);
    // The lie is outside its bound: the truth lies beyond the bar's low end.
    expect(c.rounds.map((r) => r.within)).toEqual([true, true, false]);
    expect(c.rounds[2].yTrue!).toBeGreaterThan(c.rounds[2].yLow);
    expect(c.rounds[1].text).toBe(`round 1 at ${clockTime(rounds[1].trueMs)} (true time): estimate +2.02s ± 21ms; true offset +2s, off by 20ms`);
    expect(c.rounds[2].text).toContain('off by 30ms, outside its bound');
    expect(c.caption).toBe('3 rounds; 2 of 3 within the bound claimed; largest error 30ms.');
  });

  it('has round ticks on the offset axis, covering every bar and every true offset', () => {
    const rounds = syncRounds(threeRounds().lines);
    const c = syncChart(rounds, SIZE);
    // From 2000 − 6 to 2020 + 21 ms, by 10 ms.
    expect(c.yTicks.map((t) => t.text)).toEqual(['+1.99s', '+2s', '+2.01s', '+2.02s', '+2.03s', '+2.04s', '+2.05s']);
    const ys = c.yTicks.map((t) => t.at);
    expect(ys[0]).toBe(c.plot.bottom);
    expect(ys.at(-1)).toBe(c.plot.top);
    expect(c.xLabels.map((l) => [l.text, l.anchor])).toEqual([
      [clockTime(rounds[0].trueMs), 'start'],
      ['true time', 'middle'],
      [clockTime(rounds[2].trueMs), 'end'],
    ]);
  });

  it('one round: drawn in the middle, its time under it', () => {
    const rounds = syncRounds(new TimeTrace().skew('n2', -300).syncRound('n2', 'n1').lines);
    const c = syncChart(rounds, SIZE);
    expect(c.rounds[0].x).toBe((54 + 260) / 2);
    expect(c.xLabels).toEqual([{ at: 157, text: `${clockTime(rounds[0].trueMs)} (true time)`, anchor: 'middle' }]);
    expect(c.truePaths).toEqual([]);
    expect(c.caption).toBe('1 round; 1 of 1 within the bound claimed; largest error 0ms.');
  });

  it('a round with no truth (its reply was never traced as sent) has no square and breaks the true line', () => {
    const t = threeRounds();
    const lines = t.lines.filter((l) => !(l.kind === 'send' && l.msg === 'n1-resp-1'));
    const c = syncChart(syncRounds(lines), SIZE);
    expect(c.rounds.map((r) => r.yTrue === null)).toEqual([false, true, false]);
    expect(c.rounds[1].within).toBeNull();
    expect(c.truePaths).toEqual([]);
    expect(c.caption).toBe("3 rounds; 1 of 2 within the bound claimed; largest error 30ms; 1 with no true offset (the reply's send is not in the trace).");
  });

  it('one chart for each client and its server, in the order of their first rounds', () => {
    const t = new TimeTrace().skew('n3', 500).syncRound('n3', 'n1').syncRound('n2', 'n1').syncRound('n3', 'n1', { round: 1 });
    const charts = syncCharts(syncRounds(t.lines), SIZE);
    expect(charts.map((c) => [c.node, c.server, c.rounds.length])).toEqual([
      ['n3', 'n1', 2],
      ['n2', 'n1', 1],
    ]);
    expect(charts[0].rounds[0].text).toContain('true offset -500ms');
    expect(syncCharts([], SIZE)).toEqual([]);
  });
});

describe('the sync rounds of the page’s model', () => {
  it('gathers only the lines a round needs, and follows the model as lines arrive in any order', () => {
    const t = threeRounds();
    t.send('n1', 'n2', 'other', 'ping');
    expect(t.lines.filter(isSyncLine).map((l) => l.kind)).toEqual(Array(3).fill(['send', 'receive', 'state']).flat());
    const model = new TraceModel();
    const sync = new SyncLines(model);
    expect(sync.update()).toEqual([]);
    // The first round's sync line reaches the page before the server's send of its reply.
    const replySend = t.lines.find((l) => l.kind === 'send' && l.msg === 'n1-resp-0')!;
    model.add(t.lines.filter((l) => l !== replySend && l.seq <= 6));
    expect(sync.update().map((r) => [r.round, r.trueOffsetMs])).toEqual([[0, null]]);
    // Unchanged model: the same answer, not computed again.
    expect(sync.update()).toBe(sync.update());
    model.add([replySend, ...t.lines.filter((l) => l.seq > 6)]);
    expect(sync.update().map((r) => [r.round, r.trueOffsetMs])).toEqual([
      [0, 2000],
      [1, 2000],
      [2, 2000],
    ]);
    expect(sync.update()[0].trueMs).toBe(T0 + 15);
  });
});
