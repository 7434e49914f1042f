/**
 * What the page may see of a lesson's report: `GET /lessons/current` sends the whole report, and
 * the page's client parses it with protocol's schema, which keeps the sweeps' names, words, values
 * and figures and drops the rest.
 */
import { lessonRunViewSchema } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';

const lesson = { title: 'Last writer wins, by whose clock?', concept: 'no global clock', teaches: 't', context: 'c', predict: { question: 'q?' }, minutes: 4 };

describe("the page's view of a lesson report", () => {
  it('keeps each sweep with its rows (value, figure) and drops what the page does not show', () => {
    const wire = {
      name: 'skew-breaks-lww',
      state: 'done',
      lesson,
      steps: [{ index: 0, description: 'clock n3 -2s' }],
      report: {
        explanation: 'e',
        checks: [{ name: 'c', check: 'sweep', held: true, evidence: 'ok', value: 3 }],
        passed: true,
        files: { reportMd: '/tmp/report.md', trace: '/tmp/trace.ndjson' },
        sweeps: [{ name: 'skew', label: 'n3 behind by', figure: 'lost updates', rows: [{ value: '0ms', figure: 0, evidence: '0 of 100', sinceSeq: 10, untilSeq: 90 }, { value: '2s', figure: null, evidence: 'no writes', sinceSeq: 90, untilSeq: 95 }] }],
        clocks: { writes: [], sync: [] },
        rpcs: [],
      },
    };
    const view = lessonRunViewSchema.parse(wire);
    expect(view.report!.sweeps).toEqual([{ name: 'skew', label: 'n3 behind by', figure: 'lost updates', rows: [{ value: '0ms', figure: 0 }, { value: '2s', figure: null }] }]);
    expect(Object.keys(view.report!).sort()).toEqual(['checks', 'counterexamples', 'diagram', 'explanation', 'files', 'histories', 'passed', 'sweeps']);
    expect(view.report!.checks).toEqual([{ name: 'c', held: true, evidence: 'ok' }]);
  });

  it('a report without sweeps has none', () => {
    const view = lessonRunViewSchema.parse({ name: 'n', state: 'done', lesson, steps: [], report: { explanation: '', checks: [], passed: true, files: { reportMd: 'r' } } });
    expect(view.report!.sweeps).toEqual([]);
  });

  it('keeps what `lesson run --lab` reveals: the prediction beside what happened, the diagram, the seed, every file', () => {
    const prediction = { answer: { choice: 2, text: 'b' }, expected: { choice: 2, text: 'b' }, correct: true, line: 'you predicted 2 (b); it was 2 (b): right' };
    const files = { reportMd: '/r/report.md', reportJson: '/r/report.json', trace: '/t/trace.ndjson' };
    const view = lessonRunViewSchema.parse({ name: 'n', id: 3, state: 'done', lesson, totalSteps: 1, steps: [], report: { explanation: '', checks: [], passed: true, prediction, seed: '42', runDir: '/r', files, diagram: ['n1 n2'] } });
    expect(view).toMatchObject({ id: 3, totalSteps: 1, report: { prediction, seed: '42', runDir: '/r', files, diagram: ['n1 n2'] } });
  });
});
