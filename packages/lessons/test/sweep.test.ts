/**
 * Sweeps and client requests in lesson files: a sweep's block is expanded once a value (its
 * `{{value}}` and `{{row}}` filled in), a bad row is one line naming the row, and the names that
 * checks, waits and the explanation use must exist. The explanation gets each row's figure, and
 * the chart draws the rows.
 */
import { FaultlineError } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { barChart, parseLesson, renderExplanation, type SweepResult } from '../src/index.js';

const LESSON = `name: sweepy
title: A sweep
concept: no global clock
teaches: clocks disagree
minutes: 1
context: three copies of a register.
cluster:
  nodes: 3
  behaviours:
    n1: [{ name: register }]
    n3: [{ name: register }]
predict:
  question: How many are lost?
steps:
  - invoke: { node: n1, type: write, body: { key: x, value: A }, as: A }
  - replicated: [A]
  - sweep:
      name: skew
      label: n3 behind by
      values: [0ms, 1.5s, 2s]
      figure: lost updates
      steps:
        - clock: { node: n3, offset: "-{{value}}" }
        - writes: { nodes: [n1, n3], key: "k{{row}}", count: 10 }
      measure: { check: lost_updates, key: "k{{row}}" }
      field: count
expect:
  - { name: none, check: sweep, sweep: skew, row: 0ms, equals: 0 }
  - { name: some, check: sweep, sweep: skew, row: 1.5s, min: 1 }
  - { name: held, check: register, node: n3, key: x, holds: A }
explain: "At 1.5 s: {{sweep.skew.1.5s}}; at 2 s: {{sweep.skew.2s}}."
`;

function errorOf(text: string): string {
  try {
    parseLesson(text, 'bad.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(FaultlineError);
    expect((err as Error).message.split('\n')).toHaveLength(1);
    return (err as Error).message;
  }
  throw new Error('expected the lesson to be refused');
}

const edit = (from: string, to: string): string => {
  expect(LESSON).toContain(from);
  return LESSON.replace(from, to);
};

describe('sweeps in lesson files', () => {
  it('expands the block once a value: {{value}} and {{row}} filled in, a number kept a number', () => {
    const lesson = parseLesson(LESSON, 'sweepy.yaml');
    const sweep = lesson.steps[2].sweep!;
    expect(sweep.rows.map((r) => r.value)).toEqual(['0ms', '1.5s', '2s']);
    expect(sweep.rows.map((r) => r.steps[0].clock?.offset)).toEqual([-0, -1500, -2000]);
    expect(sweep.rows.map((r) => r.steps[1].writes?.key)).toEqual(['k1', 'k2', 'k3']);
    expect(sweep.rows.map((r) => r.measure)).toEqual([1, 2, 3].map((i) => ({ check: 'lost_updates', key: `k${i}` })));
    const whole = parseLesson(edit('count: 10 }', 'count: "{{value}}" }').replace('values: [0ms, 1.5s, 2s]', 'values: [5, 10]').replace('offset: "-{{value}}"', 'offset: "-{{value}}ms"').replace('row: 0ms', 'row: 5').replace('row: 1.5s', 'row: 10').replace(/ \{\{sweep[^}]*\}\}/g, ''), 'x.yaml');
    expect(whole.steps[2].sweep!.rows.map((r) => r.steps[1].writes?.count)).toEqual([5, 10]);
  });

  it.each<[string, string, RegExp]>([
    ['a row whose value makes a bad step', edit('values: [0ms, 1.5s, 2s]', 'values: [0ms, fast]').replace('row: 1.5s', 'row: fast'), /^bad\.yaml:\d+: steps\[2\]\.sweep\.steps\[0\]\.clock\.offset: \(row fast\) expected a signed duration like \+2s or -500ms/],
    ['a value twice', edit('values: [0ms, 1.5s, 2s]', 'values: [0ms, 0ms, 1.5s, 2]'), /^bad\.yaml:\d+: steps\[2\]\.sweep\.values\[1\]: the value 0ms is in the sweep twice$/],
    ['a sweep in a sweep', edit('        - clock: {', '        - sweep: { name: inner }\n        - clock: {'), /^bad\.yaml:\d+: steps\[2\]\.sweep\.steps\[0\]\.sweep: \(row 0ms\) unknown field "sweep"/],
    ['a measure that is no check', edit('measure: { check: lost_updates', 'measure: { check: vibes'), /^bad\.yaml:\d+: steps\[2\]\.sweep\.measure\.check: \(row 0ms\) expected one of/],
    ['a row no sweep has', edit('row: 1.5s', 'row: 3s'), /^bad\.yaml:\d+: expect\[1\]\.row: sweep skew has no row 3s \(its values: 0ms, 1\.5s, 2s\)$/],
    ['a sweep nobody runs', edit('sweep: skew, row: 0ms', 'sweep: other, row: 0ms'), /^bad\.yaml:\d+: expect\[0\]\.sweep: no step is a sweep named "other"$/],
    ['a named step in a sweep', edit('        - clock: {', '        - invoke: { node: n1, type: read, body: { key: x }, as: R }\n        - clock: {'), /^bad\.yaml:\d+: steps\[2\]\.sweep\.steps\[0\]: a step inside a sweep runs once a row, so it cannot be named \(as\)$/],
    ['a wait for a write nobody made', edit('replicated: [A]', 'replicated: [Z]'), /^bad\.yaml:\d+: steps\[1\]\.replicated\[0\]: no step before this one writes as "Z"/],
    ['a check of a write nobody made', edit('holds: A', 'holds: Q'), /^bad\.yaml:\d+: expect\[2\]\.holds: no step makes a write request named "Q"/],
    ['a row figure the run will not have', edit('{{sweep.skew.2s}}', '{{sweep.skew.7}}'), /^bad\.yaml:\d+: explain: \{\{sweep\.skew\.7\}\} names nothing this run has/],
    ['a node no cluster has', edit('nodes: [n1, n3]', 'nodes: [n1, n9]'), /^bad\.yaml:\d+: steps\[2\]\.sweep\.rows\[0\]\.steps\[1\]\.writes\.nodes\[1\]: unknown node "n9"|^bad\.yaml:\d+: .*unknown node "n9"/],
    ['sweeps that would run 2,100 steps', edit('      values: [0ms, 1.5s, 2s]', `      values: [${Array.from({ length: 20 }, (_, i) => `${i}ms`).join(', ')}]`).replace('        - clock: {', `${'        - wait: 0\n'.repeat(103)}        - clock: {`).replace('row: 1.5s', 'row: 1ms').replace('{{sweep.skew.1.5s}}', '{{sweep.skew.1ms}}').replace('{{sweep.skew.2s}}', '{{sweep.skew.2ms}}'), /^bad\.yaml:\d+: steps\[2\]\.sweep: expected sweeps to run at most 2000 steps in all \(values × steps\), got 2100 by this one$/],
    ['a time server that is the node itself', edit('    n3: [{ name: register }]', '    n3: [{ name: register }]\n    n2: [{ name: sync, server: n2 }]'), /^bad\.yaml:\d+: cluster\.behaviours\.n2\[0\]\.server: n2 cannot be its own time server$/],
  ])('%s: one line naming the file, the line and the field', (_what, text, want) => {
    expect(errorOf(text)).toMatch(want);
  });

  it('the explanation gets each row\'s figure by its value, dots and all', () => {
    const sweeps: SweepResult[] = [{ name: 'skew', label: 'n3 behind by', figure: 'lost', rows: [{ value: '1.5s', figure: 12, evidence: '', sinceSeq: 0, untilSeq: 1 }, { value: '2', figure: null, evidence: 'none', sinceSeq: 1, untilSeq: 2 }] }];
    expect(renderExplanation('At 1.5 s: {{sweep.skew.1.5s}}; at 2 ms: {{sweep.skew.2}}.', { seed: '1', rpcs: new Map(), checks: [], sweeps })).toBe('At 1.5 s: 12; at 2 ms: (not measured).');
  });
});

describe('the bar chart', () => {
  it('draws each row as long as its figure against the largest, in the width it is given', () => {
    const rows = barChart('lost, by skew:', [{ label: '0ms', figure: 0 }, { label: '100ms', figure: 25 }, { label: '2s', figure: 50 }, { label: '5s', figure: null }], 40);
    // 40 columns: 7 for the labels, 2 for the figures, 6 of spaces: 27 for the longest bar.
    expect(rows).toEqual(['lost, by skew:', '    0ms ▏ 0', `  100ms ${'█'.repeat(13)}▌ 25`, `     2s ${'█'.repeat(27)} 50`, '     5s (no figure)']);
    for (const r of rows) expect(r.length).toBeLessThanOrEqual(40);
  });
});
