import { describe, expect, it } from 'vitest';
import { checkSet } from '../../src/checkers/set-full.js';
import { history } from '../support/history.js';

const broadcast = { add: 'broadcast', noun: 'message' } as const;

describe('the broadcast (set) checker', () => {
  it('passes when every acknowledged message is in every final read; an uncertain one may be anywhere', () => {
    const v = checkSet(
      history(
        [0, 'broadcast', 0, 10, { node: 'n1', value: 0 }],
        [1, 'broadcast', 5, 15, { node: 'n2', value: 1 }],
        [2, 'broadcast', 6, null, { node: 'n3', value: 2 }],
        [0, 'read', 20, 25, { node: 'n1', out: [0] }],
        [1, 'read', 30, 35, { node: 'n2', out: [1, 0] }],
        [2, 'read', 40, 45, { node: 'n3', out: [0, 1, 2] }],
        [10, 'read', 100, 101, { node: 'n1', final: true, out: [0, 1] }],
        [11, 'read', 100, 102, { node: 'n2', final: true, out: [1, 0, 2] }],
        [12, 'read', 100, 103, { node: 'n3', final: true, out: [2, 1, 0] }],
      ),
      broadcast,
    );
    expect(v.valid).toBe(true);
    expect(v.reason).toBe('every one of the 2 acknowledged messages is in the final read of every node (3)');
    expect(v.stats).toMatchObject({ acknowledged: 2, indefinite: 1, lost: 0, unexpected: 0, finalReads: 3, nodesWithoutFinalRead: [] });
    // 0 is in every read from the first (at 20); 1 from the read at 30; 2 is missing from n1's final read.
    expect(v.stats.stableLatencyMs).toEqual({ p50: 20, p95: 25, p99: 25, max: 25 });
  });

  it('fails a lost message: acknowledged, but missing from a final read', () => {
    const v = checkSet(
      history(
        [0, 'broadcast', 0, 1000, { node: 'n1', value: 0 }],
        [1, 'broadcast', 0, 1200, { node: 'n2', value: 1 }],
        [10, 'read', 5000, 5001, { node: 'n1', final: true, out: [0, 1] }],
        [11, 'read', 5000, 5002, { node: 'n3', final: true, out: [0] }],
      ),
      broadcast,
    );
    expect(v.valid).toBe(false);
    expect(v.reason).toBe('message 1 was acknowledged by n2 (client 1) at 1.200 s, but the final read on n3 does not have it');
    expect(v.stats).toMatchObject({ lost: 1, neverStable: 1 });
  });

  it('fails a message nobody sent, and one whose broadcast certainly failed', () => {
    const invented = checkSet(history([0, 'broadcast', 0, 1, { node: 'n1', value: 0 }], [10, 'read', 5, 6, { node: 'n1', final: true, out: [0, 99] }]), broadcast);
    expect(invented).toMatchObject({ valid: false, reason: 'n1 (client 10) read message 99 at 0.005 s, but no client ever added it' });
    const aborted = checkSet(
      history([0, 'broadcast', 0, 1, { node: 'n1', value: 0, type: 'fail', error: { name: 'temporarily-unavailable', code: 11 } }], [10, 'read', 5, 6, { node: 'n1', final: true, out: [0] }]),
      broadcast,
    );
    expect(aborted.reason).toBe('n1 (client 10) read message 0 at 0.005 s, but its broadcast certainly failed (temporarily-unavailable)');
  });

  it("cannot say when a node never answered its final read, or when none was made", () => {
    const v = checkSet(
      history(
        [0, 'broadcast', 0, 1, { node: 'n1', value: 0 }],
        [10, 'read', 5, 6, { node: 'n1', final: true, out: [0] }],
        [11, 'read', 5, 9, { node: 'n2', final: true, type: 'fail', error: { name: 'timeout', code: 0 } }],
      ),
      broadcast,
    );
    expect(v).toMatchObject({ valid: 'unknown', reason: 'n2 never answered a final read, so nobody knows whether it has every message', stats: { nodesWithoutFinalRead: ['n2'] } });
    expect(checkSet(history([0, 'broadcast', 0, 1, { node: 'n1', value: 0 }], [0, 'read', 2, 3, { node: 'n1', out: [0] }]), broadcast).valid).toBe('unknown');
  });

  it('checks a g-set by the same rule, with its own words', () => {
    const set = { add: 'add', noun: 'element' } as const;
    const ok = checkSet(history([0, 'add', 0, 1, { node: 'n1', value: 'a' }], [10, 'read', 5, 6, { node: 'n1', final: true, out: ['a'] }], [11, 'read', 5, 6, { node: 'n2', final: true, out: ['a'] }]), set);
    expect(ok.valid).toBe(true);
    const lost = checkSet(history([0, 'add', 0, 1, { node: 'n1', value: 'a' }], [10, 'read', 5, 6, { node: 'n1', final: true, out: ['a'] }], [11, 'read', 5, 6, { node: 'n2', final: true, out: [] }]), set);
    expect(lost.reason).toBe('element "a" was acknowledged by n1 (client 0) at 0.001 s, but the final read on n2 does not have it');
  });
});
