import { describe, expect, it } from 'vitest';
import { checkTxnListAppend } from '../../src/checkers/txn/txn-list-append.js';
import { history, type Op } from '../support/history.js';

type M = ['r', number, number[] | null] | ['append', number, number];

/** A txn by client `p` on node n{p+1}, sent with reads' values null, answered as given. */
function txn(p: number, start: number, end: number | null, answered: M[], type: 'ok' | 'fail' | 'info' = 'ok'): Op {
  const sent = answered.map(([f, k, v]) => [f, k, f === 'r' ? null : v]);
  return [p, 'txn', start, end, { node: `n${p + 1}`, value: sent, out: type === 'ok' ? answered : sent, type, ...(type === 'ok' ? {} : { error: { name: type === 'fail' ? 'txn-conflict' : 'crash', code: type === 'fail' ? 30 : 13 } }) }];
}

const check = (...ops: Op[]) => checkTxnListAppend(history(...ops));

describe('the txn-list-append checker', () => {
  it('passes transactions that ran one at a time', () => {
    const v = check(
      txn(0, 0, 10, [['append', 1, 1], ['r', 2, null]]),
      txn(1, 20, 30, [['r', 1, [1]], ['append', 1, 2], ['r', 1, [1, 2]], ['append', 2, 1]]),
      txn(2, 40, 50, [['r', 1, [1, 2]], ['r', 2, [1]]]),
      txn(0, 60, null, [['append', 2, 2]], 'info'),
      txn(1, 70, 80, [['append', 3, 1]], 'fail'),
    );
    expect(v.valid).toBe(true);
    expect(v.stats).toMatchObject({ ok: 3, info: 1, fail: 1, keys: 2, anomalies: {} });
    expect(v.reason).toBe("3 committed transactions over 2 keys show none of the anomalies this checker looks for (within a transaction, against each key's order, dependency cycles, lost or stale appends)");
  });

  it('fails a lost append: acknowledged, then never seen by a read that began after', () => {
    const v = check(txn(0, 0, 1000, [['append', 1, 1]]), txn(1, 2000, 3000, [['r', 1, []]]), txn(2, 4000, 5000, [['append', 1, 2], ['r', 1, [2]]]));
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/^an acknowledged append was lost: n1 \(client 0\)'s txn at 0\.000 s appended 1 to key 1 and was acknowledged, but n2 \(client 1\)'s txn at 2\.000 s, which began after that, read \[\], and no read ever saw it/);
    expect(v.stats.anomalies['lost-append']).toBe(1);
  });

  it('fails a stale read (real time) when a later read has the append', () => {
    const v = check(txn(0, 0, 10, [['append', 1, 1]]), txn(1, 20, 30, [['r', 1, []]]), txn(2, 40, 50, [['r', 1, [1]]]));
    expect(v.valid).toBe(false);
    expect(Object.keys(v.stats.anomalies)).toContain('stale-read');
  });

  it('fails a transaction that does not see its own append', () => {
    const v = check(txn(0, 0, 10, [['append', 1, 1], ['r', 1, []]]));
    expect(v.reason).toBe("a transaction did not see its own writes: n1 (client 0)'s txn at 0.000 s appended 1 to key 1 and then read it as []: a transaction must see its own appends");
  });

  it('fails two reads that disagree on the order of a list', () => {
    const v = check(txn(0, 0, 10, [['append', 1, 1]]), txn(1, 0, 10, [['append', 1, 2]]), txn(2, 20, 30, [['r', 1, [1, 2]]]), txn(3, 20, 30, [['r', 1, [2, 1]]]));
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/^two reads disagree on the order of a key's list: .* read key 1 as \[2, 1\] and .* as \[1, 2\]: the same list cannot have grown into both/);
  });

  it('fails reads of what nobody appended, of a failed txn (G1a), of half a txn (G1b)', () => {
    expect(check(txn(0, 0, 10, [['r', 1, [9]]])).reason).toMatch(/^a read saw an element nobody appended: .* read 9 in key 1/);
    expect(check(txn(0, 0, 10, [['append', 1, 1]], 'fail'), txn(1, 20, 30, [['r', 1, [1]]])).reason).toMatch(/^a read saw the write of a failed transaction \(G1a, aborted read\): .*which certainly failed \(txn-conflict\)/);
    expect(check(txn(0, 0, 10, [['append', 1, 1], ['append', 1, 2]], 'info'), txn(1, 5, 30, [['r', 1, [1]]])).reason).toMatch(/^a read saw half of another transaction \(G1b, intermediate read\): .* it saw 1 but not 2/);
  });

  it('fails cyclic information flow (G1c): two transactions each saw the other', () => {
    const v = check(txn(0, 0, 10, [['append', 1, 1], ['r', 2, [1]]]), txn(1, 0, 10, [['append', 2, 1], ['r', 1, [1]]]));
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/^a cycle of writes and reads \(G1c, cyclic information flow\): transactions each saw, directly or through others, the writes of the other: .*\(wr\).*\(wr\)$/);
  });

  it('fails write skew (G2): each read what the other was about to change', () => {
    const v = check(
      txn(0, 0, 10, [['r', 1, []], ['append', 2, 1]]),
      txn(1, 0, 10, [['r', 2, []], ['append', 1, 1]]),
      txn(2, 20, 30, [['r', 1, [1]], ['r', 2, [1]]]),
    );
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/^a cycle of anti-dependencies \(G2\): /);
  });

  it('fails read skew (G-single): a cycle with one anti-dependency', () => {
    // T0 reads key 1 before T1's append; T1 appends 1 and 2; T0 also reads key 2 after T1's append.
    const v = check(txn(0, 0, 10, [['r', 1, []], ['r', 2, [1]]]), txn(1, 0, 10, [['append', 1, 1], ['append', 2, 1]]), txn(2, 20, 30, [['r', 1, [1]]]));
    expect(v.reason).toMatch(/^a cycle with one anti-dependency \(G-single, read skew\): a transaction saw part of another.s writes but not the rest: /);
  });

  it('fails an answer that is not the transaction sent', () => {
    const v = checkTxnListAppend(history([0, 'txn', 0, 10, { node: 'n1', value: [['append', 1, 1]], out: [['append', 1, 2]] }]));
    expect(v.reason).toMatch(/^a transaction was answered with other operations than it sent: /);
  });
});
