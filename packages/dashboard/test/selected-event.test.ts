/**
 * The selected-event panel's model, on hand-made traces: an event's clocks in words (a node whose
 * wall clock is 2 s behind), a register's decision (writes resolved by wall clock, Lamport, HLC and
 * vector clocks), and the node's other events at the same true time.
 */
import { clockTime } from '@faultline/checkers';
import { describe, expect, it } from 'vitest';
import { clockErrorText, eventClockRows } from '../src/model/event-clocks.js';
import { originFinder, registerDecisionView } from '../src/model/register-decision.js';
import { sameInstant } from '../src/model/same-instant.js';
import { TraceModel } from '../src/model/trace-model.js';
import { T0, TimeTrace } from './support/time-trace.js';

describe("an event's clocks", () => {
  it('shows wall time on its own node beside true time, how far that clock was off, and its stamps', () => {
    const t = new TimeTrace().skew('n3', -2000);
    t.event('n3', { kind: 'local', label: 'a' });
    const line = t.event('n3', { kind: 'local', label: 'b' });
    const rows = Object.fromEntries(eventClockRows(line).map((r) => [r.key, r.text]));
    expect(rows).toEqual({
      'true time': clockTime(T0 + 2),
      'wall time': `${clockTime(T0 + 2 - 2000)} on n3's clock`,
      'clock error': "n3's clock was 2s behind true time",
      Lamport: '2',
      vector: '[n3:2]',
      hybrid: `${clockTime(T0 + 2 - 2000)} +0`,
    });
  });

  it('says ahead, behind or in step', () => {
    expect(clockErrorText('n1', T0 + 250, T0)).toBe("n1's clock was 250ms ahead of true time");
    expect(clockErrorText('n2', T0 - 1500, T0)).toBe("n2's clock was 1.5s behind true time");
    expect(clockErrorText('n2', T0 + 0.01, T0)).toBe("n2's clock read true time");
  });

  it("a lab event has true time only (it has no node and no clock)", () => {
    const rows = eventClockRows({ seq: 1, trueMs: T0, kind: 'run_start', seed: '1', config: {} });
    expect(rows).toEqual([{ key: 'true time', text: clockTime(T0) }]);
  });
});

describe("a register's decision", () => {
  /** n1 writes A; n3, 2 s behind, has it, then writes B 40 ms later: by wall clock B loses. */
  function skewedWrites(): { t: TimeTrace; a: ReturnType<TimeTrace['write']>; b: ReturnType<TimeTrace['write']> } {
    const t = new TimeTrace().skew('n3', -2000);
    const a = t.write('n1', 'x', 'A');
    t.decide('n1', 'apply', a);
    t.wait(20).decide('n3', 'apply', a);
    const b = t.wait(20).write('n3', 'x', 'B');
    return { t, a, b };
  }

  it('a discard names the write that won and the one thrown away, with the wall stamps compared and when each was made', () => {
    const { t, a, b } = skewedWrites();
    const line = t.decide('n3', 'discard', b, [a]);
    const view = registerDecisionView(line, originFinder(t.lines))!;
    expect(view).toMatchObject({ kind: 'discard', node: 'n3', key: 'x', resolution: 'wall' });
    expect(view.summary).toBe('n3 compared wall-clock stamps: n3/w2 lost to n1/w1, which n3 kept; n3/w2 was thrown away.');
    expect(view.writes).toEqual([
      { role: 'discarded', id: 'n3/w2', node: 'n3', value: '"B"', stamp: `wall ${clockTime(b.stamp.wallMs)}`, trueMs: T0 + 44 },
      { role: 'won', id: 'n1/w1', node: 'n1', value: '"A"', stamp: `wall ${clockTime(T0 + 1)}`, trueMs: T0 + 1 },
    ]);
    // The write thrown away was made later in true time, and stamped earlier.
    expect(view.writes[0].trueMs! > view.writes[1].trueMs!).toBe(true);
    expect(b.stamp.wallMs < a.stamp.wallMs).toBe(true);
  });

  it('an overwrite: the decided write won, the others were thrown away; Lamport and HLC stamps', () => {
    const t = new TimeTrace();
    const a = t.write('n1', 'x', 'A');
    const b = t.write('n2', 'x', { v: 2 });
    const lamport = registerDecisionView(t.decide('n1', 'overwrite', b, [a], 'lamport'))!;
    expect(lamport.writes.map((w) => [w.role, w.id, w.value, w.stamp])).toEqual([
      ['won', 'n2/w2', '{"v":2}', 'Lamport 1'],
      ['discarded', 'n1/w1', '"A"', 'Lamport 1'],
    ]);
    expect(lamport.summary).toBe('n1 compared Lamport stamps: n2/w2 won and replaced n1/w1, which n1 threw away.');
    const hlc = registerDecisionView(t.decide('n1', 'overwrite', b, [a], 'hlc'))!;
    expect(hlc.writes.map((w) => w.stamp)).toEqual([`HLC ${clockTime(T0 + 2)} +0`, `HLC ${clockTime(T0 + 1)} +0`]);
    // No origin finder: when each write was made is not said.
    expect(hlc.writes.every((w) => w.trueMs === undefined)).toBe(true);
  });

  it('siblings: concurrent writes kept side by side, with their vector clocks', () => {
    const t = new TimeTrace();
    const a = t.write('n1', 'y', 1);
    const b = t.write('n2', 'y', 2);
    const view = registerDecisionView(t.decide('n2', 'sibling', b, [a], 'vector'), originFinder(t.lines))!;
    expect(view.writes.map((w) => [w.role, w.id, w.stamp])).toEqual([
      ['sibling', 'n2/w2', 'vector [n2:1]'],
      ['sibling', 'n1/w1', 'vector [n1:1]'],
    ]);
    expect(view.summary).toContain('are concurrent (neither happened before the other), so n2 keeps them side by side');
  });

  it('an apply: the key held nothing', () => {
    const t = new TimeTrace();
    const a = t.write('n1', 'x', 'A');
    const view = registerDecisionView(t.decide('n1', 'apply', a), originFinder(t.lines))!;
    expect(view.summary).toBe('n1 held no value for x: it took n1/w1.');
    expect(view.writes).toEqual([{ role: 'won', id: 'n1/w1', node: 'n1', value: '"A"', stamp: `wall ${clockTime(T0 + 1)}`, trueMs: T0 + 1 }]);
  });

  it('is nothing for any other line: a write, a read, another behaviour, a value that does not parse', () => {
    const t = new TimeTrace();
    t.write('n1', 'x', 'A');
    t.event('n1', { kind: 'state', behaviour: 'register', key: 'read', value: { key: 'x', values: ['A'], ids: ['n1/w1'] } });
    t.event('n1', { kind: 'state', behaviour: 'counter', key: 'apply', value: 3 });
    t.event('n1', { kind: 'state', behaviour: 'register', key: 'discard', value: { key: 'x' } });
    for (const l of t.lines) expect(registerDecisionView(l)).toBeUndefined();
  });

  it('finds a write made in an earlier life of its node by its stamp, not only its id', () => {
    const { t, a } = skewedWrites();
    // The same id again, with another stamp (a revived node counts its writes from 1 again).
    const again = { ...a, stamp: { ...a.stamp, lamport: 99 } };
    expect(originFinder(t.lines)(again)).toBeUndefined();
    expect(originFinder(t.lines)(a)).toBe(T0 + 1);
  });
});

describe('events at the same instant', () => {
  it("are a node's other events at the same true time (drawn as one mark), not another node's", () => {
    const t = new TimeTrace();
    const a = t.write('n1', 'x', 'A');
    const w = t.lines.at(-1)!;
    const d = t.decide('n1', 'apply', a);
    const n2 = t.event('n2', { kind: 'local', label: 'elsewhere' });
    // Three lines in one millisecond: n1's write and decision, n2's event.
    const lines = [w, { ...d, trueMs: w.trueMs }, { ...n2, trueMs: w.trueMs }];
    const model = new TraceModel();
    model.add([...lines].reverse());
    expect(sameInstant(model, w).map((l) => l.seq)).toEqual([d.seq]);
    expect(sameInstant(model, lines[1]).map((l) => l.seq)).toEqual([w.seq]);
    expect(sameInstant(model, lines[2])).toEqual([]);
    expect(sameInstant(model, { seq: 99, trueMs: w.trueMs, kind: 'run_start', seed: '1', config: {} })).toEqual([]);
  });
});
