/** A lesson's sweep as a bar chart and a table: bars in proportion, each with its number; a row with no figure says so. */
import { describe, expect, it } from 'vitest';
import { sweepChart, type SweepView } from '../src/model/sweep-chart.js';

const SIZE = { width: 270, height: 180 };
const skew: SweepView = {
  name: 'skew',
  label: 'n3 behind by',
  figure: 'lost updates (of 100 writes)',
  rows: [
    { value: '0ms', figure: 0 },
    { value: '10ms', figure: 12 },
    { value: '100ms', figure: 48 },
    { value: '1s', figure: 50 },
    { value: '2s', figure: null },
  ],
};

describe('the sweep chart', () => {
  it('a bar a row, in order, standing on zero, as tall as its figure; labelled with the label and the figure', () => {
    const c = sweepChart(skew, SIZE);
    expect(c).toMatchObject({ name: 'skew', title: 'lost updates (of 100 writes), by n3 behind by', yTitle: 'lost updates (of 100 writes)', xTitle: 'n3 behind by', plot: { left: 40, top: 30, right: 262, bottom: 146 } });
    expect(c.bars.map((b) => [b.value, b.text])).toEqual([
      ['0ms', '0'],
      ['10ms', '12'],
      ['100ms', '48'],
      ['1s', '50'],
      ['2s', 'none'],
    ]);
    // 0 … 50 by 10: 50 reaches the top of the plot; every bar ends on the baseline.
    expect(c.yTicks.map((t) => t.text)).toEqual(['0', '10', '20', '30', '40', '50']);
    expect(c.baseY).toBe(c.plot.bottom);
    for (const b of c.bars) expect(b.y + b.height).toBeCloseTo(c.baseY, 5);
    expect(c.bars[3].y).toBe(c.plot.top);
    expect(c.bars[1].height / c.bars[3].height).toBeCloseTo(12 / 50, 2);
    expect(c.bars[0].height).toBe(0);
    // Left to right, evenly, each number just above its bar.
    const xs = c.bars.map((b) => b.labelX);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    for (const b of c.bars.slice(0, 4)) expect(b.textY).toBe(b.y - 4);
  });

  it('a row with no figure has no bar, and the table says none was measured', () => {
    const c = sweepChart(skew, SIZE);
    expect(c.bars[4]).toMatchObject({ figure: null, height: 0, text: 'none' });
    expect(c.table).toEqual({
      head: ['n3 behind by', 'lost updates (of 100 writes)'],
      rows: [
        ['0ms', '0'],
        ['10ms', '12'],
        ['100ms', '48'],
        ['1s', '50'],
        ['2s', 'none measured'],
      ],
    });
  });

  it('negative figures hang below zero, their numbers under them', () => {
    const c = sweepChart({ name: 'e', label: 'latency', figure: 'error (ms)', rows: [{ value: 'a', figure: -20 }, { value: 'b', figure: 40 }] }, SIZE);
    expect(c.yTicks.map((t) => t.text)).toEqual(['-20', '0', '20', '40']);
    const [neg, pos] = c.bars;
    expect(neg.y).toBe(c.baseY);
    expect(neg.height).toBeCloseTo(c.plot.bottom - c.baseY, 5);
    expect(neg.textY).toBeGreaterThan(neg.y + neg.height);
    expect(pos.y + pos.height).toBeCloseTo(c.baseY, 5);
  });

  it('every figure zero: an axis up to 1, no bar taller than nothing', () => {
    const c = sweepChart({ name: 'z', label: 'x', figure: 'count', rows: [{ value: 'a', figure: 0 }, { value: 'b', figure: 0 }] }, SIZE);
    expect(c.yTicks.map((t) => t.text)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(c.bars.map((b) => b.height)).toEqual([0, 0]);
  });
});
