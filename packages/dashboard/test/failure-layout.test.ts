/**
 * Partial failure on the diagram, on a hand-made trace: n1 leads; n3 is paused and n1 suspects it
 * (right); n3, back, suspects n1 (wrong: n1 was alive); n2 leads a newer term while n1 still leads
 * (two leaders at once). The facts gathered as lines arrive, their words, their geometry, the SVG.
 */
import { describe, expect, it } from 'vitest';
import { FailureLines } from '../src/model/failure-facts.js';
import { layoutFailure } from '../src/model/failure-layout.js';
import { failureSvg } from '../src/model/failure-svg.js';
import { overlapWarning, suspicionSentence, suspicionSpan } from '../src/model/failure-words.js';
import { layoutDiagram, type Viewport } from '../src/model/layout.js';
import { layoutToSvg } from '../src/model/svg.js';
import { TraceModel } from '../src/model/trace-model.js';
import { FailureTrace, T0 } from './support/failure-trace.js';

const clock = (ms: number): string => `+${ms - T0}ms`;
/** Pixels to the tenth (true times as floating point). */
const rounded = <T>(value: T): T => JSON.parse(JSON.stringify(value), (_, v: unknown) => (typeof v === 'number' && v < 1e9 ? Math.round(v * 10) / 10 : v)) as T;

/** True times are T0 + the numbers in the comments. */
function run(): { t: FailureTrace; right: number; wrong: number } {
  const t = new FailureTrace().start(3);
  t.lead('n1', 1, 100); // 100
  t.lab('n3', 'pause', 100); // 200
  const right = t.suspect('n1', 'n3', 412, 412).seq; // 612
  t.lab('n3', 'resume', 188); // 800
  const wrong = t.suspect('n3', 'n1', 600, 1).seq; // 801
  t.trust('n1', 'n3', 198, 9); // 810
  t.trust('n3', 'n1', 19, 10); // 820
  t.lead('n2', 2, 180); // 1000
  t.stepDown('n1', 1, 200); // 1200
  t.local('n2', 300); // 1500
  return { t, right, wrong };
}

const modelOf = (t: FailureTrace): TraceModel => {
  const m = new TraceModel();
  m.add(t.lines);
  return m;
};

/** 300 px wide (n1 at x 50, n2 at 150, n3 at 250), 1 px a ms from T0 under the 34 px header. */
const VIEW: Viewport = { t0: T0, t1: T0 + 1600, width: 300, height: 34 + 1600, hideHeartbeats: true };

describe('the facts of partial failure, as lines arrive', () => {
  it('judges each suspicion, finds each term of office and the overlap, and says them in words', () => {
    const { t, right, wrong } = run();
    const f = new FailureLines(modelOf(t)).update();
    expect(f.suspicions.map((s) => [s.seq, s.observer, s.peer, s.right, s.truth, s.endTrueMs! - T0])).toEqual([
      [right, 'n1', 'n3', true, 'paused', 810],
      [wrong, 'n3', 'n1', false, 'alive', 820],
    ]);
    expect(suspicionSentence(f.suspicions[0])).toBe('n1 suspected n3 after 412 ms without a heartbeat; n3 was paused (right)');
    expect(suspicionSentence(f.suspicions[1])).toBe('n3 suspected n1 after 600 ms without a heartbeat; n1 was alive (wrong)');
    expect(suspicionSpan(f.suspicions[0])).toBe('n1 trusted n3 again 198ms later');
    expect(f.terms.map((x) => [x.node, x.term, x.fromTrueMs - T0, x.toTrueMs === null ? null : x.toTrueMs - T0, x.ended])).toEqual([
      ['n1', 1, 100, 1200, 'step_down'],
      ['n2', 2, 1000, null, 'end'],
    ]);
    expect(overlapWarning(f.overlap, clock)).toBe('2 leaders at once from +1000ms: n1 (term 1), n2 (term 2) (200ms with more than one in all)');
  });

  it('gathers lines as they come, in any order, and answers for the run up to the slider', () => {
    const { t } = run();
    const model = new TraceModel();
    const lines = new FailureLines(model);
    model.add(t.lines.slice(6));
    lines.update();
    model.add(t.lines.slice(0, 6));
    expect(lines.update()).toEqual(new FailureLines(modelOf(t)).update());
    // At 700 ms: n1 suspects n3 still; no second leader yet.
    const early = lines.update(T0 + 700);
    expect(early.suspicions.map((s) => [s.observer, s.peer, s.endTrueMs])).toEqual([['n1', 'n3', null]]);
    expect(early.terms.map((x) => [x.node, x.toTrueMs])).toEqual([['n1', null]]);
    expect(overlapWarning(early.overlap, clock)).toBeUndefined();
  });

  it("ends a lease that lapsed before the run's last line, though no line of the leader followed", () => {
    const t = new FailureTrace().start(2);
    t.state('n1', 'leader', 'leader', { term: 1, quorum: true, votes: ['n1', 'n2'], leaseMs: 300, leftMs: 300 }, 100);
    t.local('n2', 900);
    const [term] = new FailureLines(modelOf(t)).update().terms;
    expect([term.toTrueMs! - T0, term.ended]).toEqual([400, 'lease']);
  });
});

describe('partial failure on the diagram', () => {
  it('a suspicion: a triangle on its observer pointing at its peer, its span until trusted, one further out for a peer further off', () => {
    const { t, right, wrong } = run();
    const model = modelOf(t);
    const f = layoutFailure(layoutDiagram(model, VIEW), VIEW, { facts: new FailureLines(model).update(), ops: [], lastMs: model.lastMs, clock });
    expect(rounded(f.suspicions)).toEqual([
      { seq: right, observer: 'n1', peer: 'n3', right: true, x: 50, y: 646, dir: 1, spanX: 59, y2: 844, open: false, label: 'suspects n3', labelX: 64, labelY: 649 },
      { seq: wrong, observer: 'n3', peer: 'n1', right: false, x: 250, y: 835, dir: -1, spanX: 241, y2: 854, open: false, label: 'suspects n1', labelX: 236, labelY: 838 },
    ]);
  });

  it("a term of office: a band left of its node's lifeline, red where another led too; the first instant of two leaders flagged", () => {
    const { t } = run();
    const model = modelOf(t);
    const f = layoutFailure(layoutDiagram(model, VIEW), VIEW, { facts: new FailureLines(model).update(), ops: [], lastMs: model.lastMs, clock });
    expect(rounded(f.terms)).toEqual([
      { node: 'n1', term: 1, x1: 26, x2: 33, y1: 134, y2: 1234, open: false, label: 'term 1', clashes: [{ y1: 1034, y2: 1234 }] },
      { node: 'n2', term: 2, x1: 126, x2: 133, y1: 1034, y2: 1534, open: true, label: 'term 2', clashes: [{ y1: 1034, y2: 1234 }] },
    ]);
    expect(f.overlap).toEqual({ atTrueMs: T0 + 1000, y: 1034, x1: 20, x2: 180, text: '2 leaders at once from +1000ms: n1 (term 1), n2 (term 2) (200ms with more than one in all)' });
    // Before the second leader (the slider at 900 ms): one band, open, and no flag.
    const early = { ...VIEW, untilMs: T0 + 900 };
    const g = layoutFailure(layoutDiagram(model, early), early, { facts: new FailureLines(model).update(T0 + 900), ops: [], lastMs: model.lastMs, clock });
    expect(g.terms.map((b) => [b.node, b.y2, b.open, b.clashes])).toEqual([['n1', 934, true, []]]);
    expect(g.overlap).toBeUndefined();
  });

  it('leaves out what is not in view, and draws a suspicion begun above the view by its span', () => {
    const { t } = run();
    const model = modelOf(t);
    const v = { ...VIEW, t0: T0 + 700, t1: T0 + 900 };
    const f = layoutFailure(layoutDiagram(model, v), v, { facts: new FailureLines(model).update(), ops: [], lastMs: model.lastMs, clock });
    expect(f.suspicions.map((s) => [s.peer, s.y < 34, s.y2 > 34])).toEqual([
      ['n3', true, true],
      ['n1', false, true],
    ]);
    expect(f.terms.map((b) => b.node)).toEqual(['n1']);
    expect(f.overlap).toBeUndefined();
  });

  it('the SVG export draws the same: suspicions right and wrong, bands, the flag', () => {
    const { t, right, wrong } = run();
    const model = modelOf(t);
    const layout = layoutDiagram(model, VIEW);
    const f = layoutFailure(layout, VIEW, { facts: new FailureLines(model).update(), ops: [], lastMs: model.lastMs, clock });
    const svg = layoutToSvg(layout, VIEW.width, VIEW.height, 'run', clock, failureSvg(f));
    expect(svg).toContain(`<path data-suspicion="${right}" data-right="true" d="M54 642L62 646L54 650Z" fill="#2f855a">`);
    expect(svg).toContain(`<path data-suspicion="${wrong}" data-right="false" d="M246 831L238 835L246 839Z" fill="#fff" stroke="#d53f8c" stroke-width="1.5">`);
    expect(svg).toContain('<rect data-term="n1:1" x="26" y="134" width="7" height="1100"');
    expect(svg).toContain('>2 leaders at once from +1000ms: n1 (term 1), n2 (term 2) (200ms with more than one in all)</text>');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});
