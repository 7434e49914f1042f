/**
 * `faultline exercise`, as a student uses it: list, start (the starter and the node library in a
 * folder of theirs), check (their node on a real lab under the exercise's fault schedules). The
 * starter fails with the checker's reason and a nudge; each reference solution passes.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from './support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-exercise-'));
const { faultline } = cliIn(dir);
const EXERCISES = fileURLToPath(new URL('../packages/cli/exercises/', import.meta.url));
/** The repository (npm's prefix), without its trailing slash. */
const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A student's folder of `name` with its reference solution in: the check passes every schedule. */
async function solutionPasses(name: string): Promise<void> {
  const mine = join(dir, 'solutions', name);
  expect((await faultline('exercise', 'start', name, '--dir', mine)).exitCode).toBe(0);
  cpSync(join(EXERCISES, name, 'solution', 'main.mjs'), join(mine, 'main.mjs'));
  const r = await faultline('exercise', 'check', name, '--dir', mine);
  expect(r.exitCode, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^passed: 2 of 2 schedules held$/m);
}

describe('faultline exercise', () => {
  it('lists the exercises, each after its lesson', async () => {
    const r = await faultline('exercise', 'list');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^broadcast-partitions +A broadcast that survives partitions \(after the lesson duplicates-and-reordering\)$/m);
    expect(r.stdout).toMatch(/^g-counter-converges +A grow-only counter that converges/m);
    expect(r.stdout).toMatch(/^vector-clock-register +A register that keeps concurrent writes \(after the lesson vector-clocks\)$/m);
    expect(r.stdout).toMatch(/^idempotent-counter +A counter that a retry cannot count twice \(after the lesson slow-or-lost\)$/m);
    expect(r.stdout).toMatch(/^failure-detector +A failure detector that is fast and seldom wrong \(after the lesson failure-detection\)$/m);
  });

  it('start writes the starter and the node library, says what to build; a second start keeps the work', async () => {
    const r = await faultline('exercise', 'start', 'broadcast-partitions');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('━━ A broadcast that survives partitions');
    expect(r.stdout).toContain('your files: exercises/broadcast-partitions/ (main.mjs, node.mjs)');
    expect(readFileSync(join(dir, 'exercises/broadcast-partitions/main.mjs'), 'utf8')).toContain('TODO');
    expect(existsSync(join(dir, 'exercises/broadcast-partitions/node.mjs'))).toBe(true);
    const again = await faultline('exercise', 'start', 'broadcast-partitions');
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr.trim().split('\n')).toEqual(['faultline: exercises/broadcast-partitions/main.mjs is there already: your work is kept (another folder: --dir)']);
    for (const line of r.stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  // A failure detector is judged by its timing: its checks run alone.
  it('check: the failure-detector starter is too often wrong, its rate beside the target, and a nudge', { timeout: 120_000 }, async () => {
    const mine = join(dir, 'fd-starter');
    expect((await faultline('exercise', 'start', 'failure-detector', '--dir', mine)).exitCode).toBe(0);
    // Its first schedule, where slow links make a 150 ms timeout wrong by far.
    const r = await faultline('exercise', 'check', 'failure-detector', '--dir', mine, '--schedule', '1');
    expect(r.exitCode, r.stderr).toBe(1);
    const unfolded = r.stdout.replace(/\n {4}/g, ' ');
    const rate = /✗ did not hold: accuracy: (\d+\.\d)% of the answers × live peers wrongly suspected a live node \(\d+ of \d+; target ≤ 2\.0%\)/.exec(unfolded);
    expect(rate, unfolded).not.toBeNull();
    expect(Number(rate![1])).toBeGreaterThan(4);
    expect(r.stdout).toMatch(/^not yet: 0 of 1 schedule held$/m);
    expect(r.stdout).toContain("What could tell a node how long a live peer's silence can last?");
  });

  it('check: the reference solution of failure-detector passes every schedule', { timeout: 120_000 }, () => solutionPasses('failure-detector'));

  // The other checks judge what the nodes end up with, not how fast: they run side by side.
  it.concurrent('check: the starter does not hold, with the checker\'s reason and a nudge (exit 1)', { timeout: 180_000 }, async () => {
    const r = await faultline('exercise', 'check', 'broadcast-partitions');
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^ {2}✗ did not hold: message \d+ was acknowledged by n\d/m);
    expect(r.stdout).toMatch(/^not yet: 0 of 2 schedules held$/m);
    expect(r.stdout).toMatch(/^ {2}again, this one alone: `npx faultline exercise check broadcast-partitions --schedule 2`$/m);
    expect(r.stdout).toContain('A message sent across a partition is lost, and nobody tells the sender.');
  });

  it.concurrent('check: the last-writer-wins starter of vector-clock-register loses a concurrent write, and says so', { timeout: 180_000 }, async () => {
    const mine = join(dir, 'starters', 'vector-clock-register');
    expect((await faultline('exercise', 'start', 'vector-clock-register', '--dir', mine)).exitCode).toBe(0);
    // One schedule is enough to see it (and a whole check is the broadcast starter's test).
    const r = await faultline('exercise', 'check', 'vector-clock-register', '--dir', mine, '--schedule', '1');
    expect(r.exitCode, r.stderr).toBe(1);
    // The reason, unfolded (its lines after the first are indented four).
    const said = r.stdout.replace(/\n {4}/g, ' ');
    expect(said).toMatch(/^ {2}✗ did not hold: the write of \d+ \(c\d on n\d, acknowledged\) is lost: no write saw it, yet the final read on every node is \[\d+\]: two concurrent writes must both be kept/m);
    expect(r.stdout).toMatch(/^not yet: 0 of 1 schedule held$/m);
    expect(r.stdout).toContain('What could each value carry, and the');
    for (const line of r.stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  it.concurrent('check: the idempotent-counter starter counts a retried add twice, and says so', { timeout: 180_000 }, async () => {
    const mine = join(dir, 'starters', 'idempotent-counter');
    expect((await faultline('exercise', 'start', 'idempotent-counter', '--dir', mine)).exitCode).toBe(0);
    // Its first schedule, where the proxy duplicates requests (the second, drops, may miss it).
    const r = await faultline('exercise', 'check', 'idempotent-counter', '--dir', mine, '--schedule', '1');
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    // The verdict folded to 80 columns, unfolded.
    const said = r.stdout.replace(/\n {4}/g, ' ');
    expect(said).toMatch(/^ {2}✗ did not hold: the final read on n\d answered \d+, but the acknowledged adds sum to \d+[^\n]*: some adds were counted twice, or invented/m);
    expect(r.stdout).toMatch(/^not yet: 0 of 1 schedule held$/m);
    expect(r.stdout).toContain('How could n1 tell a new add from one it has already counted?');
  });

  it.concurrent('check: the g-counter-converges starter never tells the others, and the final reads say so', { timeout: 180_000 }, async () => {
    const mine = join(dir, 'starters', 'g-counter-converges');
    expect((await faultline('exercise', 'start', 'g-counter-converges', '--dir', mine)).exitCode).toBe(0);
    const r = await faultline('exercise', 'check', 'g-counter-converges', '--dir', mine, '--schedule', '2');
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stdout.replace(/\n {4}/g, ' ')).toMatch(/^ {2}✗ did not hold: the final read on n\d answered \d+, but the acknowledged adds sum to \d+/m);
    expect(r.stdout).toMatch(/^not yet: 0 of 1 schedule held$/m);
  });

  for (const name of ['broadcast-partitions', 'g-counter-converges', 'idempotent-counter', 'vector-clock-register']) {
    it.concurrent(`check: the reference solution of ${name} passes every schedule`, { timeout: 180_000 }, () => solutionPasses(name));
  }

  it("from the student's own folder (npm run --prefix REPO faultline --): the files land there, and the hint is typed the same way", { timeout: 120_000 }, async () => {
    const mine = mkdtempSync(join(tmpdir(), 'faultline-student-'));
    try {
      const r = await execa('npm', ['run', '-s', '--prefix', ROOT, 'faultline', '--', 'exercise', 'start', 'g-counter-converges'], { cwd: mine, reject: false, timeout: 90_000 });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(existsSync(join(mine, 'exercises/g-counter-converges/main.mjs'))).toBe(true);
      expect(r.stdout).toContain(`hint: \`npm run --prefix ${ROOT} faultline -- exercise check g-counter-converges\``);
    } finally {
      rmSync(mine, { recursive: true, force: true });
    }
  });

  it('an unknown exercise, a check before start, or a schedule it does not have is one line', async () => {
    const unknown = await faultline('exercise', 'check', 'nope');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr.trim()).toBe('faultline: no exercise called "nope"; there are: broadcast-partitions, failure-detector, g-counter-converges, idempotent-counter, vector-clock-register');
    const early = await faultline('exercise', 'check', 'g-counter-converges', '--dir', join(dir, 'nowhere'));
    expect(early.exitCode).toBe(2);
    expect(early.stderr.trim()).toMatch(/^faultline: no folder .*nowhere: start with `npx faultline exercise start g-counter-converges`$/);
    const schedule = await faultline('exercise', 'check', 'g-counter-converges', '--schedule', '3');
    expect(schedule.exitCode).toBe(2);
    expect(schedule.stderr.trim()).toBe('faultline: expected --schedule from 1 to 2 (the exercise has 2), got "3"');
  });
});
