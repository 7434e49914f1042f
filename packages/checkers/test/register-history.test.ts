/**
 * The register's history, lost updates and siblings on hand-made traces: the lesson's story (a
 * clock 2 s behind throws away a write made after a read), concurrent writes under wall clocks and
 * under vector clocks, a replica that restarts and reuses a write id.
 */
import { describe, expect, it } from 'vitest';
import { lostUpdates, registerHistory, siblings } from '../src/index.js';
import { ClockLab } from './support/clock-lab.js';

/** n1 writes `first`; n3 (2 s behind) gets it, reads it, writes `second`, which every copy discards. */
function skewedStory() {
  const lab = new ClockLab().skew('n3', -2000);
  const first = lab.write('n1', 'x', 'first');
  lab.decide('n1', 'apply', first).gossip('n1', 'n2', first, 3).decide('n2', 'apply', first).gossip('n1', 'n3', first, 3).decide('n3', 'apply', first);
  lab.read('n3', 'x', [first]).wait(50);
  const second = lab.write('n3', 'x', 'second');
  lab.decide('n3', 'discard', second, [first]).gossip('n3', 'n1', second, 3).decide('n1', 'discard', second, [first]).gossip('n3', 'n2', second, 3).decide('n2', 'discard', second, [first]);
  return { lab, first, second };
}

describe('register history', () => {
  it('lists the writes with their origin and stamp, every decision, and each write kept or lost', () => {
    const { lab, first, second } = skewedStory();
    const h = registerHistory(lab.lines);
    expect(h.writes.map((w) => [w.id, w.node, w.value, w.fate, w.heldBy, w.lostTo])).toEqual([
      ['n1/w1', 'n1', 'first', 'kept', ['n1', 'n2', 'n3'], []],
      ['n3/w2', 'n3', 'second', 'lost', [], ['n1/w1']],
    ]);
    const writeLine = lab.lines.find((l) => l.kind === 'state' && l.key === 'write' && l.node === 'n3')!;
    expect(h.writes[1]).toMatchObject({ seq: writeLine.seq, trueMs: writeLine.trueMs, stamp: second.stamp, decidedBy: ['n1', 'n2', 'n3'] });
    expect(h.writes[0].stamp).toEqual(first.stamp);
    expect(h.decisions.map((d) => `${d.node} ${d.kind} ${d.write} [${d.others.join(' ')}]`)).toEqual([
      'n1 apply n1/w1 []',
      'n2 apply n1/w1 []',
      'n3 apply n1/w1 []',
      'n3 discard n3/w2 [n1/w1]',
      'n1 discard n3/w2 [n1/w1]',
      'n2 discard n3/w2 [n1/w1]',
    ]);
    expect(h.decisions[3]).toMatchObject({ key: 'x', resolution: 'wall' });
  });

  it('calls a write lost that a later write replaced (a lost update only when the winner came earlier)', () => {
    const lab = new ClockLab();
    const a = lab.write('n1', 'x', 'a');
    lab.decide('n1', 'apply', a).gossip('n1', 'n2', a).decide('n2', 'apply', a).wait(10);
    const b = lab.write('n2', 'x', 'b');
    lab.decide('n2', 'overwrite', b, [a]).gossip('n2', 'n1', b).decide('n1', 'overwrite', b, [a]);
    expect(registerHistory(lab.lines).writes.map((w) => [w.id, w.fate, w.lostTo])).toEqual([
      ['n1/w1', 'lost', ['n2/w2']],
      ['n2/w2', 'kept', []],
    ]);
    expect(lostUpdates(lab.lines)).toEqual([]);
  });

  it('keeps to one key when asked', () => {
    const lab = new ClockLab();
    lab.decide('n1', 'apply', lab.write('n1', 'x', 1));
    lab.decide('n1', 'apply', lab.write('n1', 'y', 2));
    expect(registerHistory(lab.lines, { key: 'y' }).writes.map((w) => w.value)).toEqual([2]);
    expect(registerHistory(lab.lines, { key: 'y' }).decisions.map((d) => d.key)).toEqual(['y']);
    expect(registerHistory(lab.lines, { key: 'z' })).toEqual({ writes: [], decisions: [] });
  });

  it('tells apart two lives of a replica that reuse a write id, by their stamps', () => {
    const lab = new ClockLab();
    const old = lab.write('n2', 'k', 'old', 'n2/w1');
    lab.decide('n2', 'apply', old).gossip('n2', 'n1', old).decide('n1', 'apply', old);
    lab.restart('n2').wait(100);
    const again = lab.write('n2', 'k', 'again', 'n2/w1');
    lab.decide('n2', 'apply', again).gossip('n2', 'n1', again).decide('n1', 'overwrite', again, [old]);
    const h = registerHistory(lab.lines);
    expect(h.writes.map((w) => [w.value, w.fate, w.decidedBy, w.heldBy])).toEqual([
      ['old', 'lost', ['n1'], []],
      ['again', 'kept', ['n1', 'n2'], ['n1', 'n2']],
    ]);
    expect(siblings(lab.lines, { node: 'n2', key: 'k' })).toMatchObject({ ids: ['n2/w1'], values: ['again'], from: 'decision' });
  });
});

describe('lost updates', () => {
  it('finds the write made after a read of the winner, and says it was causally after it', () => {
    const { lab, first, second } = skewedStory();
    const lost = lostUpdates(lab.lines);
    expect(lost).toHaveLength(1); // discarded on three replicas, counted once
    const [u] = lost;
    expect([u.write.id, u.winner.id, u.causallyAfter]).toEqual([second.id, first.id, true]);
    expect(u.laterByMs).toBe(u.write.trueMs - u.winner.trueMs);
    expect(u.laterByMs).toBeGreaterThan(50);
    expect(u.decision).toMatchObject({ node: 'n3', kind: 'discard' });
    expect(lostUpdates(lab.lines, { key: 'other' })).toEqual([]);
  });

  it('counts a write overwritten by an earlier, concurrent one, once, not causally after it', () => {
    const lab = new ClockLab().skew('n3', -2000);
    const a = lab.write('n1', 'x', 'a');
    lab.decide('n1', 'apply', a).wait(10);
    const b = lab.write('n3', 'x', 'b');
    lab.decide('n3', 'apply', b);
    lab.gossip('n1', 'n3', a).decide('n3', 'overwrite', a, [b]);
    lab.gossip('n3', 'n1', b).decide('n1', 'discard', b, [a]);
    const lost = lostUpdates(lab.lines);
    expect(lost.map((u) => [u.write.value, u.winner.value, u.laterByMs, u.causallyAfter, u.decision.kind])).toEqual([['b', 'a', b.stamp.wallMs + 2000 - a.stamp.wallMs, false, 'overwrite']]);
    expect(registerHistory(lab.lines).writes.map((w) => w.fate)).toEqual(['kept', 'lost']);
  });

  it('does not count a write that lost to a later one (a clock ahead wins by its stamp)', () => {
    const lab = new ClockLab().skew('n1', 5000);
    const early = lab.write('n2', 'x', 'early');
    lab.decide('n2', 'apply', early).wait(10);
    const late = lab.write('n1', 'x', 'late');
    lab.decide('n1', 'apply', late).gossip('n1', 'n2', late).decide('n2', 'overwrite', late, [early]);
    expect(lostUpdates(lab.lines)).toEqual([]);
  });
});

describe('siblings', () => {
  /** y written on n1 and on n3 concurrently; n2 keeps both (vector resolution). */
  function concurrent() {
    const lab = new ClockLab();
    const y1 = lab.write('n1', 'y', 'from-n1');
    lab.decide('n1', 'apply', y1, [], 'vector');
    const y3 = lab.write('n3', 'y', 'from-n3');
    lab.decide('n3', 'apply', y3, [], 'vector');
    lab.gossip('n1', 'n2', y1).decide('n2', 'apply', y1, [], 'vector');
    lab.gossip('n3', 'n2', y3).decide('n2', 'sibling', y3, [y1], 'vector');
    return { lab, y1, y3 };
  }

  it('answers the values a replica holds side by side, and that their writes are concurrent', () => {
    const { lab } = concurrent();
    const held = siblings(lab.lines, { node: 'n2', key: 'y' });
    expect(held).toMatchObject({ ids: ['n1/w1', 'n3/w2'], values: ['from-n1', 'from-n3'], concurrent: [['n1/w1', 'n3/w2']], from: 'decision' });
    expect(held.seq).toBe(lab.lines.length);
    expect(siblings(lab.lines, { node: 'n1', key: 'y' })).toMatchObject({ ids: ['n1/w1'], concurrent: [] });
    expect(registerHistory(lab.lines).writes.map((w) => w.fate)).toEqual(['kept', 'kept']);
  });

  it('takes a later read as it is, and a merged write replaces both', () => {
    const { lab, y1, y3 } = concurrent();
    lab.read('n2', 'y', [y1, y3]);
    expect(siblings(lab.lines, { node: 'n2', key: 'y' })).toMatchObject({ from: 'read', seq: lab.lines.length, concurrent: [['n1/w1', 'n3/w2']] });
    const merged = lab.write('n2', 'y', 'merged');
    lab.decide('n2', 'overwrite', merged, [y1, y3], 'vector');
    expect(siblings(lab.lines, { node: 'n2', key: 'y' })).toMatchObject({ ids: [merged.id], values: ['merged'], concurrent: [], from: 'decision' });
  });

  it('answers nothing held for a key never written, and for a replica that restarted', () => {
    const { lab } = concurrent();
    expect(siblings(lab.lines, { node: 'n2', key: 'nope' })).toEqual({ node: 'n2', key: 'nope', ids: [], values: [], concurrent: [], from: 'none', seq: null });
    lab.restart('n2');
    expect(siblings(lab.lines, { node: 'n2', key: 'y' })).toMatchObject({ ids: [], from: 'start', seq: lab.lines.length });
    // n2's new life decided on nothing: both writes are still kept, by n1 and n3.
    expect(registerHistory(lab.lines).writes.map((w) => [w.fate, w.decidedBy])).toEqual([
      ['kept', ['n1']],
      ['kept', ['n3']],
    ]);
  });

  it('a write dropped from a replica without a decision that names it is lost', () => {
    const { lab, y1, y3 } = concurrent();
    // n2 later keeps y3 beside a third write only: y1 is no longer held there.
    const z = lab.write('n2', 'y', 'third');
    lab.decide('n2', 'sibling', z, [y3], 'vector');
    expect(registerHistory(lab.lines).writes.map((w) => [w.id, w.fate])).toEqual([
      [y1.id, 'lost'],
      [y3.id, 'kept'],
      [z.id, 'kept'],
    ]);
  });
});
