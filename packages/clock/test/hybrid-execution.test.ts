/**
 * The hybrid logical clock over random executions (support/execution.ts) in which every process
 * reads its own skewed physical clock: offsets within ±E ms of true time, optionally with drift,
 * never stepped, so each process's physical readings never decrease.
 *
 * The bounds, precisely (pt is the reading the HLC was fed at event f, t its true time):
 * - l − pt ≤ σ(t), where σ(t) = max over processes k of pt_k(t) − pt(t) is how far the fastest
 *   clock is ahead of f's clock at f's instant. Why: l.f is the reading pt.g of an event g with
 *   g = f or g → f (the algorithm only takes maxima of readings); g is no later than f in true
 *   time and g's clock never goes back, so pt.g ≤ pt_k(t) for g's process k. This is checked
 *   exactly (float rounding is monotone, so no tolerance is needed).
 * - Hence l − pt ≤ ε for any bound ε on the skew between two clocks. With offsets in ±E and no
 *   drift two clocks are at most 2E apart, so we check l − pt ≤ (max offset − min offset) ≤ 2E.
 *   (A bound of E holds for l against *true* time: l − t ≤ max offset ≤ E, also checked.)
 * - c.f ≤ #{g : g → f and l.g = l.f} (the paper's Theorem 3), always; and when every clock ticks
 *   at least 1 ms between two events of its process (integer readings, true time strictly
 *   increasing, no drift), c ≤ N · (ε + 1): the events g → f with l.g = l.f have readings in
 *   [l.f − ε, l.f], distinct on each process, so at most ε + 1 per process.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc } from '../src/index.js';
import { commandsArb, configArb, runExecution, type Execution } from './support/execution.js';

const E = 100;

/** Max over processes of their physical reading at true time t. */
function fastestAt(x: Execution, trueMs: number): number {
  let max = -Infinity;
  for (let k = 0; k < x.processes; k++) max = Math.max(max, x.physicalAt(k, trueMs));
  return max;
}

const drifting = fc.record({ config: configArb({ maxOffsetMs: E, maxDriftPpm: 200_000 }), cmds: commandsArb(40) });
const offsetOnly = fc.record({ config: configArb({ maxOffsetMs: E, maxDriftPpm: 0 }), cmds: commandsArb(40) });

describe('hybrid logical clock over random executions with skewed physical clocks', () => {
  it('l never decreases at a process, and each event is stamped above the previous one', () => {
    fc.assert(
      fc.property(drifting, ({ config, cmds }) => {
        const x = runExecution(config, cmds);
        for (let p = 0; p < x.processes; p++) {
          const mine = x.events.filter((e) => e.process === p);
          for (let i = 1; i < mine.length; i++) {
            expect(mine[i].hlc.wallMs).toBeGreaterThanOrEqual(mine[i - 1].hlc.wallMs);
            expect(compareHlc(mine[i - 1].hlc, mine[i].hlc)).toBe(-1);
          }
        }
      }),
    );
  });

  it('e → f ⇒ hlc(e) < hlc(f)', () => {
    fc.assert(
      fc.property(drifting, ({ config, cmds }) => {
        const x = runExecution(config, cmds);
        const hb = x.happensBefore();
        for (const e of x.events) {
          for (const f of x.events) {
            if (hb[e.id][f.id]) expect(compareHlc(e.hlc, f.hlc), `hlc(${e.id}) < hlc(${f.id})`).toBe(-1);
          }
        }
      }),
    );
  });

  it('pt ≤ l ≤ pt + σ(t): never behind its own clock, never ahead of the fastest clock at that instant', () => {
    fc.assert(
      fc.property(drifting, ({ config, cmds }) => {
        const x = runExecution(config, cmds);
        for (const f of x.events) {
          expect(f.hlc.wallMs).toBeGreaterThanOrEqual(f.pt);
          expect(f.hlc.wallMs - f.pt).toBeLessThanOrEqual(fastestAt(x, f.trueMs) - f.pt);
        }
      }),
    );
  });

  it('offsets within ±E, no drift: l − pt ≤ max offset − min offset ≤ 2E, and l − true time ≤ E', () => {
    fc.assert(
      fc.property(offsetOnly, ({ config, cmds }) => {
        const x = runExecution(config, cmds);
        const offsets = config.skews.slice(0, config.processes).map((s) => s.offsetMs);
        const epsilon = Math.max(...offsets) - Math.min(...offsets);
        expect(epsilon).toBeLessThanOrEqual(2 * E);
        for (const f of x.events) {
          expect(f.hlc.wallMs - f.pt).toBeLessThanOrEqual(epsilon);
          expect(f.hlc.wallMs - f.trueMs).toBeLessThanOrEqual(Math.max(...offsets));
          expect(f.hlc.wallMs - f.trueMs).toBeLessThanOrEqual(E);
        }
      }),
    );
  });

  it('c ≤ #{g → f with l.g = l.f} always', () => {
    fc.assert(
      fc.property(drifting, ({ config, cmds }) => {
        const x = runExecution(config, cmds);
        const hb = x.happensBefore();
        for (const f of x.events) {
          const sameL = x.events.filter((g) => hb[g.id][f.id] && g.hlc.wallMs === f.hlc.wallMs).length;
          expect(f.hlc.logical, `c at event ${f.id}`).toBeLessThanOrEqual(sameL);
        }
      }),
    );
  });

  it('c ≤ N · (ε + 1) when every clock ticks at least 1 ms between events of its process', () => {
    fc.assert(
      fc.property(offsetOnly, ({ config: drawn, cmds }) => {
        const config = { ...drawn, minGapMs: 1 };
        const x = runExecution(config, cmds);
        const offsets = config.skews.slice(0, config.processes).map((s) => s.offsetMs);
        const epsilon = Math.max(...offsets) - Math.min(...offsets);
        for (const f of x.events) expect(f.hlc.logical).toBeLessThanOrEqual(x.processes * (epsilon + 1));
      }),
    );
  });

  it('the counter does its job: some runs need c > 0 to keep causality', () => {
    const samples = fc.sample(drifting, { numRuns: 200, seed: 7 }).map(({ config, cmds }) => runExecution(config, cmds));
    expect(samples.some((x) => x.events.some((e) => e.hlc.logical > 0))).toBe(true);
    expect(samples.some((x) => x.events.some((e) => e.kind === 'receive' && e.hlc.wallMs > e.pt))).toBe(true);
  });
});
