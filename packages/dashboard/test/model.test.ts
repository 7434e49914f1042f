/**
 * The page's model without a browser: the lab's state from trace lines, the diagram's layout, the
 * causal sets, and the ShiViz export with its rules, including on random executions.
 */
import { traceLineSchema, type TraceLine } from '@faultline/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CausalSelection, causalSets } from '../src/model/causality.js';
import { hitTest, LABEL_CHAR_PX, LABEL_MAX, layoutDiagram, placeLabels } from '../src/model/layout.js';
import { checkShiviz, toShiviz } from '../src/model/shiviz.js';
import { layoutToSvg } from '../src/model/svg.js';
import { TraceModel } from '../src/model/trace-model.js';

const T0 = 1_767_225_600_000;

/** Builds node events with honest vector clocks: each node ticks its own entry, a receive merges its send's. */
class Run {
  readonly lines: TraceLine[] = [];
  private readonly vc = new Map<string, Record<string, number>>();
  private readonly sent = new Map<string, Record<string, number>>();
  private t = T0;

  private push(line: Record<string, unknown>, ms = 10): TraceLine {
    this.t += ms;
    const parsed = traceLineSchema.parse({ seq: this.lines.length + 1, trueMs: this.t, ...line });
    this.lines.push(parsed);
    return parsed;
  }

  private tick(node: string, merge?: Record<string, number>): Record<string, number> {
    const vc = { ...(this.vc.get(node) ?? {}) };
    for (const [k, v] of Object.entries(merge ?? {})) vc[k] = Math.max(vc[k] ?? 0, v);
    vc[node] = (vc[node] ?? 0) + 1;
    this.vc.set(node, vc);
    return vc;
  }

  private clocks(node: string, vc: Record<string, number>, offset = 0): Record<string, unknown> {
    return { trueMs: this.t + 10, wallMs: this.t + 10 + offset, lamport: Object.values(vc).reduce((a, b) => a + b, 0), vc, hlc: { wallMs: this.t, logical: 0 } };
  }

  start(nodes: number): this {
    this.push({ kind: 'run_start', seed: '3', config: { nodes } });
    return this;
  }

  send(node: string, to: string, msg: string, msgType = 'echo', offset = 0): this {
    const vc = this.tick(node);
    this.sent.set(msg, vc);
    this.push({ node, clocks: this.clocks(node, vc, offset), kind: 'send', to, msg, msgType, size: 10 });
    return this;
  }

  receive(node: string, from: string, msg: string, msgType = 'echo'): this {
    const vc = this.tick(node, this.sent.get(msg));
    this.push({ node, clocks: this.clocks(node, vc), kind: 'receive', from, msg, msgType, size: 10, sentWall: this.t });
    return this;
  }

  local(node: string, label = 'x'): this {
    const vc = this.tick(node);
    this.push({ node, clocks: this.clocks(node, vc), kind: 'local', label });
    return this;
  }

  lab(event: Record<string, unknown>): this {
    this.push(event);
    return this;
  }
}

const viewport = (m: TraceModel) => ({ t0: m.firstMs, t1: m.lastMs + 1, width: 600, height: 400, hideHeartbeats: true });

describe('TraceModel: the lab state a trace implies', () => {
  it('node states through crash, revive, pause, resume; link faults through partition, block, heal, link faults, hold', () => {
    const r = new Run()
      .start(3)
      .lab({ node: 'n1', kind: 'node_start', pid: 11, port: 1, clocks: undefined })
      .lab({ node: 'n2', kind: 'crash', signal: 'SIGKILL' })
      .lab({ node: 'n3', kind: 'pause' })
      .lab({ kind: 'fault', action: 'set', fault: 'partition n1 n2,n3', links: ['n1-n2', 'n1-n3', 'n2-n1', 'n3-n1'] })
      .lab({ kind: 'fault', action: 'set', fault: 'link n2-n3 drop 10%, latency 200ms', links: ['n2-n3'] })
      .lab({ kind: 'fault', action: 'set', fault: 'hold n3 n2', links: ['n3-n2'] });
    const m = new TraceModel();
    m.add(r.lines);
    expect([...m.nodes.values()].map((n) => [n.id, n.state])).toEqual([['n1', 'up'], ['n2', 'killed'], ['n3', 'paused']]);
    expect([...m.links.values()].filter((l) => l.cut).map((l) => l.name).sort()).toEqual(['n1-n2', 'n1-n3', 'n2-n1', 'n3-n1']);
    expect(m.links.get('n2-n3')!.faults).toEqual(['drop 10%', 'latency 200ms']);
    expect(m.links.get('n3-n2')!.held).toBe(true);
    const more = [
      traceLineSchema.parse({ seq: 100, trueMs: m.lastMs + 5, kind: 'fault', action: 'clear', fault: 'heal', links: [] }),
      traceLineSchema.parse({ seq: 101, trueMs: m.lastMs + 6, kind: 'fault', action: 'set', fault: 'block n1 n2', links: ['n1-n2'] }),
      traceLineSchema.parse({ seq: 102, trueMs: m.lastMs + 7, kind: 'fault', action: 'set', fault: 'link n2-n3 no drop', links: ['n2-n3'] }),
      traceLineSchema.parse({ seq: 103, trueMs: m.lastMs + 8, node: 'n2', kind: 'revive', pid: 99 }),
      traceLineSchema.parse({ seq: 104, trueMs: m.lastMs + 9, kind: 'fault', action: 'clear', fault: 'release n3 n2', links: ['n3-n2'] }),
    ];
    m.add(more);
    expect([...m.links.values()].filter((l) => l.cut).map((l) => l.name)).toEqual(['n1-n2']);
    expect(m.links.get('n2-n3')!.faults).toEqual(['latency 200ms']);
    expect(m.links.get('n3-n2')!.held).toBe(false);
    expect(m.nodes.get('n2')).toMatchObject({ state: 'reviving', pid: 99 });
    expect(m.cuts.map((c) => [c.fault, c.toMs !== undefined])).toEqual([['partition n1 n2,n3', true], ['block n1 n2', false]]);
  });

  it('a new partition ends the last partition but not a block; link clear ends a hold', () => {
    const m = new TraceModel();
    const at = (seq: number, l: Record<string, unknown>): TraceLine => traceLineSchema.parse({ seq, trueMs: T0 + seq, ...l });
    m.add([
      at(1, { kind: 'run_start', seed: '1', config: { nodes: 3 } }),
      at(2, { kind: 'fault', action: 'set', fault: 'block n1 n2', links: ['n1-n2'] }),
      at(3, { kind: 'fault', action: 'set', fault: 'partition n3 n1,n2', links: ['n1-n3', 'n3-n1', 'n2-n3', 'n3-n2'] }),
      at(4, { kind: 'fault', action: 'set', fault: 'partition n2 n1,n3', links: ['n1-n2', 'n2-n1', 'n2-n3', 'n3-n2'] }),
      at(5, { kind: 'fault', action: 'set', fault: 'hold n3 n1', links: ['n3-n1'] }),
      at(6, { kind: 'fault', action: 'clear', fault: 'link clear n3 n1', links: ['n3-n1'] }),
    ]);
    const cut = [...m.links.values()].filter((l) => l.cut).map((l) => `${l.name} ${l.cut}`).sort();
    expect(cut).toEqual(['n1-n2 block n1 n2', 'n2-n1 partition n2 n1,n3', 'n2-n3 partition n2 n1,n3', 'n3-n2 partition n2 n1,n3']);
    expect(m.links.get('n3-n1')!.held).toBe(false);
  });

  it('lines arriving out of order go to their place in true time; a line seen twice counts once', () => {
    const r = new Run().start(2).send('n1', 'n2', 'a').receive('n2', 'n1', 'a').local('n1');
    const m = new TraceModel();
    m.add([r.lines[2], r.lines[0], r.lines[3], r.lines[1], r.lines[2]]);
    expect(m.lines.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    expect(m.messages.get('a')!.receives).toHaveLength(1);
  });

  it('wall time per node from its skewed clock', () => {
    const r = new Run().start(2).send('n1', 'n2', 'a', 'echo', 60_000).receive('n2', 'n1', 'a');
    const m = new TraceModel();
    m.add(r.lines);
    const t = r.lines[1].clocks!.trueMs;
    expect(m.wallAt('n1', t + 5)! - (t + 5)).toBe(60_000);
    expect(m.wallAt('n2', t + 50)! - (t + 50)).toBe(0);
  });
});

describe('layout', () => {
  it('an arrow a delivery (two for a duplicate), ✗ for a drop, a dashed wait for a held message, marks for crashes', () => {
    const r = new Run()
      .start(3)
      .send('n1', 'n2', 'a')
      .lab({ kind: 'proxy', action: 'duplicated', link: 'n1-n2', msg: 'a', msgType: 'echo', size: 10 })
      .receive('n2', 'n1', 'a')
      .receive('n2', 'n1', 'a')
      .send('n1', 'n3', 'b')
      .lab({ kind: 'proxy', action: 'dropped', link: 'n1-n3', msg: 'b', msgType: 'echo', size: 10 })
      .send('n2', 'n3', 'c')
      .lab({ kind: 'proxy', action: 'held', link: 'n2-n3', msg: 'c', msgType: 'echo', size: 10 })
      .lab({ node: 'n3', kind: 'crash', signal: 'SIGKILL' });
    const m = new TraceModel();
    m.add(r.lines);
    const layout = layoutDiagram(m, viewport(m));
    expect(layout.arrows.map((a) => `${a.msg} ${a.kind}`)).toEqual(['a message', 'a duplicate', 'b dropped', 'c held']);
    const drop = layout.arrows.find((a) => a.kind === 'dropped')!;
    expect(drop.x2).toBeCloseTo(layout.columns[0].x + (layout.columns[2].x - layout.columns[0].x) * 0.4);
    expect(layout.columns.map((c) => c.x)).not.toContain(drop.x2);
    expect(layout.marks.filter((k) => k.glyph === 'crash').map((k) => k.node)).toEqual(['n3']);
    expect(layout.segments).toEqual([expect.objectContaining({ node: 'n3', state: 'killed' })]);
    // Replay: before the receives happened, message a has no arrow yet.
    const early = layoutDiagram(m, { ...viewport(m), untilMs: r.lines[1].trueMs });
    expect(early.arrows).toEqual([]);
    const svg = layoutToSvg(layout, 600, 400, 'test', String);
    expect(svg.match(/<line data-msg=/g)).toHaveLength(4);
    expect(svg).toMatch(/<path d="M[^"]+" fill="none" stroke="#c53030" stroke-width="2"\/>/);
  });

  it('the SVG export draws every mark and arrow end as a shape, not as a symbol some fonts lack', () => {
    const r = new Run()
      .start(3)
      .send('n1', 'n2', 'a')
      .lab({ node: 'n1', kind: 'rpc_timeout', msg: 'a', msgType: 'echo', to: 'n2', timeoutMs: 300, attempt: 1 })
      .lab({ kind: 'proxy', action: 'dropped', link: 'n1-n2', msg: 'a', msgType: 'echo', size: 10 })
      .send('n2', 'n3', 'c')
      .lab({ kind: 'proxy', action: 'held', link: 'n2-n3', msg: 'c', msgType: 'echo', size: 10 })
      .lab({ node: 'n3', kind: 'pause' })
      .lab({ node: 'n3', kind: 'resume' })
      .lab({ node: 'n2', kind: 'crash', signal: 'SIGKILL' })
      .lab({ node: 'n2', kind: 'revive', pid: 7 });
    const m = new TraceModel();
    m.add(r.lines);
    const layout = layoutDiagram(m, viewport(m));
    expect(layout.marks.map((k) => k.glyph).sort()).toEqual(['crash', 'pause', 'resume', 'revive', 'send', 'send', 'timeout']);
    const svg = layoutToSvg(layout, 600, 400, 'test', String);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]);
    expect(texts.length).toBeGreaterThan(0);
    // Only printable ASCII is written as text: node names and clock readings.
    expect(texts.filter((t) => /[^\x20-\x7e]/.test(t))).toEqual([]);
    for (const k of layout.marks.filter((mk) => mk.glyph !== 'send')) expect(svg).toContain(`<path data-seq="${k.seq}" d="M`);
    expect(svg.match(/<path d="M/g)).toHaveLength(2);
  });

  it('skips heartbeats unless asked, and draws only the visible stretch of time', () => {
    const r = new Run().start(2).send('n1', 'n2', 'h', 'heartbeat').receive('n2', 'n1', 'h', 'heartbeat').send('n1', 'n2', 'x').receive('n2', 'n1', 'x');
    const m = new TraceModel();
    m.add(r.lines);
    expect(layoutDiagram(m, viewport(m)).arrows.map((a) => a.msg)).toEqual(['x']);
    expect(layoutDiagram(m, { ...viewport(m), hideHeartbeats: false }).arrows.map((a) => a.msg)).toEqual(['h', 'x']);
    expect(layoutDiagram(m, { ...viewport(m), t0: m.lastMs + 1000, t1: m.lastMs + 2000 }).marks).toEqual([]);
  });

  it("each arrow is labelled with its message's type (a hosted program's own: gossip …) where it fits, in plain ASCII", () => {
    const long = 'a_message_type_far_too_long_to_write';
    const r = new Run()
      .start(3)
      .send('n1', 'n2', 'g', 'gossip').receive('n2', 'n1', 'g', 'gossip')
      .send('n2', 'n1', 'k', 'gossip_ok').receive('n1', 'n2', 'k', 'gossip_ok')
      .send('n1', 'n2', 'h', 'heartbeat').receive('n2', 'n1', 'h', 'heartbeat')
      .send('n3', 'n1', 'u', 'gössip').receive('n1', 'n3', 'u', 'gössip')
      .send('n1', 'n3', 'l', long)
      .lab({ kind: 'proxy', action: 'dropped', link: 'n1-n3', msg: 'l', msgType: long, size: 10 });
    const m = new TraceModel();
    m.add(r.lines);
    const layout = layoutDiagram(m, { ...viewport(m), hideHeartbeats: false });
    expect(layout.arrows.map((a) => a.label)).toEqual(['gossip', 'gossip_ok', 'heartbeat', 'g?ssip', `${long.slice(0, LABEL_MAX - 1)}~`]);
    // Every one but the heartbeat, beside its arrow's middle.
    expect(layout.labels.map((l) => l.text)).toEqual(['gossip', 'gossip_ok', 'g?ssip', `${long.slice(0, LABEL_MAX - 1)}~`]);
    const g = layout.arrows[0];
    expect(layout.labels[0]).toMatchObject({ msg: 'g', x: (g.x1 + g.x2) / 2 + 3, y: (g.y1 + g.y2) / 2 - 3 });
    const svg = layoutToSvg(layout, 600, 400, 'test', String);
    expect([...svg.matchAll(/<text data-label="[^"]+"[^>]*>([^<]*)<\/text>/g)].map((t) => t[1])).toEqual(layout.labels.map((l) => l.text));
  });

  it('labels that would overlap are left out (the earliest stays), and none are written zoomed out', () => {
    const r = new Run().start(2);
    // Many messages in a short time on a small drawing: their middles fall on one another.
    for (let i = 0; i < 40; i++) r.send('n1', 'n2', `m${i}`, 'gossip').receive('n2', 'n1', `m${i}`, 'gossip');
    const m = new TraceModel();
    m.add(r.lines);
    const layout = layoutDiagram(m, { ...viewport(m), height: 200 });
    expect(layout.arrows).toHaveLength(40);
    expect(layout.labels[0].msg).toBe('m0');
    expect(layout.labels.length).toBeGreaterThan(1);
    expect(layout.labels.length).toBeLessThan(40);
    for (const [i, a] of layout.labels.entries()) for (const b of layout.labels.slice(i + 1)) expect(Math.abs(a.y - b.y) >= 11 || a.x + a.text.length * LABEL_CHAR_PX <= b.x || b.x + b.text.length * LABEL_CHAR_PX <= a.x, `${a.msg} and ${b.msg}`).toBe(true);
    expect(placeLabels(layout.arrows, true)).toEqual([]);
  });
});

describe('causality', () => {
  it('past, future and concurrent of an event by vector clocks', () => {
    const r = new Run().start(3).local('n3').send('n1', 'n2', 'a').receive('n2', 'n1', 'a').send('n2', 'n3', 'b').receive('n3', 'n2', 'b').local('n1');
    const recvA = r.lines[3];
    const sets = causalSets(r.lines, recvA);
    expect([...sets.past]).toEqual([3]);
    expect([...sets.future].sort()).toEqual([5, 6]);
    expect([...sets.concurrent].sort()).toEqual([2, 7]);
  });
});

describe('causality, live', () => {
  it('an event selected early: lines that arrive later join its future or its concurrent set', () => {
    const r = new Run().start(3).send('n1', 'n2', 'a').receive('n2', 'n1', 'a').local('n3').send('n2', 'n3', 'b').receive('n3', 'n2', 'b').local('n1');
    const m = new TraceModel();
    m.add(r.lines.slice(0, 3));
    const selection = new CausalSelection(r.lines[1]);
    expect([...selection.update(m).future]).toEqual([3]);
    // Arriving after the click, out of order: the receive of b before its send.
    m.add([r.lines[5], r.lines[3], r.lines[4], r.lines[6]]);
    const sets = selection.update(m);
    expect([...sets.future].sort()).toEqual([3, 5, 6, 7]);
    expect([...sets.concurrent]).toEqual([4]);
    expect(sets).toEqual(causalSets(m.lines, r.lines[1]));
  });
});

describe('hit test', () => {
  it('a click anywhere along a message arrow selects its send; a click on a mark selects the mark', () => {
    const r = new Run().start(3).send('n1', 'n3', 'a').lab({ kind: 'proxy', action: 'dropped', link: 'n1-n3', msg: 'a', msgType: 'echo', size: 10 }).send('n1', 'n2', 'b').receive('n2', 'n1', 'b');
    const m = new TraceModel();
    m.add(r.lines);
    const layout = layoutDiagram(m, viewport(m));
    const b = layout.arrows.find((a) => a.msg === 'b')!;
    const drop = layout.arrows.find((a) => a.kind === 'dropped')!;
    for (const f of [0.25, 0.5, 0.75]) {
      const at = (a: typeof b): [number, number] => [a.x1 + (a.x2 - a.x1) * f, a.y1 + (a.y2 - a.y1) * f];
      expect(hitTest(layout, ...at(b))).toEqual({ seq: 4, msg: 'b' });
      expect(hitTest(layout, ...at(drop))).toEqual({ seq: 2, msg: 'a' });
    }
    // Beside the line, nothing; on its end, the mark itself.
    expect(hitTest(layout, (b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2 + 20)).toBeUndefined();
    expect(hitTest(layout, b.x2, b.y2)).toEqual({ seq: 5 });
  });
});

describe('ShiViz export', () => {
  it('follows ShiViz: host keys, own entry from 1 rising by exactly 1, even with heartbeats left out', () => {
    const r = new Run().start(2).send('n1', 'n2', 'h', 'heartbeat').receive('n2', 'n1', 'h', 'heartbeat').send('n1', 'n2', 'x').receive('n2', 'n1', 'x').local('n2');
    const text = toShiviz(r.lines);
    expect(checkShiviz(text)).toEqual([]);
    expect(text.split('\n').slice(2).filter((_, i) => i % 2 === 1).filter(Boolean)).toEqual(['n1 {"n1":1}', 'n2 {"n1":1,"n2":1}', 'n2 {"n1":1,"n2":2}']);
    expect(checkShiviz(toShiviz(r.lines, { hideHeartbeats: false }))).toEqual([]);
  });

  it('the checker finds what breaks the rules', () => {
    expect(checkShiviz('re\n\nev\nn1 {"n1":2}\n')).toEqual(["line 4: n1's own entry is 2, expected 1"]);
    expect(checkShiviz('re\n\nev\nn1 {"n2":1}\n')[0]).toMatch(/no entry for its host n1/);
    expect(checkShiviz('re\n\nev\nnot a clock\n')[0]).toMatch(/expected "host \{clock\}"/);
  });

  it('any random execution exports a log that obeys ShiViz', () => {
    const step = fc.record({ kind: fc.constantFrom('send', 'local', 'deliver'), a: fc.integer({ min: 1, max: 4 }), b: fc.integer({ min: 1, max: 4 }), hb: fc.boolean() });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const r = new Run().start(4);
        const inFlight: { msg: string; from: string; to: string; type: string }[] = [];
        steps.forEach((s, i) => {
          const a = `n${s.a}`;
          const b = `n${s.b === s.a ? (s.a % 4) + 1 : s.b}`;
          if (s.kind === 'send') {
            const msg = `m${i}`;
            const type = s.hb ? 'heartbeat' : 'echo';
            r.send(a, b, msg, type);
            inFlight.push({ msg, from: a, to: b, type });
          } else if (s.kind === 'deliver' && inFlight.length > 0) {
            const m = inFlight.splice(i % inFlight.length, 1)[0];
            r.receive(m.to, m.from, m.msg, m.type);
          } else r.local(a);
        });
        expect(checkShiviz(toShiviz(r.lines))).toEqual([]);
        expect(checkShiviz(toShiviz(r.lines, { hideHeartbeats: false }))).toEqual([]);
        // The same lines all in one millisecond and reaching the lab in reverse: still a valid log.
        const squashed = r.lines.map((l, i) => ({ ...l, trueMs: T0, seq: r.lines.length - i }));
        expect(checkShiviz(toShiviz(squashed))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('a receive is logged after its send even when its line came first in the same millisecond', () => {
    const r = new Run().start(2).send('n1', 'n2', 'm').receive('n2', 'n1', 'm').send('n2', 'n1', 'p').receive('n1', 'n2', 'p');
    const [start, sendM, recvM, sendP, recvP] = r.lines;
    const same = [start, { ...recvM, seq: 2, trueMs: T0 }, { ...sendP, seq: 3, trueMs: T0 }, { ...sendM, seq: 4, trueMs: T0 }, { ...recvP, seq: 5, trueMs: T0 + 1 }] as TraceLine[];
    const text = toShiviz(same);
    expect(checkShiviz(text)).toEqual([]);
    expect(text.split('\n').slice(2).filter((_, i) => i % 2 === 1).filter(Boolean)).toEqual(['n1 {"n1":1}', 'n2 {"n1":1,"n2":1}', 'n2 {"n1":1,"n2":2}', 'n1 {"n1":2,"n2":2}']);
    // And the checker sees a log that gets it wrong.
    expect(checkShiviz('re\n\nreceive echo m from n1 [#2]\nn2 {"n2":1}\nsend echo m to n2 [#1]\nn1 {"n1":1}\n')).toEqual(['line 3: m is received before it is sent']);
    expect(checkShiviz('re\n\nsend echo m to n2 [#1]\nn1 {"n1":1}\nreceive echo m from n1 [#2]\nn2 {"n2":1}\n')).toEqual(['line 6: the receive of m is not after its send by the clocks']);
  });
});
