/**
 * Leaders in true time, on hand-made traces: two leaders at once (split brain) and the writes lost
 * on healing, a clean handover, a paused leader bounded by its lease, a crash ending a term.
 */
import { describe, expect, it } from 'vitest';
import { leaderships, lostLeaderWrites, overlappingLeaders } from '../src/index.js';
import { TraceBuilder } from './support/trace-builder.js';

/** A `state` line of the `leader` behaviour, `ms` after the last line. */
const state = (b: TraceBuilder, node: string, key: string, value: unknown, ms = 1): TraceBuilder => b.add({ node, kind: 'state', behaviour: 'leader', key, value }, ms);
const start = (b: TraceBuilder): number => b.lines[0].trueMs;

describe('leaders: split brain without quorum', () => {
  it('finds two leaders at once, for how long, and the acknowledged writes the old one lost', () => {
    const b = new TraceBuilder();
    state(b, 'n1', 'leader', { term: 1, quorum: false });
    const t0 = start(b);
    state(b, 'n1', 'accepted', { key: 'k', value: 'a1', term: 1 }, 500);
    state(b, 'n3', 'leader', { term: 2, quorum: false }, 1500); // t0 + 2000
    state(b, 'n3', 'accepted', { key: 'k', value: 'b1', term: 2 }, 100);
    state(b, 'n1', 'accepted', { key: 'k', value: 'a2', term: 1 }, 100);
    state(b, 'n1', 'step_down', { term: 1, reason: 'n3 leads term 2', was: 'leader' }, 800); // t0 + 3000
    state(b, 'n1', 'follow', { leader: 'n3', term: 2 }, 0);
    const dropped = [
      { key: 'k', value: 'a1', term: 1 },
      { key: 'k', value: 'a2', term: 1 },
    ];
    state(b, 'n1', 'adopt', { leader: 'n3', term: 2, dropped }, 0);
    state(b, 'n2', 'adopt', { leader: 'n3', term: 2, dropped }, 5);

    expect(leaderships(b.lines)).toEqual([
      { node: 'n1', term: 1, quorum: false, fromTrueMs: t0, toTrueMs: t0 + 3000, ended: 'step_down' },
      { node: 'n3', term: 2, quorum: false, fromTrueMs: t0 + 2000, toTrueMs: null, ended: 'end' },
    ]);
    expect(overlappingLeaders(b.lines)).toEqual({
      max: 2,
      overlapMs: 1000,
      first: {
        atTrueMs: t0 + 2000,
        leaders: [
          { node: 'n1', term: 1 },
          { node: 'n3', term: 2 },
        ],
      },
    });
    // Each lost write once, though two nodes dropped it; n3's write is not lost.
    expect(lostLeaderWrites(b.lines)).toEqual([
      { node: 'n1', key: 'k', value: 'a1', term: 1, acceptedTrueMs: t0 + 500 },
      { node: 'n1', key: 'k', value: 'a2', term: 1, acceptedTrueMs: t0 + 2200 },
    ]);
  });

  it('counts a dropped value as lost only if it was acknowledged before, and as many times as one adopt dropped it', () => {
    const b = new TraceBuilder();
    state(b, 'n1', 'leader', { term: 1, quorum: false });
    state(b, 'n2', 'adopt', { leader: 'n3', term: 2, dropped: [{ key: 'k', value: 'x', term: 1 }] });
    state(b, 'n1', 'accepted', { key: 'k', value: 'x', term: 1 });
    state(b, 'n1', 'accepted', { key: 'k', value: 'x', term: 1 });
    state(b, 'n1', 'accepted', { key: 'k', value: { deep: [1] }, term: 1 });
    state(b, 'n1', 'adopt', { leader: 'n3', term: 2, dropped: [{ key: 'k', value: 'x', term: 1 }, { key: 'k', value: { deep: [1] }, term: 1 }, { key: 'k', value: 'x', term: 3 }] });
    expect(lostLeaderWrites(b.lines).map((w) => [w.value, w.acceptedTrueMs - start(b)])).toEqual([
      ['x', 2],
      [{ deep: [1] }, 4],
    ]);
  });
});

describe('leaders: with quorum', () => {
  it('a clean handover: the old leader`s lease ends, then the new one leads; never two at once', () => {
    const b = new TraceBuilder();
    state(b, 'n1', 'leader', { term: 1, quorum: true, votes: ['n1', 'n2', 'n3'], leaseMs: 1000, leftMs: 1000 });
    const t0 = start(b);
    state(b, 'n1', 'lease', { term: 1, leftMs: 1000 }, 200);
    state(b, 'n1', 'lease', { term: 1, leftMs: 1000 }, 200); // t0 + 400: lease until t0 + 1400
    state(b, 'n1', 'step_down', { term: 1, reason: 'lease expired: no majority answered', was: 'leader' }, 1000);
    state(b, 'n3', 'candidate', { term: 2 }, 1000);
    state(b, 'n3', 'leader', { term: 2, quorum: true, votes: ['n3', 'n4', 'n5'], leaseMs: 1000, leftMs: 1000 }, 0);
    state(b, 'n3', 'lease', { term: 2, leftMs: 1000 }, 200);
    expect(leaderships(b.lines)).toEqual([
      { node: 'n1', term: 1, quorum: true, fromTrueMs: t0, toTrueMs: t0 + 1400, ended: 'step_down' },
      { node: 'n3', term: 2, quorum: true, fromTrueMs: t0 + 2400, toTrueMs: null, ended: 'end' },
    ]);
    expect(overlappingLeaders(b.lines)).toEqual({ max: 1, overlapMs: 0, first: null });
  });

  it('a handover at one instant is no overlap; a candidate`s step_down ends nothing', () => {
    const b = new TraceBuilder();
    state(b, 'n1', 'leader', { term: 1, quorum: false });
    state(b, 'n2', 'candidate', { term: 1 }, 10);
    state(b, 'n2', 'step_down', { term: 1, reason: 'n1 leads term 1', was: 'candidate' }, 0);
    state(b, 'n1', 'step_down', { term: 1, reason: 'n3 leads term 2', was: 'leader' }, 100);
    state(b, 'n3', 'leader', { term: 2, quorum: false }, 0);
    expect(leaderships(b.lines).map((l) => [l.node, l.ended])).toEqual([
      ['n1', 'step_down'],
      ['n3', 'end'],
    ]);
    expect(overlappingLeaders(b.lines)).toEqual({ max: 1, overlapMs: 0, first: null });
  });

  it('bounds a paused leader by its lease: it says it steps down only once resumed, long after', () => {
    const b = new TraceBuilder();
    state(b, 'n1', 'leader', { term: 1, quorum: true, votes: ['n1', 'n2', 'n3'], leaseMs: 1000, leftMs: 990 });
    const t0 = start(b);
    state(b, 'n1', 'lease', { term: 1, leftMs: 1000 }, 200); // until t0 + 1200
    b.lab('n1', { kind: 'pause' }, 100);
    state(b, 'n3', 'leader', { term: 2, quorum: true, votes: ['n3', 'n4', 'n5'], leaseMs: 1000, leftMs: 1000 }, 2200); // t0 + 2500
    b.lab('n1', { kind: 'resume' }, 1500);
    state(b, 'n1', 'step_down', { term: 1, reason: 'lease expired: no majority answered', was: 'leader' }, 1); // t0 + 4001
    const [n1, n3] = leaderships(b.lines);
    expect(n1).toEqual({ node: 'n1', term: 1, quorum: true, fromTrueMs: t0, toTrueMs: t0 + 1200, ended: 'lease' });
    // (n3's lease is never renewed in this trace: it ends too, before the trace does.)
    expect(n3).toMatchObject({ node: 'n3', fromTrueMs: t0 + 2500, toTrueMs: t0 + 3500, ended: 'lease' });
    expect(overlappingLeaders(b.lines).max).toBe(1);
    // Without quorum nothing bounds it: the paused leader overlaps n3 until it says it stepped down.
    const naive = new TraceBuilder();
    state(naive, 'n1', 'leader', { term: 1, quorum: false });
    naive.lab('n1', { kind: 'pause' }, 300);
    state(naive, 'n3', 'leader', { term: 2, quorum: false }, 2200);
    naive.lab('n1', { kind: 'resume' }, 1500);
    state(naive, 'n1', 'step_down', { term: 1, reason: 'n3 leads term 2', was: 'leader' }, 1);
    expect(overlappingLeaders(naive.lines)).toMatchObject({ max: 2, overlapMs: 1501 });
  });

  it('ends a lease with no line after it at the trace`s end, and reads leaseMs when the leader line has no leftMs', () => {
    const b = new TraceBuilder();
    state(b, 'n1', 'leader', { term: 1, quorum: true, leaseMs: 1000 });
    const t0 = start(b);
    b.lab('n1', { kind: 'pause' }, 10);
    b.lab(undefined, { kind: 'fault', action: 'set', fault: 'partition n1 n2', links: ['n1-n2'] }, 2000);
    expect(leaderships(b.lines)).toEqual([{ node: 'n1', term: 1, quorum: true, fromTrueMs: t0, toTrueMs: t0 + 1000, ended: 'lease' }]);
  });
});

describe('leaders: crashes', () => {
  it('ends a term when its node crashes or exits, or starts a new life', () => {
    const b = new TraceBuilder();
    state(b, 'n1', 'leader', { term: 1, quorum: false });
    const t0 = start(b);
    b.lab('n1', { kind: 'crash', signal: 'SIGKILL' }, 300);
    state(b, 'n3', 'leader', { term: 2, quorum: false }, 2000);
    b.lab('n3', { kind: 'exit', code: 1, signal: null }, 100);
    state(b, 'n4', 'leader', { term: 3, quorum: false }, 100);
    b.add({ node: 'n4', kind: 'node_start', pid: 4343, port: 5004, incarnation: 2 }, 100);
    expect(leaderships(b.lines)).toEqual([
      { node: 'n1', term: 1, quorum: false, fromTrueMs: t0, toTrueMs: t0 + 300, ended: 'crash' },
      { node: 'n3', term: 2, quorum: false, fromTrueMs: t0 + 2300, toTrueMs: t0 + 2400, ended: 'crash' },
      { node: 'n4', term: 3, quorum: false, fromTrueMs: t0 + 2500, toTrueMs: t0 + 2600, ended: 'crash' },
    ]);
    expect(overlappingLeaders(b.lines)).toEqual({ max: 1, overlapMs: 0, first: null });
  });

  it('ignores lines that are not the leader behaviour`s, or whose value is not its', () => {
    const b = new TraceBuilder();
    b.state('n1', 'leader', { term: 1, quorum: false }); // behaviour `service`
    state(b, 'n2', 'leader', { term: 'one' });
    state(b, 'n3', 'step_down', { term: 1 });
    expect(leaderships(b.lines)).toEqual([]);
    expect(overlappingLeaders([])).toEqual({ max: 0, overlapMs: 0, first: null });
    expect(lostLeaderWrites(b.lines)).toEqual([]);
  });
});
