import { describe, expect, it } from 'vitest';
import { checkCounter } from '../../src/checkers/counter.js';
import { IntervalSet } from '../../src/checkers/interval-set.js';
import { history } from '../support/history.js';

const finals = (...values: [string, number][]) => values.map(([node, out], i): [number, 'read', number, number, { node: string; final: true; out: number }] => [100 + i, 'read', 1000, 1001 + i, { node, final: true, out }]);

describe('the g-counter checker', () => {
  const adds = history(
    [0, 'add', 0, 10, { node: 'n1', value: 1 }],
    [1, 'add', 0, 10, { node: 'n2', value: 2 }],
    [2, 'add', 0, 10, { node: 'n3', value: 3 }],
    [3, 'add', 20, null, { node: 'n1', value: 4 }],
    [4, 'add', 20, 30, { node: 'n2', value: 100, type: 'fail', error: { name: 'temporarily-unavailable', code: 11 } }],
  );

  it('passes final reads that are the acknowledged sum plus any of the uncertain adds', () => {
    const v = checkCounter([...adds, ...history(...finals(['n1', 6], ['n2', 10], ['n3', 6]))], { grow: true });
    expect(v.valid).toBe(true);
    expect(v.reason).toBe("every node's final read (3 nodes) is a possible total: the acknowledged adds sum to 6; with the 1 adds that may or may not have happened, the total may be 6 or 10");
    expect(v.stats).toMatchObject({ acknowledgedSum: 6, indefinite: 1, acceptable: [[6, 6], [10, 10]], finalReads: { n1: 6, n2: 10, n3: 6 } });
  });

  it('fails a final read that is too low: acknowledged adds were lost', () => {
    const v = checkCounter([...adds, ...history(...finals(['n1', 6], ['n2', 5], ['n3', 6]))], { grow: true });
    expect(v.valid).toBe(false);
    expect(v.reason).toBe('the final read on n2 answered 5, but the acknowledged adds sum to 6; with the 1 adds that may or may not have happened, the total may be 6 or 10: acknowledged adds were lost');
  });

  it('fails a final read too high, and one between the possible totals', () => {
    expect(checkCounter([...adds, ...history(...finals(['n1', 106]))], { grow: true }).reason).toMatch(/answered 106, .*: some adds were counted twice, or invented$/);
    expect(checkCounter([...adds, ...history(...finals(['n1', 8]))], { grow: true }).reason).toMatch(/answered 8, .*: some adds were counted twice, or invented$/);
  });

  it('fails a read that knows of more than was asked for by then', () => {
    const v = checkCounter([...adds, ...history([9, 'read', 5, 8, { node: 'n1', out: 7 }], ...finals(['n1', 6]))], { grow: true });
    expect(v).toMatchObject({ valid: false, reason: 'n1 (client 9) read 7 at 0.005 s, but the adds asked for until then can only make 0…6 (a grow-only counter)', stats: { impossibleReads: 1 } });
  });

  it('cannot say without final reads', () => {
    expect(checkCounter(adds, { grow: true }).valid).toBe('unknown');
  });
});

describe('the pn-counter checker', () => {
  const adds = history(
    [0, 'add', 0, 10, { node: 'n1', value: 3 }],
    [1, 'add', 0, 10, { node: 'n2', value: -2 }],
    [2, 'add', 0, null, { node: 'n3', value: -1 }],
    [3, 'add', 0, 10, { node: 'n1', value: 4, type: 'info', error: { name: 'crash', code: 13 } }],
  );

  it('allows each uncertain add, negative ones too', () => {
    const v = checkCounter([...adds, ...history(...finals(['n1', 0], ['n2', 5], ['n3', 4]))], { grow: false });
    expect(v).toMatchObject({ valid: true, stats: { acknowledgedSum: 1, acceptable: [[0, 1], [4, 5]] } });
  });

  it('fails a total no subset of the uncertain adds gives', () => {
    const v = checkCounter([...adds, ...history(...finals(['n1', 1], ['n2', 2]))], { grow: false });
    expect(v.valid).toBe(false);
    expect(v.reason).toContain('the final read on n2 answered 2, but the acknowledged adds sum to 1; with the 2 adds that may or may not have happened, the total may be 0…1 or 4…5');
  });
});

describe('the set of possible totals', () => {
  it('keeps every subset sum, merging ranges that touch, and widens to its hull past its limit', () => {
    expect(IntervalSet.of(0).orPlus(1).orPlus(1).ranges).toEqual([[0, 2]]);
    expect(IntervalSet.of(0).orPlus(5).orPlus(-2).ranges).toEqual([[-2, -2], [0, 0], [3, 3], [5, 5]]);
    const wide = IntervalSet.of(0).orPlus(10).orPlus(100).orPlus(1000, 4);
    expect(wide).toMatchObject({ ranges: [[0, 1110]], approximate: true });
  });
});
