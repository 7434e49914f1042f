import { describe, expect, it } from 'vitest';
import { checkMvRegister } from '../../src/checkers/mv-register.js';
import { history, type Op } from '../support/history.js';

/** Client `p`'s write of `value` on `node`, having seen `seen` (key 0 unless said). */
const write = (p: number, node: string, start: number, end: number | null, value: number, seen: number[] = [], more: { type?: 'ok' | 'fail' | 'info'; key?: number } = {}): Op => [p, 'write', start, end, { node, key: more.key ?? 0, value: { value, seen }, ...(more.type ? { type: more.type } : {}) }];
/** Client `p`'s read on `node` that answered `values`. */
const read = (p: number, node: string, start: number, values: unknown[], more: { final?: boolean; key?: number } = {}): Op => [p, 'read', start, start + 1, { node, key: more.key ?? 0, out: { values, context: { seen: values } }, ...(more.final ? { final: true } : {}) }];
/** The final read on n1, n2, n3 (clients 10, 11, 12), each answering `values`. */
const finals = (values: unknown[], key = 0): Op[] => ['n1', 'n2', 'n3'].map((node, i) => read(10 + i, node, 1000 + key * 100 + i * 10, values, { final: true, key }));

describe('the mv-register checker', () => {
  it('passes concurrent writes kept as siblings, replaced by a write that saw them; an uncertain write may be anywhere', () => {
    const ops = [
      write(0, 'n1', 0, 10, 1),
      write(1, 'n2', 0, 10, 2),
      read(2, 'n3', 20, [1, 2]),
      write(2, 'n3', 30, 40, 3, [1, 2]),
      write(0, 'n1', 50, null, 4),
    ];
    const v = checkMvRegister(history(...ops, ...finals([3])));
    expect(v.valid, v.reason).toBe(true);
    expect(v.reason).toBe('every one of the 3 acknowledged writes is in the final reads or was seen by a later write, and the 3 nodes agree (1 value at the end)');
    expect(v.stats).toMatchObject({ acknowledged: 3, indefinite: 1, blind: 3, lost: 0, maxSiblings: 2, finalValues: 1, finalReads: 3, nodesWithoutFinalRead: [] });
    expect(checkMvRegister(history(...ops, ...finals([4, 3]))).valid).toBe(true);
    expect(checkMvRegister(history(write(0, 'n1', 0, 10, 1), write(1, 'n2', 0, 10, 2), ...finals([2, 1]))).reason).toMatch(/\(2 siblings at the end\)$/);
  });

  it('fails a value nobody wrote, or whose write certainly failed', () => {
    const garbage = checkMvRegister(history(write(0, 'n1', 0, 10, 1), ...finals([1, 9])));
    expect(garbage).toMatchObject({ valid: false, reason: 'the final read by c11 on n1 answered 9, but no client ever wrote it' });
    const failed = checkMvRegister(history(write(0, 'n1', 0, 10, 1), write(1, 'n2', 0, 10, 2, [], { type: 'fail' }), read(1, 'n2', 20, [2]), ...finals([1])));
    expect(failed).toMatchObject({ valid: false, reason: 'the read by c2 on n2 answered 2, but its write (c2 on n2) certainly failed (fail)' });
  });

  it('fails a final read that names a value twice', () => {
    const v = checkMvRegister(history(write(0, 'n1', 0, 10, 1), write(1, 'n2', 0, 10, 2), read(10, 'n1', 1000, [1, 2, 1], { final: true })));
    expect(v).toMatchObject({ valid: false, reason: 'the final read on n1 answers 1 more than once: a value is one sibling, however often it arrives' });
  });

  it('fails final reads that differ, naming which nodes hold what', () => {
    const v = checkMvRegister(history(write(0, 'n1', 0, 10, 1), write(1, 'n2', 0, 10, 2), read(10, 'n1', 1000, [2, 1], { final: true }), read(11, 'n2', 1000, [2], { final: true }), read(12, 'n3', 1000, [1, 2], { final: true })));
    expect(v).toMatchObject({ valid: false, reason: 'not converged: after the heal the final reads differ (n1 and n3 answer [1,2]; n2 answers [2]): every node must end with the same values' });
  });

  it('fails a final value that an acknowledged write had seen (and replaced); an uncertain one may not have happened', () => {
    const ops = [write(0, 'n1', 0, 10, 1), read(1, 'n2', 20, [1])];
    const v = checkMvRegister(history(...ops, write(1, 'n2', 30, 40, 2, [1]), ...finals([1, 2])));
    expect(v).toMatchObject({ valid: false, reason: '1 is in the final read on every node, but the write of 2 (c2 on n2, acknowledged) had seen it, so it replaced it: a value a write has seen must go' });
    expect(checkMvRegister(history(...ops, write(1, 'n2', 30, null, 2, [1]), ...finals([1, 2]))).valid).toBe(true);
  });

  it('fails an acknowledged write that is gone though no write saw it (last writer wins); one seen by an uncertain write is not lost', () => {
    const v = checkMvRegister(history(write(1, 'n3', 0, 10, 17), write(0, 'n1', 5, 12, 18), ...finals([18])));
    expect(v).toMatchObject({ valid: false, reason: 'the write of 17 (c2 on n3, acknowledged) is lost: no write saw it, yet the final read on every node is [18]: two concurrent writes must both be kept' });
    expect(v.stats.lost).toBe(1);
    const seen = checkMvRegister(history(write(1, 'n3', 0, 10, 17), read(0, 'n1', 20, [17]), write(0, 'n1', 30, null, 18, [17]), ...finals([18])));
    expect(seen.valid, seen.reason).toBe(true);
  });

  it('names the key when there are several; unknown when a node never answered its final read', () => {
    const v = checkMvRegister(history(write(0, 'n1', 0, 10, 1), write(1, 'n2', 0, 10, 2, [], { key: 1 }), write(2, 'n3', 0, 10, 3, [], { key: 1 }), ...finals([1]), ...finals([3], 1)));
    expect(v.reason).toBe('the write of 2 (c2 on n2, acknowledged) is lost: no write saw it, yet the final read of key 1 on every node is [3]: two concurrent writes must both be kept');
    expect(checkMvRegister(history(write(0, 'n1', 0, 10, 1), write(1, 'n2', 0, 10, 2, [], { key: 1 }), ...finals([1]), ...finals([2], 1))).reason).toMatch(/\(2 values at the end, over 2 keys\)$/);
    const unknown = checkMvRegister(history(write(0, 'n1', 0, 10, 1), ...finals([1]).slice(0, 2), [12, 'read', 1000, null, { node: 'n3', key: 0, final: true }]));
    expect(unknown).toMatchObject({ valid: 'unknown', reason: 'n3 never answered a final read, so nobody knows what it ended with' });
  });
});
