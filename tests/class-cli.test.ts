/**
 * The classroom on one machine, for real: an instructor's console (`class start`), two students'
 * labs (`faultline up`) each joined to it (`class join`), a lesson pushed to both; the console sees
 * each prediction and then each verdict; a student whose `class join` dies (a laptop shut) joins
 * again as the same student and loses nothing; the class exports as CSV; a lesson file of the
 * instructor's own (`class push --file`) runs on both, a bad one never leaves the console's
 * machine. Real processes, real sockets; every process the test started is stopped.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classViewSchema, type ClassView } from '@faultline/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PING } from './support/scenarios.js';
import { cliIn } from './support/cli-process.js';

const root = mkdtempSync(join(tmpdir(), 'faultline-class-cli-'));
const dirs = { teacher: join(root, 'teacher'), ada: join(root, 'ada'), bob: join(root, 'bob') };
for (const d of Object.values(dirs)) mkdirSync(d);
const teacher = cliIn(dirs.teacher);
const ada = cliIn(dirs.ada);
const bob = cliIn(dirs.bob);
const BOUND_MS = 90_000;


let console_: ReturnType<typeof teacher.started> | undefined;
const joins: ReturnType<typeof ada.started>[] = [];
let url = '';
let key = '';
let code = '';

async function classView(): Promise<ClassView> {
  return classViewSchema.parse(await (await fetch(`${url}/class`, { headers: { authorization: `Bearer ${key}` } })).json());
}

/** Waits for the class to be as `ok` says (each change is a frame a student sent). */
async function until(ok: (v: ClassView) => boolean, what: string): Promise<ClassView> {
  const since = performance.now();
  for (;;) {
    const view = await classView();
    if (ok(view)) return view;
    if (performance.now() - since > BOUND_MS) throw new Error(`not within ${BOUND_MS} ms: ${what}: ${JSON.stringify(view)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  console_ = teacher.started(['class', 'start', '--port', '0']);
  code = (await console_.until(/join code ([A-Z0-9]{4}-[A-Z0-9]{4})/))[1]!;
  ({ url, key } = JSON.parse(readFileSync(join(dirs.teacher, '.faultline', 'class-console.json'), 'utf8')) as { url: string; key: string });
  const [a, b] = await Promise.all([ada.faultline('up', '--detach'), bob.faultline('up', '--detach')]);
  expect(a.exitCode, a.stderr).toBe(0);
  expect(b.exitCode, b.stderr).toBe(0);
}, BOUND_MS);

afterAll(async () => {
  for (const j of joins) j.child.kill('SIGTERM');
  console_?.child.kill('SIGTERM');
  await Promise.all([ada.faultline('down'), bob.faultline('down'), ...joins.map((j) => j.child), console_?.child]);
  rmSync(root, { recursive: true, force: true });
}, BOUND_MS);

describe('a class of two labs', () => {
  it('each lab joins and reports itself; a wrong code is refused in one line', async () => {
    const host = new URL(url).host;
    joins.push(ada.started(['class', 'join', host, code, '--name', 'Ada', '--predict', '2']));
    joins.push(bob.started(['class', 'join', host, code.toLowerCase(), '--name', 'Bob', '--predict', '1']));
    await Promise.all(joins.map((j) => j.until(/joined the class at .* as (Ada|Bob)/)));
    const view = await until((v) => v.students.length === 2 && v.students.every((s) => s.lab?.up), 'two labs reporting');
    expect(view.students.map((s) => [s.name, s.connected, s.lab?.nodes])).toEqual([
      ['Ada', true, 3],
      ['Bob', true, 3],
    ]);
    const wrong = await ada.faultline('class', 'join', host, 'AAAA-2222', '--name', 'Eve');
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr.trim().split('\n')[0]).toBe(`faultline: the class at ${host} refused this lab: that is not this class’s join code`);
  }, BOUND_MS);

  it('a pushed lesson runs on both labs: the console has each prediction, then each verdict', async () => {
    const pushed = await teacher.faultline('class', 'push', 'clock-sync');
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    const view = await until((v) => v.students.every((s) => s.results[0]?.verdict), 'both verdicts');
    const [a, b] = view.students;
    expect(a.results[0]).toMatchObject({ assignment: 1, prediction: { answer: { choice: 2 } }, verdict: { correct: true } });
    expect(b.results[0]).toMatchObject({ assignment: 1, prediction: { answer: { choice: 1 } }, verdict: { correct: false } });
    for (const s of view.students) expect(s.results[0].verdict!.checks.map((c) => c.name)).toEqual(['symmetric', 'one-way']);
    const status = await teacher.faultline('class', 'status');
    expect(status.stdout).toContain('#1 clock-sync');
    expect(status.stdout).toMatch(/Ada .*│ 2 → (passed|failed), right/);
    expect(status.stdout).toMatch(/Bob .*│ 1 → (passed|failed), wrong/);
    for (const line of status.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  }, BOUND_MS);

  it("a student whose class join dies joins again as the same student, and the class keeps what it had", async () => {
    const bobJoin = joins[1];
    bobJoin.child.kill('SIGKILL');
    await bobJoin.child;
    await until((v) => v.students.find((s) => s.name === 'Bob')?.connected === false, 'Bob away');
    joins.push(bob.started(['class', 'join', new URL(url).host, code, '--name', 'Bob', '--predict', '1']));
    await joins.at(-1)!.until(/joined the class at .* as Bob/);
    const view = await until((v) => v.students.find((s) => s.name === 'Bob')?.connected === true, 'Bob back');
    expect(view.students).toHaveLength(2);
    // The lesson it already ran is not run again.
    expect(view.students.find((s) => s.name === 'Bob')!.results).toHaveLength(1);
    expect(joins.at(-1)!.out()).not.toContain('the class runs lesson #1');
  }, BOUND_MS);

  it('exports the class as CSV: a row a student and lesson', async () => {
    const r = await teacher.faultline('class', 'export', 'results.csv');
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = readFileSync(join(dirs.teacher, 'results.csv'), 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('student,name,assignment,lesson,predicted,correct,passed,held,checks,error');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 4).join(','))).toEqual(['Ada,1,clock-sync', 'Bob,1,clock-sync']);
  });

  it('class push --file: a lesson file of the instructor\'s own runs on both labs, and the console has each prediction and verdict', async () => {
    writeFileSync(join(dirs.teacher, 'ping.yaml'), PING);
    const pushed = await teacher.faultline('class', 'push', '--file', 'ping.yaml', '--json');
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    expect(JSON.parse(pushed.stdout)).toMatchObject({ id: 2, lesson: 'one-ping', scenario: { file: 'ping.yaml', text: PING } });
    await until((v) => v.students.every((s) => s.results.find((r) => r.assignment === 2)?.verdict), 'both verdicts of the file');
    const status = await teacher.faultline('class', 'status', '--json');
    expect(status.exitCode, status.stderr).toBe(0);
    const view = classViewSchema.parse(JSON.parse(status.stdout));
    expect(view.assignments.map((a) => [a.id, a.lesson, a.scenario?.file])).toEqual([
      [1, 'clock-sync', undefined],
      [2, 'one-ping', 'ping.yaml'],
    ]);
    const second = (name: string) => view.students.find((s) => s.name === name)!.results.find((r) => r.assignment === 2);
    // Ada answers every question 2 ("no"), Bob 1 ("yes"): the ping comes back.
    expect(second('Ada')).toMatchObject({ prediction: { answer: { choice: 2, text: 'no' } }, verdict: { passed: true, correct: false, checks: [{ name: 'answered', held: true }] } });
    expect(second('Bob')).toMatchObject({ prediction: { answer: { choice: 1, text: 'yes' } }, verdict: { passed: true, correct: true, checks: [{ name: 'answered', held: true }] } });
    expect(joins[0].out()).toContain('the class runs lesson #2: one-ping (the file ping.yaml)');
  }, BOUND_MS);

  it('a bad lesson file, or a LESSON and --file both (or neither), is one line, exit 2, and nothing is pushed', async () => {
    writeFileSync(join(dirs.teacher, 'bad.yaml'), PING.replace('to: n2,', 'to: n7,'));
    const before = (await classView()).assignments.length;
    const bad = await teacher.faultline('class', 'push', '--file', 'bad.yaml');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim()).toBe('faultline: bad.yaml:13: steps[0].rpc.to: unknown node "n7" (the cluster has n1 … n2)');
    const both = await teacher.faultline('class', 'push', '--file', 'ping.yaml', 'clock-sync');
    expect(both.exitCode).toBe(2);
    expect(both.stderr.trim()).toBe('faultline: give a LESSON or --file FILE.yaml, not both (got clock-sync and --file ping.yaml)');
    const neither = await teacher.faultline('class', 'push');
    expect(neither.exitCode).toBe(2);
    expect(neither.stderr.trim()).toBe('faultline: class push needs a LESSON (faultline lesson list names them) or --file FILE.yaml');
    const missing = await teacher.faultline('class', 'push', '--file', 'nope.yaml');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim()).toBe('faultline: nope.yaml: cannot read it (ENOENT)');
    expect((await classView()).assignments).toHaveLength(before);
  });
});
