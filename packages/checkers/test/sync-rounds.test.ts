/**
 * Clock synchronisation rounds against the truth, on hand-made traces: the client's clock is 2 s
 * behind its server's; symmetric and lopsided trips, a method that lies, a reply whose send is not
 * in the trace, a round that steps the client's clock.
 */
import { describe, expect, it } from 'vitest';
import { SYNC_BOUND_TOLERANCE_MS, syncRounds, syncSummary } from '../src/index.js';
import { ClockLab } from './support/clock-lab.js';

const lab = () => new ClockLab().skew('n2', -2000);

describe('sync rounds', () => {
  it('measures an NTP round with equal trips: the estimate is the true offset', () => {
    const [r] = syncRounds(lab().syncRound('n2', 'n1').lines);
    expect(r).toMatchObject({ node: 'n2', server: 'n1', method: 'ntp', round: 0, reply: 'n1-resp-0', trueOffsetMs: 2000, estimateMs: 2000, errorMs: 0, withinBound: true });
    expect(r.rttMs).toBe(13); // 1 ms a line, 5 ms each way
    expect(r.boundMs).toBe(6);
    expect(r.correctedMs).toBeUndefined();
  });

  it('finds the error of a lopsided trip, and that it stays within the bound the method claims', () => {
    const rounds = syncRounds(lab().syncRound('n2', 'n1', { reqMs: 40, respMs: 0 }).syncRound('n2', 'n1', { round: 1, method: 'cristian', reqMs: 40, respMs: 0 }).lines);
    expect(rounds.map((r) => [r.method, r.errorMs, r.boundMs, r.withinBound])).toEqual([
      ['ntp', 20, 21, true],
      ['cristian', 20.5, 21.5, true],
    ]);
  });

  it('flags an estimate outside its bound', () => {
    const rounds = syncRounds(lab().syncRound('n2', 'n1', { lie: 30 }).lines);
    expect(rounds.map((r) => [r.errorMs, r.boundMs, r.withinBound])).toEqual([[30, 6, false]]);
    expect(syncSummary(rounds).allWithinBound).toBe(false);
  });

  it('allows half a millisecond for whole-ms readings, no more', () => {
    // Readings are floored to whole ms: a clock at −2000.5 ms is estimated 0.5 ms off by that alone.
    expect(syncRounds(new ClockLab().skew('n2', -2000.5).syncRound('n2', 'n1').lines)[0]).toMatchObject({ trueOffsetMs: 2000.5, estimateMs: 2001, errorMs: 0.5 });
    const check = (lie: number) => syncRounds(lab().syncRound('n2', 'n1', { lie }).lines)[0];
    expect(check(6 + SYNC_BOUND_TOLERANCE_MS)).toMatchObject({ errorMs: 6.5, boundMs: 6, withinBound: true });
    expect(check(-6.5)).toMatchObject({ errorMs: -6.5, withinBound: true });
    expect(check(6.75)).toMatchObject({ errorMs: 6.75, withinBound: false });
  });

  it('has no truth for a round whose reply was never traced as sent', () => {
    const rounds = syncRounds(lab().syncRound('n2', 'n1', { traceReplySend: false }).syncRound('n2', 'n1', { round: 1 }).lines);
    expect(rounds.map((r) => [r.round, r.trueOffsetMs, r.errorMs, r.withinBound])).toEqual([
      [0, null, null, null],
      [1, 2000, 0, true],
    ]);
    expect(syncSummary(rounds)).toMatchObject({ rounds: 2, measured: 1, allWithinBound: true });
    expect(syncSummary(rounds.slice(0, 1))).toEqual({ rounds: 1, measured: 0, medianAbsErrorMs: null, maxAbsErrorMs: null, medianBoundMs: 6, allWithinBound: null });
  });

  it('reads the offset of a client that stepped its clock before its sync line at the reply, before the step', () => {
    const l = lab().syncRound('n2', 'n1', { reqMs: 40, respMs: 0, correct: true });
    const [r] = syncRounds(l.lines);
    expect(r).toMatchObject({ correctedMs: 2020, trueOffsetMs: 2000, errorMs: 20, withinBound: true });
    // The next round sees the corrected clock: 20 ms ahead of the server now.
    const [, next] = syncRounds(l.syncRound('n2', 'n1', { round: 1 }).lines);
    expect(next).toMatchObject({ trueOffsetMs: -20, estimateMs: -20, errorMs: 0 });
  });

  it('keeps to one client, and sums the rounds up', () => {
    const l = lab().skew('n3', 100).syncRound('n2', 'n1', { lie: 3 }).syncRound('n3', 'n1', { lie: -1 }).syncRound('n2', 'n1', { round: 1, lie: -8, reqMs: 20 });
    expect(syncRounds(l.lines, { node: 'n3' }).map((r) => [r.node, r.trueOffsetMs, r.errorMs])).toEqual([['n3', -100, -1]]);
    const n2 = syncRounds(l.lines, { node: 'n2' });
    expect(n2.map((r) => [r.errorMs, r.boundMs])).toEqual([
      [3, 6],
      [-0.5, 13.5],
    ]);
    expect(syncSummary(n2)).toEqual({ rounds: 2, measured: 2, medianAbsErrorMs: 1.75, maxAbsErrorMs: 3, medianBoundMs: 9.75, allWithinBound: true });
    expect(syncSummary([])).toEqual({ rounds: 0, measured: 0, medianAbsErrorMs: null, maxAbsErrorMs: null, medianBoundMs: null, allWithinBound: null });
  });
});
