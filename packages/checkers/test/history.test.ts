/**
 * A history's operations as a lesson reads them: pairing (fail and unknown kept), stale reads
 * (put and append histories), lost acknowledged writes, each replica's last answer, and each
 * client's session guarantees (read your writes, monotonic reads). Hand-made
 * histories, each with the case where the check must find nothing.
 */
import type { HistoryEvent } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { clientOps, lastReads, lostWrites, sessionViolations, staleReads } from '../src/index.js';

/** `[process, type, f, value, time, node]` rows → events on key x. */
const h = (rows: [string, HistoryEvent['type'], HistoryEvent['f'], unknown, number, string][]): HistoryEvent[] =>
  rows.map(([process, type, f, value, time, node]) => ({ process, type, f, key: 'x', time, node, ...(value === undefined ? {} : { value }) }));

describe('clientOps', () => {
  it('pairs each invocation with its completion, keeps fails and unknowns, and an open one as unknown', () => {
    const ops = clientOps([
      ...h([
        ['c1', 'invoke', 'put', 1, 0, 'n1'],
        ['c2', 'invoke', 'get', undefined, 1, 'n2'],
        ['c1', 'ok', 'put', 1, 2, 'n1'],
        ['c2', 'fail', 'get', undefined, 3, 'n2'],
        ['c1', 'invoke', 'put', 2, 4, 'n1'],
        ['c1', 'info', 'put', 2, 9, 'n1'],
        ['c2', 'invoke', 'get', undefined, 10, 'n1'],
      ]),
    ]);
    expect(ops.map((o) => [o.f, o.type, o.kind, o.invokeMs, o.endMs, o.node])).toEqual([
      ['put', 'ok', 'write', 0, 2, 'n1'],
      ['get', 'fail', 'read', 1, 3, 'n2'],
      ['put', 'info', 'write', 4, 9, 'n1'],
      ['get', 'info', 'read', 10, null, 'n1'],
    ]);
  });
});

describe('staleReads', () => {
  const base: [string, HistoryEvent['type'], HistoryEvent['f'], unknown, number, string][] = [
    ['c1', 'invoke', 'put', 1, 0, 'n2'],
    ['c1', 'ok', 'put', 1, 10, 'n2'],
    ['c1', 'invoke', 'put', 2, 20, 'n2'],
    ['c1', 'ok', 'put', 2, 30, 'n2'],
  ];

  it('finds a read that answered a value overwritten (and acknowledged) before it began, with how stale', () => {
    const ops = clientOps(h([...base, ['c1', 'invoke', 'get', undefined, 50, 'n3'], ['c1', 'ok', 'get', 1, 52, 'n3']]));
    const stale = staleReads(ops);
    expect(stale).toHaveLength(1);
    expect(stale[0].read.node).toBe('n3');
    expect(stale[0].staleByMs).toBe(20);
    expect(stale[0].missed.map((w) => w.input)).toEqual([2]);
    expect(staleReads(ops, { node: 'n2' })).toEqual([]);
  });

  it('a read that answered nothing after an acknowledged write is stale; one before any write is not', () => {
    const ops = clientOps(h([['c2', 'invoke', 'get', undefined, -5, 'n3'], ['c2', 'ok', 'get', null, -1, 'n3'], ...base, ['c2', 'invoke', 'get', undefined, 40, 'n3'], ['c2', 'ok', 'get', null, 41, 'n3']]));
    expect(staleReads(ops).map((s) => [s.read.invokeMs, s.missed.length])).toEqual([[40, 2]]);
  });

  it('the latest value, or one from a write concurrent with a newer one, is not stale', () => {
    const ops = clientOps(
      h([
        ...base,
        ['c1', 'invoke', 'get', undefined, 40, 'n2'],
        ['c1', 'ok', 'get', 2, 41, 'n2'],
        // put 3 and put 4 overlap: a read after both may answer either.
        ['c1', 'invoke', 'put', 3, 50, 'n2'],
        ['c2', 'invoke', 'put', 4, 51, 'n2'],
        ['c1', 'ok', 'put', 3, 60, 'n2'],
        ['c2', 'ok', 'put', 4, 61, 'n2'],
        ['c1', 'invoke', 'get', undefined, 70, 'n2'],
        ['c1', 'ok', 'get', 3, 71, 'n2'],
      ]),
    );
    expect(staleReads(ops)).toEqual([]);
  });

  it('an append history: a read missing an acknowledged item is stale', () => {
    const ops = clientOps(
      h([
        ['c1', 'invoke', 'append', 1, 0, 'n1'],
        ['c1', 'ok', 'append', 1, 5, 'n1'],
        ['c1', 'invoke', 'append', 2, 6, 'n1'],
        ['c1', 'ok', 'append', 2, 9, 'n1'],
        ['c1', 'invoke', 'get', undefined, 10, 'n2'],
        ['c1', 'ok', 'get', [1], 12, 'n2'],
        ['c1', 'invoke', 'get', undefined, 13, 'n1'],
        ['c1', 'ok', 'get', [1, 2], 14, 'n1'],
      ]),
    );
    expect(staleReads(ops).map((s) => [s.read.node, s.missed.map((w) => w.input)])).toEqual([['n2', [2]]]);
  });
});

describe('lostWrites', () => {
  it('acknowledged appends missing from the last read are lost; unknown ones are not counted', () => {
    const ops = clientOps(
      h([
        ['c1', 'invoke', 'append', 1, 0, 'n1'],
        ['c1', 'ok', 'append', 1, 2, 'n1'],
        ['c2', 'invoke', 'append', 2, 3, 'n4'],
        ['c2', 'ok', 'append', 2, 4, 'n4'],
        ['c2', 'invoke', 'append', 3, 5, 'n4'],
        ['c2', 'info', 'append', 3, 9, 'n4'],
        ['c1', 'invoke', 'get', undefined, 20, 'n3'],
        ['c1', 'ok', 'get', [1], 21, 'n3'],
      ]),
    );
    const { finalRead, lost } = lostWrites(ops);
    expect(finalRead?.invokeMs).toBe(20);
    expect(lost.map((w) => w.input)).toEqual([2]);
  });

  it('none lost when the last read has every acknowledged write; no read: nothing to judge', () => {
    const writes: [string, HistoryEvent['type'], HistoryEvent['f'], unknown, number, string][] = [
      ['c1', 'invoke', 'append', 1, 0, 'n1'],
      ['c1', 'ok', 'append', 1, 2, 'n1'],
    ];
    expect(lostWrites(clientOps(h([...writes, ['c1', 'invoke', 'get', undefined, 3, 'n1'], ['c1', 'ok', 'get', [1], 4, 'n1']]))).lost).toEqual([]);
    expect(lostWrites(clientOps(h(writes))).finalRead).toBeUndefined();
  });
});

describe('lastReads', () => {
  it('the last answer of each node, by when it ended', () => {
    const ops = clientOps(
      h([
        ['c1', 'invoke', 'get', undefined, 0, 'n1'],
        ['c1', 'ok', 'get', 1, 1, 'n1'],
        ['c1', 'invoke', 'get', undefined, 2, 'n2'],
        ['c1', 'ok', 'get', 1, 3, 'n2'],
        ['c1', 'invoke', 'get', undefined, 4, 'n1'],
        ['c1', 'ok', 'get', 2, 5, 'n1'],
        ['c1', 'invoke', 'get', undefined, 6, 'n3'],
        ['c1', 'fail', 'get', undefined, 7, 'n3'],
      ]),
    );
    const last = lastReads(ops, ['n1', 'n2', 'n3']);
    expect([...last.entries()].map(([n, o]) => [n, o.output])).toEqual([
      ['n1', 2],
      ['n2', 1],
    ]);
  });
});

describe('sessionViolations (causal consistency, client by client)', () => {
  it('a client that reads its write, then an older value elsewhere: monotonic reads broken; its own write unseen: read your writes broken', () => {
    const ops = clientOps(
      h([
        ['c1', 'invoke', 'put', 1, 0, 'n1'],
        ['c1', 'ok', 'put', 1, 2, 'n1'],
        ['c1', 'invoke', 'put', 2, 3, 'n1'],
        ['c1', 'ok', 'put', 2, 5, 'n1'],
        ['c1', 'invoke', 'get', undefined, 6, 'n1'],
        ['c1', 'ok', 'get', 2, 7, 'n1'],
        ['c1', 'invoke', 'get', undefined, 8, 'n3'],
        ['c1', 'ok', 'get', 1, 9, 'n3'],
      ]),
    );
    expect(sessionViolations(ops).map((v) => [v.guarantee, v.read.node, v.after.node])).toEqual([
      ['read-your-writes', 'n3', 'n1'],
      ['monotonic-reads', 'n3', 'n1'],
    ]);
  });

  it('another client seeing an old value breaks no session guarantee; nor does a value of a concurrent write', () => {
    const ops = clientOps(
      h([
        ['c1', 'invoke', 'put', 1, 0, 'n1'],
        ['c1', 'ok', 'put', 1, 2, 'n1'],
        ['c1', 'invoke', 'put', 2, 3, 'n1'],
        ['c2', 'invoke', 'put', 3, 4, 'n2'],
        ['c1', 'ok', 'put', 2, 5, 'n1'],
        ['c2', 'ok', 'put', 3, 6, 'n2'],
        // c3 never wrote or read before: an old value is stale, but no session of its own went back.
        ['c3', 'invoke', 'get', undefined, 7, 'n3'],
        ['c3', 'ok', 'get', 1, 8, 'n3'],
        // c1 wrote 2; 3 was written concurrently with it: reading 3 does not go back.
        ['c1', 'invoke', 'get', undefined, 9, 'n2'],
        ['c1', 'ok', 'get', 3, 10, 'n2'],
      ]),
    );
    expect(sessionViolations(ops)).toEqual([]);
  });

  it('an append history: an item seen before and missing later', () => {
    const ops = clientOps(
      h([
        ['c1', 'invoke', 'append', 1, 0, 'n1'],
        ['c1', 'ok', 'append', 1, 1, 'n1'],
        ['c2', 'invoke', 'get', undefined, 2, 'n1'],
        ['c2', 'ok', 'get', [1], 3, 'n1'],
        ['c2', 'invoke', 'get', undefined, 4, 'n2'],
        ['c2', 'ok', 'get', [], 5, 'n2'],
      ]),
    );
    expect(sessionViolations(ops).map((v) => [v.guarantee, v.process])).toEqual([['monotonic-reads', 'c2']]);
  });
});
