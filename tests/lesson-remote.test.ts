/**
 * `faultline lesson run NAME --lab URL`: a lesson on a lab that is already running (`faultline
 * up`, as a student starts it), through the lab's lessons' routes: the steps as they happen, the
 * reveal and the verdict from the lab, the report on the lab's machine; a lesson file of one's
 * own sent as its text (POST /lessons/run-file), checked on both sides. Real processes throughout.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, lessonApi, lessonRunViewSchema } from '@faultline/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PING } from './support/scenarios.js';
import { cliIn } from './support/cli-process.js';
import { alive } from './support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-lesson-remote-'));
const { faultline, started } = cliIn(dir);
let up: ReturnType<typeof started>;
let url: string;

beforeAll(async () => {
  // The lab as `faultline up` starts it (3 nodes, its lessons' routes), in a process of its own.
  up = started(['up', '--nodes', '3', '--seed', '42']);
  url = (await up.until(/control: (http:\/\/127\.0\.0\.1:\d+)/, 40_000))[1];
}, 60_000);

afterAll(async () => {
  // Stopped whatever the tests did: `down` first, as a student would; the process itself if that failed.
  await faultline('down');
  if (up.child.pid && alive(up.child.pid)) up.child.kill('SIGTERM');
  await up.child;
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

/** The lab's view of its lesson runs. */
const lessons = () => createClient(lessonApi, { baseUrl: url });

/** Until the lab's current run has a verdict (each read is an answer, not a fixed sleep). */
async function verdictOf(name: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const view = await lessons().currentLesson();
    if (view?.name === name && view.state !== 'running') return view;
    if (Date.now() > until) throw new Error(`no verdict for ${name} in ${timeoutMs} ms: ${JSON.stringify(view)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('faultline lesson run --lab', () => {
  it('runs a lesson on the running lab: the question, the steps as they come, the prediction beside what happened, each check with its evidence, the verdict, the report on the lab\'s machine', async () => {
    const r = await faultline('lesson', 'run', 'clock-sync', '--lab', url, '--no-pause', '--predict', '2');
    const text = r.stdout.replace(/\n +/g, ' '); // folded lines read as one
    const parts = [
      '━━ Setting a clock over a network',
      'seed 42', // the lab's seed: it makes the run's random decisions
      'Predict',
      `on the running lab at ${url} (3 nodes)`,
      'you predicted 2 (The first within a few ms; the second off by about 100 ms)',
      'The run',
      '[1/7]',
      '[7/7] n2 has done its 5 rounds.',
      'The reveal',
      'you predicted 2 (The first within a few ms; the second off by about 100 ms); ',
      'Space-time diagram',
      'Explanation',
      'Verdict',
      'held  symmetric: symmetric: 5 rounds on n2',
      'held  one-way: one-way: 5 rounds on n2',
      "Files (on the lab's machine)",
    ];
    let at = 0;
    for (const p of parts) {
      const i = text.indexOf(p, at);
      expect(i, `"${p}" after position ${at}: ${r.stdout}${r.stderr}`).toBeGreaterThanOrEqual(at);
      at = i;
    }
    // Each step once, in order.
    expect([...r.stdout.matchAll(/^\[(\d)\/7\]/gm)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The exit code is the verdict it printed.
    const passed = text.includes('every expectation held') && !text.includes('not every expectation held');
    expect(r.exitCode, r.stderr).toBe(passed ? 0 : 1);
    expect(text).toContain(passed ? 'it was 2 (The first within a few ms; the second off by about 100 ms): right' : 'but not every expectation held this run');
    // The lab holds the prediction as it was given, and how it matched.
    const view = await lessons().currentLesson();
    expect(view?.report?.prediction).toMatchObject({ answer: { choice: 2 }, expected: { choice: 2 }, ...(passed ? { correct: true } : {}) });
    // The report is where it says (the lab's machine is this one here), its path printed whole (folded at the width).
    const reportMd = view!.report!.files.reportMd;
    expect(r.stdout.replace(/\s+/g, '')).toContain(`report${reportMd}`);
    expect(existsSync(reportMd)).toBe(true);
    expect(readFileSync(reportMd, 'utf8')).toContain('**The prediction:** you predicted 2');
  });

  it('refuses a lesson the lab does not have (naming what it has), and --seed or --keep with --lab, in one line each: exit 2', async () => {
    const missing = await faultline('lesson', 'run', 'nope', '--lab', url, '--no-pause');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^faultline: the lab at ${url} has no lesson "nope"; it has: ambiguity, .*clock-sync`)) as string]);
    const seed = await faultline('lesson', 'run', 'clock-sync', '--lab', url, '--seed', '7');
    expect(seed.exitCode).toBe(2);
    expect(seed.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^faultline: --seed does not go with --lab: /) as string]);
    const keep = await faultline('--lab', url, 'lesson', 'run', 'clock-sync', '--keep');
    expect(keep.exitCode).toBe(2);
    expect(keep.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^faultline: --keep does not go with --lab: /) as string]);
    const predict = await faultline('lesson', 'run', 'clock-sync', '--lab', url, '--predict', '9');
    expect(predict.exitCode).toBe(2);
    expect(predict.stderr.trim()).toBe('faultline: --predict: expected a choice from 1 to 3, got 9');
  });

  it('while a lesson runs on the lab another is refused in one line (exit 1); Ctrl-C stops following, and the lesson goes on to its verdict on the lab', async () => {
    const run = started(['lesson', 'run', 'ambiguity', '--lab', url, '--no-pause']);
    try {
      await run.until(/^\[1\/10\]/m);
      const busy = await faultline('lesson', 'run', 'slow-or-lost', '--lab', url, '--no-pause');
      expect(busy.exitCode).toBe(1);
      expect(busy.stderr.trim()).toBe(`faultline: the lab at ${url} is busy: lesson ambiguity is running; wait for its verdict`);
      // Refused before the lesson's text and question: nobody predicts for a run that cannot start.
      expect(busy.stdout).toBe('');
      run.child.kill('SIGINT');
      expect((await run.child).exitCode).toBe(130);
      expect(run.err().trim()).toBe(`faultline: stopped following; lesson ambiguity goes on running on the lab at ${url} (its dashboard shows the verdict: ${url}/)`);
      const view = await verdictOf('ambiguity');
      expect(view.state, view.error).toBe('done');
      expect(view.report?.prediction).toMatchObject({ unanswered: '--no-pause: give one with --predict N' });
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('--json prints the run\'s final view as one document', async () => {
    const r = await faultline('lesson', 'run', 'slow-or-lost', '--lab', url, '--json');
    const view = lessonRunViewSchema.parse(JSON.parse(r.stdout));
    expect(view).toMatchObject({ name: 'slow-or-lost', state: 'done', report: { prediction: { unanswered: '--json: give one with --predict N' } } });
    expect(view.steps.length).toBe(view.totalSteps);
    expect(view.report!.checks.length).toBeGreaterThan(0);
    expect(r.exitCode, r.stderr).toBe(view.report!.passed ? 0 : 1);
  });
});


/** A request to the lab's API as any client sends it: the status and the JSON answered. */
async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe('a lesson file on a running lab (POST /lessons/run-file; lesson run FILE.yaml --lab)', () => {
  it('a bad file, file name or body is a 400 whose one line names what was wrong (the loader\'s line for the file); nothing starts', async () => {
    const before = (await lessons().currentLesson())?.id;
    const refused = async (body: unknown) => {
      const r = await post('/lessons/run-file', body);
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      const { code, error } = r.json as { code: string; error: string };
      expect(code).toBe('bad-request');
      expect(error.split('\n')).toHaveLength(1);
      return error;
    };
    expect(await refused({ file: 'bad.yaml', text: 'name: [one-ping\n' })).toMatch(/^bad\.yaml:\d+: not valid YAML: /);
    expect(await refused({ file: 'bad.yaml', text: PING.replace('to: n2,', 'to: n7,') })).toBe('bad.yaml:13: steps[0].rpc.to: unknown node "n7" (the cluster has n1 … n2)');
    expect(await refused({ file: 'bad.yaml', text: PING.replace('minutes: 1\n', '') })).toBe('bad.yaml:1: minutes: expected number, got nothing');
    expect(await refused({ file: '../ping.yaml', text: PING })).toBe('body.file: expected a file name without folders or control characters, got "../ping.yaml"');
    expect(await refused({ file: 'ping.yaml', text: PING, answer: { choice: 3, text: 'maybe' } })).toBe('body.answer.choice: expected a choice from 1 to 2, got 3');
    expect(await refused({ file: 'ping.yaml', text: 'x'.repeat(300 * 1024) })).toMatch(/^body\.text: expected a lesson file of at most 262144 characters/);
    expect(await refused({ file: 'ping.yaml' })).toMatch(/^body\.text: /);
    expect((await lessons().currentLesson())?.id).toBe(before);
  });

  it('lesson run FILE.yaml --lab runs the file\'s text on the lab: its question from the file, the steps, the prediction beside what happened, the verdict; the lab\'s view names the file', async () => {
    writeFileSync(join(dir, 'ping.yaml'), PING);
    const r = await faultline('lesson', 'run', 'ping.yaml', '--lab', url, '--predict', '1');
    const text = r.stdout.replace(/\n +/g, ' ');
    expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(0);
    for (const part of ['━━ One ping', 'Will n1 get an answer?', `on the running lab at ${url}`, '[1/1]', 'you predicted 1 (yes); it was 1 (yes): right', 'held  answered']) expect(text).toContain(part);
    const view = await lessons().currentLesson();
    expect(view).toMatchObject({ name: 'one-ping', file: 'ping.yaml', state: 'done', report: { passed: true, prediction: { answer: { choice: 1 }, correct: true } } });
    // run FILE --lab goes the same way (--json: the run's final view).
    const json = await faultline('run', 'ping.yaml', '--lab', url, '--json', '--predict', '2');
    expect(json.exitCode, json.stderr).toBe(0);
    expect(lessonRunViewSchema.parse(JSON.parse(json.stdout))).toMatchObject({ name: 'one-ping', file: 'ping.yaml', id: view!.id! + 1, report: { passed: true, prediction: { correct: false } } });
  });

  it('a bad lesson file is refused here before the lab hears of it: one line naming the file, the line and the field, exit 2', async () => {
    const before = (await lessons().currentLesson())?.id;
    writeFileSync(join(dir, 'bad.yaml'), PING.replace('to: n2,', 'to: n7,'));
    for (const args of [['lesson', 'run', 'bad.yaml'], ['run', 'bad.yaml']]) {
      const r = await faultline(...args, '--lab', url, '--predict', '1');
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim()).toBe('faultline: bad.yaml:13: steps[0].rpc.to: unknown node "n7" (the cluster has n1 … n2)');
    }
    expect((await lessons().currentLesson())?.id).toBe(before);
  });
});
