/**
 * The lessons on partial failure (why distribute, partial failure, failure detection, split
 * brain), run for real with their fixed seeds: every expectation holds, the report draws each
 * history and the counterexample, the sweeps are measured, and `faultline check` gives, from the
 * run's own history files, the verdicts the lesson reports.
 */
import { readFileSync } from 'node:fs';
import { historyEventSchema } from '@faultline/protocol';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { expectComplete, runIt } from './support/lesson-run.js';
import { CLI, CLI_ENV } from './support/cli-process.js';

const faultline = (...args: string[]) => execa(process.execPath, [...CLI, ...args], { reject: false, timeout: 60_000, env: CLI_ENV });

type Run = Awaited<ReturnType<typeof runIt>>;
const value = (r: Run, name: string): Record<string, unknown> => r.report.checks.find((c) => c.name === name)!.value as Record<string, unknown>;
const history = (r: Run, name: string) => r.report.histories.find((h) => h.name === name)!;

describe('lessons on partial failure, run for real', () => {
  it('why-distribute: one server fails totally; three copies go on and share the reads; the revived copy is stale', { timeout: 120_000 }, async () => {
    const r = await runIt('why-distribute');
    await expectComplete('why-distribute', r);
    expect(history(r, 'one-dead')).toMatchObject({ operations: 10, ok: 0 });
    expect(history(r, 'three-dead').ok).toBeGreaterThanOrEqual(20);
    // The strips: one row a server, the revived n4's stale reads marked.
    expect(history(r, 'three').strips.slice(0, 3).map((s) => s.trim().slice(0, 2))).toEqual(['n2', 'n3', 'n4']);
    expect(history(r, 'back').strips.find((s) => s.trim().startsWith('n4'))).toMatch(/s/);
    // Every history file is the documented format, one event a line.
    for (const h of r.report.histories) {
      const events = readFileSync(h.file, 'utf8').trimEnd().split('\n').map((l) => historyEventSchema.parse(JSON.parse(l)));
      expect(events.filter((e) => e.type === 'invoke')).toHaveLength(h.operations);
    }
  });

  it('partial-failure: n3 cut off serves stale reads; the checker fails that history with a counterexample and passes the healed one', { timeout: 120_000 }, async () => {
    const r = await runIt('partial-failure');
    await expectComplete('partial-failure', r);
    const [counter] = r.report.counterexamples;
    expect(counter.histories).toEqual(['before', 'cut']);
    const stuck = counter.ops.find((o) => o.role === 'stuck')!;
    expect(stuck).toMatchObject({ kind: 'read', node: 'n3', type: 'ok' });
    expect(counter.table.rows.some((row) => row.includes('◀ no order explains this'))).toBe(true);
    // The commands the reveal prints give the same verdicts from the files.
    const cut = value(r, 'cut-not-linearizable').command as string;
    const healed = value(r, 'healed-linearizable').command as string;
    const run = (command: string) => faultline(...command.replace(/^npx faultline /, '').split(' '), '--json');
    const [notLin, lin] = await Promise.all([run(cut), run(healed)]);
    expect(notLin.exitCode, notLin.stderr).toBe(1);
    expect(JSON.parse(notLin.stdout)).toMatchObject({ result: 'not' });
    expect(lin.exitCode, lin.stderr).toBe(0);
    expect(JSON.parse(lin.stdout)).toMatchObject({ result: 'linearizable' });
  });

  it('failure-detection: a pause is suspected and forgiven; jitter gives wrong suspicions; no timeout is both fast and never wrong', { timeout: 120_000 }, async () => {
    const r = await runIt('failure-detection');
    await expectComplete('failure-detection', r);
    const [wrong, detection, phi] = r.report.sweeps;
    expect(wrong.rows.map((row) => row.value)).toEqual(['150', '300', '600', '1200']);
    expect(detection.rows.every((row) => row.figure !== null)).toBe(true);
    // The trade-off: the shortest timeout is the fastest and the most often wrong.
    expect(detection.rows[0].figure!).toBeLessThan(detection.rows[3].figure!);
    expect(wrong.rows[0].figure!).toBeGreaterThan(wrong.rows[3].figure!);
    expect(phi.rows).toHaveLength(3);
    expect(value(r, 'late-is-dead').right).toBe(0);
  });

  it('split-brain: two leaders at once without a quorum, and lost writes; never two with one', { timeout: 120_000 }, async () => {
    const r = await runIt('split-brain');
    await expectComplete('split-brain', r);
    expect(value(r, 'a-leaders').count).toBe(2);
    expect(value(r, 'b-leaders').count).toBe(1);
    expect(Number(value(r, 'a-lost').count)).toBeGreaterThan(0);
    // Every lost write was one the small side's leader (n1) acknowledged.
    const lost = String(value(r, 'a-lost').values).split(', ').map(Number);
    const small = history(r, 'a-small').ops.filter((o) => o.type === 'ok').map((o) => Number(o.input));
    for (const v of lost) expect(small).toContain(v);
  });
});
