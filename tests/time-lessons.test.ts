/**
 * The lessons on time (no global clock), run for real with their fixed seeds: every expectation
 * holds, the report shows the clocks beside true time, the sweep's rows are measured, and
 * `faultline order` answers from the run's trace file what the lesson says.
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { expectComplete, runIt } from './support/lesson-run.js';
import { CLI, CLI_ENV } from './support/cli-process.js';

const faultline = (...args: string[]) => execa(process.execPath, [...CLI, ...args], { reject: false, timeout: 60_000, env: CLI_ENV });

const value = (r: Awaited<ReturnType<typeof runIt>>, name: string): Record<string, unknown> => r.report.checks.find((c) => c.name === name)!.value as Record<string, unknown>;

describe('lessons on time, run for real', () => {
  it('skew-breaks-lww: the later write loses to a clock 2 s behind; lost updates grow with the skew', { timeout: 120_000 }, async () => {
    const r = await runIt('skew-breaks-lww');
    await expectComplete('skew-breaks-lww', r);
    const [sweep] = r.report.sweeps;
    expect(sweep.rows.map((row) => row.value)).toEqual(['0ms', '10ms', '100ms', '1s', '2s']);
    expect(sweep.rows.every((row) => row.figure !== null)).toBe(true);
    expect(sweep.rows[0].figure).toBe(0);
    expect(sweep.rows[4].figure).toBeGreaterThan(0);
    // The reveal's view: each write's wall time on its own node beside true time, and its fate.
    const second = r.report.clocks.writes.find((w) => w.name === 'second')!;
    expect(second.fate).toBe('lost to first');
    expect(second.trueMs - second.wallMs).toBeGreaterThanOrEqual(1999);
    expect(value(r, 'lost-x').stampBehindMs).toBeGreaterThan(1000);
  });

  it('lamport-order: the causal write wins; two concurrent writes are ordered anyway', { timeout: 90_000 }, async () => {
    const r = await runIt('lamport-order');
    await expectComplete('lamport-order', r);
    expect(value(r, 'y-on-n2').count).toBe(1);
  });

  it('vector-clocks: siblings for the concurrent pair only; faultline order says so from the trace file', { timeout: 90_000 }, async () => {
    const r = await runIt('vector-clocks');
    await expectComplete('vector-clocks', r);
    const concurrent = value(r, 'y-concurrent');
    const causal = value(r, 'x-causal');
    const answer = async (a: unknown, b: unknown): Promise<string> => {
      const out = await faultline('order', String(a), String(b), '--trace', r.report.files.trace, '--json');
      expect(out.exitCode, out.stderr).toBe(0);
      return (JSON.parse(out.stdout) as { order: string }).order;
    };
    expect(await answer(concurrent.a, concurrent.b)).toBe('concurrent');
    expect(await answer(causal.a, causal.b)).toBe('before');
  });

  it('hybrid-clocks: a +10 s jump is carried to every node, within the bound', { timeout: 90_000 }, async () => {
    const r = await runIt('hybrid-clocks');
    await expectComplete('hybrid-clocks', r);
    const gap = value(r, 'n3-gap');
    expect(Number(gap.gapMs)).toBeLessThanOrEqual(Number(gap.boundMs));
    expect(Number(gap.boundMs)).toBeGreaterThanOrEqual(11_900);
  });

  it('clock-sync: symmetric latency keeps the estimate close; one-way latency puts it off by half the asymmetry', { timeout: 90_000 }, async () => {
    const r = await runIt('clock-sync');
    await expectComplete('clock-sync', r);
    const [sym, oneWay] = [value(r, 'symmetric'), value(r, 'one-way')];
    expect(Number(oneWay.errorMs)).toBeGreaterThan(Number(sym.errorMs) + 50);
    expect(r.report.clocks.sync).toHaveLength(10);
    for (const row of r.report.clocks.sync) expect(row.trueOffsetMs).toBe(300);
  });
});
