import { describe, expect, it } from 'vitest';
import { checkLinKv } from '../../src/checkers/lin-kv.js';
import { history, type Op } from '../support/history.js';

describe('the lin-kv checker (the checkers package linearizability search, key by key)', () => {
  it('passes a history that fits one real-time order on every key', () => {
    const v = checkLinKv(
      history(
        [0, 'write', 0, 10, { node: 'n1', key: 1, value: 1 }],
        [1, 'read', 20, 30, { node: 'n2', key: 1, out: 1 }],
        [2, 'cas', 40, 50, { node: 'n3', key: 1, value: [1, 2] }],
        [0, 'read', 45, 60, { node: 'n1', key: 1, out: 2 }],
        [1, 'read', 0, 5, { node: 'n2', key: 2, out: null }],
        [2, 'cas', 60, 70, { node: 'n3', key: 1, value: [4, 0], type: 'fail', error: { name: 'precondition-failed', code: 22 } }],
        [3, 'write', 0, null, { node: 'n1', key: 2, value: 3 }],
        [4, 'read', 100, 110, { node: 'n2', key: 2, out: 3 }],
      ),
    );
    expect(v).toMatchObject({ valid: true, stats: { keys: 2, operations: 8, ok: 6, fail: 1, info: 1 } });
  });

  it('fails a stale read, naming the key, the reader and the value', () => {
    const v = checkLinKv(
      history(
        [0, 'write', 0, 1000, { node: 'n1', key: 'x', value: 1 }],
        [0, 'write', 2000, 3000, { node: 'n1', key: 'x', value: 2 }],
        [1, 'read', 4000, 5000, { node: 'n3', key: 'x', out: 1 }],
      ),
    );
    expect(v.valid).toBe(false);
    expect(v.reason).toBe(
      'not linearizable: n3 (client 1) read 1 from key x at 4.000 s, but no order of the operations that respects real time allows that read (in the longest order consistent with real time that the search found, the key held 2 just then): a stale or invented read',
    );
  });

  it('fails a cas that succeeded on a value the key could not hold', () => {
    const v = checkLinKv(history([0, 'write', 0, 10, { node: 'n1', key: 1, value: 3 }], [1, 'cas', 20, 30, { node: 'n2', key: 1, value: [4, 1] }]));
    expect(v.valid).toBe(false);
    expect(v.reason).toContain("n2 (client 1)'s cas on key 1 from 4 to 1 succeeded at 0.020 s, but no order that respects real time has the key hold 4 then");
  });

  it('is unknown when the time budget runs out first', () => {
    // 14 overlapping writes and a read of a value none of them wrote: every order must be tried.
    const writes = Array.from({ length: 14 }, (_, i): Op => [i, 'write', 0, 100, { key: 1, value: i }]);
    let ticks = 0;
    const v = checkLinKv(history(...writes, [99, 'read', 50, 60, { key: 1, out: 'never' }]), { now: () => ticks++, budgetMs: 1 });
    expect(v.valid).toBe('unknown');
    expect(v.reason).toMatch(/^the search for a linearizable order did not finish: the time budget \(1 ms\) ran out/);
  });
});
