/**
 * The lesson checks on time, on hand-made traces whose clocks behave as the node's do: each holds
 * where it should and fails where it must, with this trace's figures in its evidence.
 */
import { checkSchema } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { ClockLab } from '../../checkers/test/support/clock-lab.js';
import { CheckContext, runChecks, type InvokeRecord } from '../src/index.js';

/** n3 2 s behind; A on n1, seen by n3, then B on n3 (lost by wall clock); C and D concurrent on n1 and n3. */
function skewed(): { lab: ClockLab; invokes: Map<string, InvokeRecord> } {
  const lab = new ClockLab().skew('n3', -2000);
  const a = lab.write('n1', 'x', 'A');
  lab.decide('n1', 'apply', a).gossip('n1', 'n3', a).decide('n3', 'apply', a).wait(20);
  const b = lab.write('n3', 'x', 'B');
  lab.decide('n3', 'discard', b, [a]).gossip('n3', 'n1', b).decide('n1', 'discard', b, [a]);
  const c = lab.write('n1', 'y', 'C');
  const d = lab.write('n3', 'y', 'D');
  lab.decide('n1', 'apply', c).decide('n3', 'apply', d);
  const invoke = (name: string, node: string, id: string): [string, InvokeRecord] => [name, { name, node, msgType: 'write', body: {}, answer: { id }, sinceSeq: 0 }];
  return { lab, invokes: new Map([invoke('A', 'n1', a.id), invoke('B', 'n3', b.id), invoke('C', 'n1', c.id), invoke('D', 'n3', d.id)]) };
}

const check = (c: Record<string, unknown>, made = skewed()) => {
  const ctx = new CheckContext(made.lab.lines, new Map(), new Map(), { invokes: made.invokes, traceFile: '/tmp/run/trace.ndjson' });
  return runChecks(ctx, [checkSchema.parse(c)])[0];
};

describe('time checks', () => {
  it('lost_updates: a write made later, after seeing the winner, that lost by wall clock', () => {
    const held = check({ check: 'lost_updates', key: 'x', equals: 1 });
    expect(held).toMatchObject({ held: true, value: { count: 1, writes: 2, causallyAfter: 1 } });
    // Made 25 ms later in true time by a clock 2 s behind: its stamp 1975 ms older.
    expect(held.value).toMatchObject({ laterByMs: 25, stampBehindMs: 1975 });
    expect(held.evidence).toMatch(/^1 write of 2 to x lost to one made earlier \(expected = 1\); e.g. B \(n3, made 25ms after A, and after seeing it\) lost to A \(n1\)/);
    expect(check({ check: 'lost_updates', key: 'x', equals: 0 }).held).toBe(false);
    expect(check({ check: 'lost_updates', key: 'y', max: 0 })).toMatchObject({ held: true, value: { count: 0 } });
  });

  it('register: what a copy holds, by count and by the named write', () => {
    expect(check({ check: 'register', node: 'n1', key: 'x', holds: 'A', count: 1 })).toMatchObject({ held: true, value: { count: 1, values: 'A', writes: 'A' } });
    const wrong = check({ check: 'register', node: 'n1', key: 'x', holds: 'B' });
    expect(wrong.held).toBe(false);
    expect(wrong.evidence).toBe('n1 holds x = A ("A") (expected B)');
  });

  it('order: by the writes\' vector clocks, with the faultline order line that says the same', () => {
    const causal = check({ check: 'order', a: 'A', b: 'B', is: 'before' });
    expect(causal).toMatchObject({ held: true, value: { order: 'before' } });
    expect(causal.evidence).toMatch(/^A \(#1\) happened before B \(#\d+\) by their vector clocks \(expected before\)$/);
    expect((causal.value as { command: string }).command).toMatch(/^npx faultline order 1 \d+ --trace \/tmp\/run\/trace\.ndjson$/);
    expect(check({ check: 'order', a: 'C', b: 'D', is: 'concurrent' })).toMatchObject({ held: true, value: { order: 'concurrent' } });
    expect(check({ check: 'order', a: 'C', b: 'D', is: 'before' }).held).toBe(false);
    expect(check({ check: 'order', a: 'A', b: 'nobody', is: 'before' })).toMatchObject({ held: false, evidence: 'could not be checked: no client request named nobody was made in this run' });
  });

  it('clock_order: by the wall clocks a message from n1 reached n3 before it left; never by Lamport', () => {
    expect(check({ check: 'clock_order', clock: 'wall', min: 1 })).toMatchObject({ held: true, value: 1 });
    expect(check({ check: 'clock_order', clock: 'lamport', equals: 0 })).toMatchObject({ held: true, value: 0 });
    expect(check({ check: 'clock_order', clock: 'wall', equals: 0 }).held).toBe(false);
  });

  it('hlc_gap: a jump carried to another node, within ε; a bound that demands more fails', () => {
    const lab = new ClockLab().skew('n1', 10_000);
    lab.message('n1', 'n2', 'm1', 'reg_put').event('n2', { kind: 'local', label: 'after' });
    const made = { lab, invokes: new Map<string, InvokeRecord>() };
    const carried = check({ check: 'hlc_gap', node: 'n2', min: 9000, within_bound: true }, made);
    expect(carried).toMatchObject({ held: true, value: { boundMs: 10_000 } });
    expect((carried.value as { gapMs: number }).gapMs).toBeGreaterThan(9000);
    expect(check({ check: 'hlc_gap', node: 'n2', within_bound: false }, made).held).toBe(false);
    expect(check({ check: 'hlc_gap', node: 'n2', max: 100 }, made).held).toBe(false);
  });

  it('sync: the rounds a named request started, against the true offset; one-way delay is an error inside the bound', () => {
    const lab = new ClockLab().skew('n2', -300);
    lab.state('n2', 'sync', 'started', {});
    lab.syncRound('n2', 'n1', { round: 0, reqMs: 100, respMs: 100 }).syncRound('n2', 'n1', { round: 1, reqMs: 100, respMs: 100 });
    lab.state('n2', 'sync', 'sync_done', { rounds: 2, answered: 2 });
    const since = lab.lines.length;
    lab.syncRound('n2', 'n1', { round: 0, reqMs: 200, respMs: 0 });
    lab.state('n2', 'sync', 'sync_done', { rounds: 1, answered: 1 });
    const invokes = new Map<string, InvokeRecord>([
      ['sym', { name: 'sym', node: 'n2', msgType: 'sync', body: {}, answer: {}, sinceSeq: 0 }],
      ['oneway', { name: 'oneway', node: 'n2', msgType: 'sync', body: {}, answer: {}, sinceSeq: since }],
    ]);
    const sym = check({ check: 'sync', rounds: 'sym', max: 5, within_bound: true }, { lab, invokes });
    expect(sym).toMatchObject({ held: true, value: { rounds: 2, trueOffsetMs: 300 } });
    const oneway = check({ check: 'sync', rounds: 'oneway', min: 80, within_bound: true }, { lab, invokes });
    expect(oneway).toMatchObject({ held: true, value: { rounds: 1, trueOffsetMs: 300 } });
    expect((oneway.value as { errorMs: number }).errorMs).toBeGreaterThan(95);
    expect(check({ check: 'sync', rounds: 'oneway', max: 20 }, { lab, invokes }).held).toBe(false);
  });
});
