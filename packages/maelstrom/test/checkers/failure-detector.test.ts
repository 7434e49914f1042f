import { describe, expect, it } from 'vitest';
import type { MaelstromHistoryEvent } from '@faultline/protocol';
import { checkCounter } from '../../src/checkers/counter.js';
import { checkEcho } from '../../src/checkers/echo.js';
import { checkFailureDetector, downtimes } from '../../src/checkers/failure-detector.js';
import { checkLinKv } from '../../src/checkers/lin-kv.js';
import { checkSet } from '../../src/checkers/set-full.js';
import { checkTxnListAppend } from '../../src/checkers/txn/txn-list-append.js';
import { checkUniqueIds } from '../../src/checkers/unique-ids.js';
import { pairOps } from '../../src/history/pair.js';
import { history, merged, nemesis, type Op } from '../support/history.js';

const NODES = ['n1', 'n2', 'n3'];

/**
 * Clients 0, 1, 2 poll n1, n2, n3 every 100 ms from 0 to 4 s (each poll 5 ms); `answer(node, t)`
 * is what a node answers at t, or null: no answer (it is down).
 */
function polls(answer: (node: string, t: number) => string[] | null): MaelstromHistoryEvent[] {
  const ops: Op[] = [];
  for (let t = 0; t < 4000; t += 100) {
    NODES.forEach((node, process) => {
      const out = answer(node, t + process);
      ops.push(out === null ? [process, 'suspects', t + process, t + process + 1000, { node, type: 'fail', error: { name: 'timeout', code: 0 } }] : [process, 'suspects', t + process, t + process + 5, { node, out }]);
    });
  }
  return history(...ops);
}

/** n3 killed at 1 s (the kill took 20 ms) and revived at 2.5 s (2.4 … 2.6 s). */
const killN3 = [...nemesis('kill', 'n3', 1000, 1020), ...nemesis('revive', 'n3', 2400, 2600)];
const n3Down = (t: number): boolean => t >= 1000 && t < 2600;

/** A good detector: it suspects n3 from `after` ms past the kill, and trusts it again 300 ms after it is back. */
const detector = (after: number) => (node: string, t: number): string[] | null => {
  if (node === 'n3') return n3Down(t) ? null : [];
  return t >= 1000 + after && t < 2900 ? ['n3'] : [];
};

describe('the failure-detector checker', () => {
  it('passes a detector that suspects a killed node in time and no live one, saying both figures', () => {
    const v = checkFailureDetector(merged(polls(detector(400)), killN3));
    expect(v.valid).toBe(true);
    expect(v.reason).toBe(
      'accuracy: 0.0% of the answers × live peers wrongly suspected a live node (0 of 94; target ≤ 2.0%); completeness: every node down past the deadline (1.00 s) was suspected by every other within it (slowest 0.40 s)',
    );
    expect(v.stats).toMatchObject({ detectionMs: 1000, maxFalseRate: 0.02, judged: 1, missed: 0, wrong: 0, falseRate: 0, slowestMs: 401 });
    expect(v.stats.detections).toEqual([
      { node: 'n3', observer: 'n1', how: 'killed', ms: 400, ever: true, lateMs: null, lateAtMs: null },
      { node: 'n3', observer: 'n2', how: 'killed', ms: 401, ever: true, lateMs: null, lateAtMs: null },
    ]);
  });

  it('fails a detection later than the deadline, saying who, whom and how late', () => {
    const v = checkFailureDetector(merged(polls((node, t) => (node === 'n1' ? (t >= 2200 && t < 2900 ? ['n3'] : []) : detector(400)(node, t))), killN3));
    expect(v.valid).toBe(false);
    expect(v.reason).toBe('completeness: n1 still trusted n3 at 2.000 s, 1.00 s after it was killed (deadline 1.00 s): it suspected it for good 1.20 s after, 0.20 s late');
    expect(v.stats.missed).toBe(1);
  });

  it('fails a node never suspected, and one suspected then trusted again while still down', () => {
    const never = checkFailureDetector(merged(polls((node, t) => (node === 'n2' ? (n3Down(t) ? [] : []) : detector(400)(node, t))), killN3));
    expect(never.reason).toBe('completeness: n2 still trusted n3 at 2.001 s, 1.00 s after it was killed (deadline 1.00 s): it never suspected it while it was down');
    const flapped = checkFailureDetector(merged(polls((node, t) => (node === 'n2' ? (t >= 1400 && t < 2100 ? ['n3'] : []) : detector(400)(node, t))), killN3));
    expect(flapped.valid).toBe(false);
    expect(flapped.reason).toMatch(/^completeness: n2 still trusted n3 at 2\.101 s, 1\.10 s after it was killed \(deadline 1\.00 s\): it suspected it, then trusted it again while it was down$/);
  });

  it('fails a false-suspicion rate above the target, with the rate beside the target and the first wrong one', () => {
    // n1 wrongly suspects n2 for 0.5 s (5 of 94 answer × peer pairs).
    const v = checkFailureDetector(merged(polls((node, t) => (node === 'n1' && t >= 3000 && t < 3500 ? ['n2'] : detector(400)(node, t))), killN3));
    expect(v.valid).toBe(false);
    expect(v.stats).toMatchObject({ wrong: 5, considered: 94, missed: 0 });
    expect(v.reason).toBe(
      'accuracy: 5.3% of the answers × live peers wrongly suspected a live node (5 of 94; target ≤ 2.0%); the first: n1 suspected n2 at 3.000 s, while n2 was up; completeness: every node down past the deadline (1.00 s) was suspected by every other within it (slowest 0.40 s)',
    );
    // The same history passes a laxer target.
    expect(checkFailureDetector(merged(polls((node, t) => (node === 'n1' && t >= 3000 && t < 3500 ? ['n2'] : detector(400)(node, t))), killN3), { maxFalseRate: 0.06 }).valid).toBe(true);
  });

  it('lets a node suspect any other in the first D of the run, as after a revive: the programs start one by one', () => {
    const early = (node: string, t: number): string[] | null => (t < 1000 && node !== 'n3' ? NODES.filter((n) => n !== node) : detector(400)(node, t));
    expect(checkFailureDetector(merged(polls(early), killN3))).toMatchObject({ valid: true, stats: { wrong: 0, considered: 94 } });
  });

  it('counts a paused node as down: suspecting it is no fault, and it must be suspected in time', () => {
    const pauseN2 = [...nemesis('pause', 'n2', 500, 501), ...nemesis('resume', 'n2', 2000, 2001)];
    const answer = (node: string, t: number): string[] | null => (node === 'n2' ? (t >= 500 && t < 2001 ? null : []) : t >= 800 && t < 2300 ? ['n2'] : []);
    const v = checkFailureDetector(merged(polls(answer), pauseN2));
    expect(v).toMatchObject({ valid: true, stats: { judged: 1, wrong: 0, slowestMs: 302 } });
    expect(v.stats.detections.map((d) => d.how)).toEqual(['paused', 'paused']);
  });

  it('says completeness was not tested when no node was down longer than the deadline', () => {
    const v = checkFailureDetector(merged(polls(detector(400)), killN3), { detectionMs: 2000 });
    expect(v.valid).toBe(true);
    expect(v.reason).toMatch(/completeness: no node stayed down past the deadline \(2\.00 s\) while the others were asked, so completeness was not tested$/);
  });

  it('reads downtimes from the first event of a fault to the last of its end', () => {
    expect(downtimes(merged(killN3, nemesis('partition', [['n1'], ['n2', 'n3']], 3000), nemesis('kill', 'n1', 3500)))).toEqual([
      { node: 'n3', how: 'killed', fromMs: 1000, toMs: 2600 },
      { node: 'n1', how: 'killed', fromMs: 3500, toMs: Infinity },
    ]);
  });
});

describe("the nemesis's events in a history", () => {
  const faults = merged(nemesis('partition', [['n1'], ['n2']], 2, 3), nemesis('heal', null, 6, 7), nemesis('kill', 'n2', 8), nemesis('slow', { latencyMs: 200, jitterMs: 100 }, 9));

  it('are no client operation: pairing leaves them out', () => {
    const h = history([0, 'echo', 0, 5, { node: 'n1', value: 'x' }]);
    const paired = pairOps(merged(h, faults));
    expect(paired).toEqual({ ...pairOps(h), ops: pairOps(h).ops.map((op) => ({ ...op, index: expect.any(Number) as number })) });
    expect(paired.unpaired).toBe(0);
  });

  it("change no other checker's verdict", () => {
    const echo = history([0, 'echo', 0, 5, { node: 'n1', value: 'x' }], [1, 'echo', 1, 10, { node: 'n2', value: 'y' }]);
    expect(checkEcho(merged(echo, faults))).toEqual(checkEcho(echo));
    const ids = history([0, 'generate', 0, 5, { node: 'n1', out: 1 }], [1, 'generate', 1, 10, { node: 'n2', out: 2 }]);
    expect(checkUniqueIds(merged(ids, faults))).toEqual(checkUniqueIds(ids));
    const set = history([0, 'add', 0, 5, { node: 'n1', value: 1 }], [1, 'read', 20, 25, { node: 'n2', final: true, out: [1] }]);
    expect(checkSet(merged(set, faults), { add: 'add', noun: 'element' })).toEqual(checkSet(set, { add: 'add', noun: 'element' }));
    const kv = history([0, 'write', 0, 5, { node: 'n1', key: 1, value: 3 }], [1, 'read', 6, 10, { node: 'n2', key: 1, out: 3 }]);
    expect(checkLinKv(merged(kv, faults))).toEqual(checkLinKv(kv));
    expect(checkLinKv(merged(kv, faults)).valid).toBe(true);
    const counter = history([0, 'add', 0, 5, { node: 'n1', value: 2 }], [1, 'read', 20, 25, { node: 'n2', final: true, out: 2 }]);
    expect(checkCounter(merged(counter, faults), { grow: true })).toEqual(checkCounter(counter, { grow: true }));
    expect(checkCounter(merged(counter, faults), { grow: true }).valid).toBe(true);
    const txn = history([0, 'txn', 0, 5, { node: 'n1', value: [['append', 1, 1]] }], [1, 'txn', 6, 10, { node: 'n2', value: [['r', 1, null]], out: [['r', 1, [1]]] }]);
    expect(checkTxnListAppend(merged(txn, faults))).toEqual(checkTxnListAppend(txn));
    expect(checkTxnListAppend(merged(txn, faults)).valid).toBe(true);
  });
});
