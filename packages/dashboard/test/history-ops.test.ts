/**
 * A lesson's client operations on the diagram: what the page keeps of the report (protocol's view
 * drops the histories), each operation in words on its client's lifeline, lanes for overlapping
 * ones, and a failed check's counterexample outlined, the stuck operation with its caption.
 */
import { describe, expect, it } from 'vitest';
import { pageLessonRunSchema, type ReportHistories } from '../src/api/lesson-histories.js';
import { layoutFailure } from '../src/model/failure-layout.js';
import { failureSvg } from '../src/model/failure-svg.js';
import { clientOf, historyOps, opLabel, STUCK_CAPTION } from '../src/model/history-ops.js';
import type { Viewport } from '../src/model/layout.js';

const T0 = 1_767_225_600_000;
const op = (o: Record<string, unknown>): ReportHistories['histories'][number]['ops'][number] =>
  ({ kind: 'write', key: 'x', node: 'n2', type: 'ok', stale: false, input: undefined, output: undefined, ...o }) as ReportHistories['histories'][number]['ops'][number];

/** n4's client: put x 4 (ok), get x from n3 (3, stale), put x 5 (no answer), get x from n3 (failed); n5's: one get, at the same time. */
const REPORT: ReportHistories = {
  histories: [
    {
      name: 'cut',
      ops: [
        op({ id: 0, process: 'n4/c2', f: 'put', input: 4, invokeMs: T0 + 100, endMs: T0 + 150 }),
        op({ id: 2, process: 'n4/c2', f: 'get', kind: 'read', node: 'n3', output: 3, invokeMs: T0 + 160, endMs: T0 + 200, stale: true }),
        op({ id: 4, process: 'n4/c2', f: 'put', input: 5, type: 'info', invokeMs: T0 + 210, endMs: null }),
        op({ id: 5, process: 'n4/c3', f: 'get', kind: 'read', node: 'n3', type: 'fail', error: 'kv_error', invokeMs: T0 + 300, endMs: T0 + 320 }),
        op({ id: 6, process: 'n5/c1', f: 'get', kind: 'read', output: null, invokeMs: T0 + 100, endMs: T0 + 104 }),
        op({ id: 7, process: 0, f: 'get', kind: 'read', output: 1, invokeMs: T0 + 100, endMs: T0 + 104 }),
      ],
    },
  ],
  counterexamples: [
    {
      check: 'cut-not-linearizable',
      histories: ['before', 'cut'],
      ops: [
        { ...op({ id: 18, process: 'n4/c2', f: 'put', input: 4, invokeMs: T0 + 100, endMs: T0 + 150 }), role: 'placed' },
        { ...op({ id: 20, process: 'n4/c2', f: 'get', kind: 'read', node: 'n3', output: 3, invokeMs: T0 + 160, endMs: T0 + 200 }), role: 'stuck' },
      ],
    },
  ],
};

describe("what the page keeps of a lesson's report", () => {
  it("the histories' operations and the counterexamples, and nothing the page does not draw", () => {
    const wire = { name: 'partial-failure', state: 'done', lesson: { title: 't', concept: 'c', teaches: 't', context: 'c', predict: { question: 'q?' }, minutes: 5 }, steps: [], report: { explanation: '', checks: [], passed: true, files: { reportMd: 'r.md' }, sweeps: [], ...REPORT, rpcs: [] } };
    const page = pageLessonRunSchema.parse(JSON.parse(JSON.stringify(wire)));
    expect(page.report!.histories[0].ops).toHaveLength(6);
    expect(page.report!.counterexamples[0].ops.map((o) => o.role)).toEqual(['placed', 'stuck']);
    expect(page.report).not.toHaveProperty('rpcs');
    // A report from before histories: none.
    expect(pageLessonRunSchema.parse({ ...wire, report: { explanation: '', checks: [], passed: true, files: { reportMd: 'r.md' } } }).report).toMatchObject({ histories: [], counterexamples: [] });
  });
});

describe("a lesson's client operations", () => {
  it('in words: the request, the server asked, the answer; stale, failed and unknown said so', () => {
    expect(REPORT.histories[0].ops.map((o) => opLabel(o))).toEqual(['put x 4 → n2: ok', 'get x → n3: 3 (stale)', 'put x 5 → n2: unknown', 'get x → n3: failed', 'get x → n2: nothing', 'get x → n2: 1']);
    expect(opLabel(op({ id: 1, process: 'n1/c1', f: 'append', key: undefined, node: undefined, input: 'a', invokeMs: 0, endMs: 1 }))).toBe('append "a": ok');
    expect([clientOf('n5/c1'), clientOf('n12/c3'), clientOf(3), clientOf('n5.1')]).toEqual(['n5', 'n12', undefined, undefined]);
  });

  it("on its client's lifeline, in invocation order, a lane for each overlapping one; the counterexample's roles on the same operations", () => {
    const ops = historyOps(REPORT);
    expect(ops.map((o) => [o.client, o.label, o.fromMs - T0, o.toMs === null ? null : o.toMs - T0, o.lane, o.role ?? '-'])).toEqual([
      ['n4', 'put x 4 → n2: ok', 100, 150, 0, 'placed'],
      ['n5', 'get x → n2: nothing', 100, 104, 0, '-'],
      ['n4', 'get x → n3: 3 (stale)', 160, 200, 0, 'stuck'],
      ['n4', 'put x 5 → n2: unknown', 210, null, 0, '-'],
      // The unknown put never ended: the next operation of n4 goes beside it.
      ['n4', 'get x → n3: failed', 300, 320, 1, '-'],
    ]);
  });

  it('drawn as bars right of the lifeline; the stuck one outlined most strongly, with its caption; labels that would overlap left out', () => {
    const v: Viewport = { t0: T0, t1: T0 + 400, width: 1000, height: 434, hideHeartbeats: true };
    const columns = ['n1', 'n2', 'n3', 'n4', 'n5'].map((node, i) => ({ node, x: 50 + 100 * i }));
    const f = layoutFailure({ columns }, v, { facts: { suspicions: [], terms: [], overlap: { max: 0, overlapMs: 0, first: null } }, ops: historyOps(REPORT), lastMs: T0 + 400, clock: String });
    expect(f.ops.map((o) => [o.client, o.x1, o.y1, o.y2, o.open, o.labelAt ?? null, o.caption ?? null])).toEqual([
      ['n4', 368, 134, 184, false, { x: 377, y: 143, anchor: 'start' }, null],
      ['n5', 468, 134, 138, false, { x: 477, y: 143, anchor: 'start' }, null],
      ['n4', 368, 194, 234, false, { x: 377, y: 203, anchor: 'start' }, STUCK_CAPTION],
      // 10 px under the stuck operation's label: its caption is there.
      ['n4', 368, 244, 434, true, { x: 377, y: 253, anchor: 'start' }, null],
      ['n4', 378, 334, 354, false, { x: 387, y: 343, anchor: 'start' }, null],
    ]);
    const svg = failureSvg(f).join('\n');
    expect(svg).toContain('<rect data-op="cut:2" data-role="stuck" x="368" y="194" width="6" height="40" fill="#805ad5" stroke="#c53030" stroke-width="3">');
    expect(svg).toContain(`>${STUCK_CAPTION}</text>`);
    expect(svg).toContain('<rect data-op="cut:4" x="368" y="244" width="6" height="190" fill="#a0aec0" opacity="0.5">');
    // A diagram too narrow for the stuck one's caption right of n4: its words go left of the lifeline.
    const narrow = { ...v, width: 500 };
    const n = layoutFailure({ columns }, narrow, { facts: { suspicions: [], terms: [], overlap: { max: 0, overlapMs: 0, first: null } }, ops: historyOps(REPORT), lastMs: T0 + 400, clock: String });
    expect(n.ops.filter((o) => o.client === 'n4').map((o) => o.labelAt?.anchor)).toEqual(['start', 'end', 'end', 'start']);
    expect(n.ops.find((o) => o.role === 'stuck')!.labelAt).toEqual({ x: 322, y: 203, anchor: 'end' });
    expect(failureSvg(n).join('\n')).toContain(`<text x="322" y="214" text-anchor="end" font-size="10" fill="#c53030">${STUCK_CAPTION}</text>`);
    // Zoomed out, 3 ms a pixel: n4's labels would sit on each other; the counterexample's are kept.
    const far = { ...v, t1: T0 + 1200 };
    const g = layoutFailure({ columns }, far, { facts: { suspicions: [], terms: [], overlap: { max: 0, overlapMs: 0, first: null } }, ops: historyOps(REPORT), lastMs: T0 + 400, clock: String });
    expect(g.ops.filter((o) => o.client === 'n4').map((o) => [o.label, o.labelAt !== undefined])).toEqual([
      ['put x 4 → n2: ok', true],
      ['get x → n3: 3 (stale)', true],
      ['put x 5 → n2: unknown', false],
      ['get x → n3: failed', true],
    ]);
  });
});
