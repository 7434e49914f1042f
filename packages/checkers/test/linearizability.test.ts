/**
 * The linearizability checker on small histories whose answer is known: classic cases of a
 * register (stale reads, a write seen then unseen, compare-and-set) and of a key-value map, with
 * clients that crashed (`info`) and operations that failed. Each bad history must be caught, with
 * the operation that could not be placed.
 */
import { historyEventSchema, type HistoryEvent, type HistoryModel } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../src/index.js';
import { Memo } from '../src/linearizability/memo.js';

type Op = [process: number, f: HistoryEvent['f'], start: number, end: number | 'info' | 'fail', value?: unknown, output?: unknown, key?: string];

/** A history from operations: each an invoke at `start` and its completion at `end`. */
function history(ops: Op[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const [process, f, start, end, value, output, key] of ops) {
    const k = key === undefined ? {} : { key };
    const input = f === 'read' || f === 'get' ? {} : { value };
    events.push(historyEventSchema.parse({ process, type: 'invoke', f, time: start, ...k, ...input }));
    if (end === 'info' || end === 'fail') events.push(historyEventSchema.parse({ process, type: end, f, time: start + 1_000, ...k }));
    else events.push(historyEventSchema.parse({ process, type: 'ok', f, time: end, ...k, ...(f === 'read' || f === 'get' ? { value: output } : input) }));
  }
  return events;
}

const clock = { now: () => performance.now() };
const verdict = (ops: Op[], model: HistoryModel = 'register') => checkLinearizable(history(ops), model, clock);

describe('linearizability of a register', () => {
  it.each<[string, Op[], 'linearizable' | 'not']>([
    ['a write, then a read of it', [[0, 'write', 0, 10, 1], [1, 'read', 20, 30, undefined, 1]], 'linearizable'],
    ['a read of a value nobody wrote', [[0, 'write', 0, 10, 1], [1, 'read', 20, 30, undefined, 2]], 'not'],
    ['a read during a write sees the old value', [[0, 'write', 0, 100, 1], [1, 'read', 10, 20, undefined, null]], 'linearizable'],
    ['a read during a write sees the new one', [[0, 'write', 0, 100, 1], [1, 'read', 10, 20, undefined, 1]], 'linearizable'],
    ['a stale read after the write completed', [[0, 'write', 0, 10, 1], [1, 'read', 20, 30, undefined, null]], 'not'],
    ['a write seen, then unseen (during the write)', [[0, 'write', 0, 100, 1], [1, 'read', 10, 20, undefined, 1], [2, 'read', 30, 40, undefined, null]], 'not'],
    ['two concurrent writes, read in either order by one reader', [[0, 'write', 0, 100, 1], [1, 'write', 0, 100, 2], [2, 'read', 10, 20, undefined, 2], [2, 'read', 30, 40, undefined, 1]], 'linearizable'],
    ['two readers who disagree on the order of two writes', [[0, 'write', 0, 10, 1], [1, 'write', 20, 30, 2], [2, 'read', 40, 50, undefined, 1]], 'not'],
    ['cas succeeds on the value it expects', [[0, 'write', 0, 10, 0], [1, 'cas', 20, 30, [0, 1]], [2, 'read', 40, 50, undefined, 1]], 'linearizable'],
    ['cas succeeds on a value that is gone', [[0, 'write', 0, 10, 0], [1, 'cas', 20, 30, [0, 1]], [2, 'cas', 40, 50, [0, 2]]], 'not'],
    ['a crashed write (info) that took effect', [[0, 'write', 0, 'info', 1], [1, 'read', 2000, 2010, undefined, 1]], 'linearizable'],
    ['a crashed write (info) that never did', [[0, 'write', 0, 'info', 1], [1, 'read', 2000, 2010, undefined, null]], 'linearizable'],
    ['a crashed write seen, then unseen', [[0, 'write', 0, 'info', 1], [1, 'read', 2000, 2010, undefined, 1], [2, 'read', 2020, 2030, undefined, null]], 'not'],
    ['a failed write (certainly not done) that a read sees', [[0, 'write', 0, 'fail', 1], [1, 'read', 2000, 2010, undefined, 1]], 'not'],
  ])('%s: %s', (_what, ops, want) => {
    expect(verdict(ops).result).toBe(want);
  });

  it('names the operation that could not be placed, after the longest legal order', () => {
    const v = verdict([[0, 'write', 0, 10, 1], [1, 'read', 20, 30, undefined, 1], [2, 'read', 40, 50, undefined, null]]);
    expect(v.result).toBe('not');
    if (v.result !== 'not') return;
    // Invocations are events 0, 2, 4: the stale read is the one at index 4.
    expect(v.counterexample.prefix.map((op) => op.id)).toEqual([0, 2]);
    expect(v.counterexample.stuck).toMatchObject({ id: 4, f: 'read', output: null, process: 2 });
  });

  it('reports the deepest dead end even when it was reached after undoing the first choice', () => {
    // Writes of 1 and 2 overlap; later reads see 1, 1, then 9. Trying write 1 first dies at depth
    // 2 (the state is 2 when the first read wants 1); write 2 then write 1 gets two ops deeper.
    const v = verdict([[0, 'write', 0, 100, 1], [1, 'write', 0, 100, 2], [2, 'read', 110, 120, undefined, 1], [2, 'read', 130, 140, undefined, 1], [2, 'read', 150, 160, undefined, 9]]);
    expect(v.result).toBe('not');
    if (v.result !== 'not') return;
    expect(v.counterexample.prefix.map((op) => op.id)).toEqual([2, 0, 4, 6]);
    expect(v.counterexample.stuck).toMatchObject({ id: 8, output: 9 });
  });
});

describe('linearizability of a key-value map, key by key', () => {
  it('appends and gets per key; a get that misses an acknowledged append is caught', () => {
    const good: Op[] = [
      [0, 'append', 0, 10, 'a', undefined, 'x'],
      [1, 'append', 5, 15, 'b', undefined, 'x'],
      [2, 'put', 0, 10, 7, undefined, 'y'],
      [3, 'get', 20, 30, undefined, ['a', 'b'], 'x'],
      [3, 'get', 40, 50, undefined, 7, 'y'],
    ];
    expect(verdict(good, 'kv')).toMatchObject({ result: 'linearizable', partitions: 2 });
    const bad: Op[] = [...good.slice(0, 3), [3, 'get', 20, 30, undefined, ['b'], 'x']];
    const v = verdict(bad, 'kv');
    expect(v).toMatchObject({ result: 'not', counterexample: { key: 'x', stuck: { f: 'get', output: ['b'] } } });
  });
});

describe('the search memo', () => {
  it('remembers pairs for two generations, then forgets them', () => {
    const memo = new Memo(2); // two pairs a generation
    const bits = Int32Array.of(5);
    expect(memo.add(7, 0, bits, 0, 0)).toBe(true);
    expect(memo.add(7, 0, bits, 0, 0)).toBe(false);
    expect(memo.add(7, 1, bits, 0, 0)).toBe(true); // another state
    expect(memo.add(7, 0, Int32Array.of(6), 0, 0)).toBe(true); // another set, same hash
    expect(memo.add(7, 0, bits, 0, 0)).toBe(false); // in the old generation now
    for (let s = 2; s < 8; s++) memo.add(7, s, bits, 0, 0);
    expect(memo.add(7, 1, bits, 0, 0)).toBe(true); // forgotten: searched again, never wrong
  });

  it('tells sets apart by their words, whether kept in the slot or in the pool', () => {
    const memo = new Memo();
    const wide = Int32Array.of(-1, 1, 2, 0);
    expect(memo.add(9, 0, wide, 1, 2)).toBe(true);
    expect(memo.add(9, 0, Int32Array.of(-1, 1, 3, 0), 1, 2)).toBe(true);
    expect(memo.add(9, 0, wide, 1, 2)).toBe(false);
    expect(memo.add(9, 0, wide, 1, 1)).toBe(true); // a shorter set
    expect(memo.add(9, 0, wide, 2, 2)).toBe(true); // another low word
    expect(memo.add(9, 0, wide, 1, 1)).toBe(false);
    expect(memo.add(9, 0, wide, 4, 3)).toBe(true); // all ones below word 4, nothing above
    expect(memo.add(9, 0, wide, 4, 3)).toBe(false);
  });
});

describe('bad and hard histories', () => {
  it('a history that cannot be paired is invalid, saying where', () => {
    const events = [historyEventSchema.parse({ process: 0, type: 'invoke', f: 'write', value: 1 }), historyEventSchema.parse({ process: 0, type: 'invoke', f: 'read' })];
    expect(checkLinearizable(events, 'register', clock)).toEqual({ result: 'invalid', why: 'event 2: process 0 invokes read while its write (event 1) is still open' });
    expect(checkLinearizable([historyEventSchema.parse({ process: 3, type: 'ok', f: 'read', value: 1 })], 'register', clock)).toEqual({ result: 'invalid', why: 'event 1: process 3 completes read (ok) with no open invocation' });
  });

  it('out of time, the answer is unknown, never linearizable', () => {
    // 14 overlapping writes and a read of a value none of them wrote: every order must be tried.
    const ops: Op[] = Array.from({ length: 14 }, (_, i): Op => [i, 'write', 0, 100, i]);
    ops.push([99, 'read', 50, 60, undefined, 'never']);
    let ticks = 0;
    const v = checkLinearizable(history(ops), 'register', { budgetMs: 1, now: () => ticks++ });
    expect(v).toMatchObject({ result: 'unknown', checked: 0 });
    // With time enough, the same history is refuted.
    expect(checkLinearizable(history(ops), 'register', clock).result).toBe('not');
  });
});
