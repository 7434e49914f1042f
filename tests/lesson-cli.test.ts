/**
 * `faultline lesson …` and `faultline run FILE` as a student or a script runs them: real processes
 * throughout. A Ctrl-C stops every process the lesson started and keeps the trace written so far.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { traceLineSchema } from '@faultline/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from './support/cli-process.js';
import { alive } from './support/processes.js';
import { PING } from './support/scenarios.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-lesson-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { faultline, started } = cliIn(dir);

/** A file path as the CLI prints it (relative to the folder it ran in). */
const inDir = (path: string): string => (path.startsWith('/') ? path : join(dir, path));

/** A small lesson of one's own, for --lessons DIR. */
const OWN = PING.replace('name: one-ping', 'name: tiny').replace('cluster: { nodes: 2, seed: 3 }', 'cluster: { nodes: 2, seed: 3, heartbeat: 10s }');

/** Every process below `pid`, read from /proc (the PIDs this test's child started). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, pp] of parent) {
      if (pp !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

describe('faultline lesson', () => {
  it('lesson list: a table, or JSON with every lesson', async () => {
    const table = await faultline('lesson', 'list');
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/ambiguity +│ reliable +│ 3 +│ Three timeouts,/);
    const json = JSON.parse((await faultline('lesson', 'list', '--json')).stdout) as { name: string; minutes: number }[];
    expect(json.map((l) => l.name)).toEqual(['ambiguity', 'slow-or-lost', 'duplicates-and-reordering', 'skew-breaks-lww', 'lamport-order', 'vector-clocks', 'hybrid-clocks', 'clock-sync', 'why-distribute', 'partial-failure', 'failure-detection', 'split-brain']);
  });

  it('lesson run --predict 3 in 80 columns: context, the dashboard, the prediction, the run, the reveal set against it, the verdict, the files; exit 0', async () => {
    const r = await faultline('lesson', 'run', 'slow-or-lost', '--predict', '3', '--seed', '7');
    expect(r.exitCode, r.stderr).toBe(0);
    const parts = [
      '━━ Slow or lost?',
      'Context',
      'Predict',
      'The lab: seed 7',
      'watch it live in the dashboard: http://127.0.0.1:',
      'you predicted 3 (2 and 2)',
      'The run',
      '[1/8]',
      'The reveal',
      'you predicted 3 (2 and 2); it was 2 (2 and 1): not this time',
      'Space-time diagram',
      'Explanation',
      'Verdict',
      'every expectation held',
      'Files',
    ];
    const text = r.stdout.replace(/\n +/g, ' '); // folded lines read as one
    let at = 0;
    for (const p of parts) {
      const i = text.indexOf(p, at);
      expect(i, `"${p}" after position ${at}`).toBeGreaterThanOrEqual(at);
      at = i;
    }
    expect(text).toContain('reads 2');
    // What the lesson teaches is its answer: not shown before the run.
    expect(text.slice(0, text.indexOf('The run'))).not.toContain('A slow reply looks exactly like a lost one');
    // Every line fits 80 columns.
    const over = r.stdout.split('\n').filter((l) => [...l].length > 80);
    expect(over).toEqual([]);
    const reportMd = /report +(\S+report\.md)/.exec(r.stdout)?.[1];
    expect(reportMd && existsSync(inDir(reportMd))).toBe(true);
    expect(readFileSync(inDir(reportMd!), 'utf8')).toContain('**The prediction:** you predicted 3 (2 and 2); it was 2 (2 and 1): not this time.');
    const report = JSON.parse(readFileSync(inDir(reportMd!.replace(/report\.md$/, 'report.json')), 'utf8')) as { prediction: unknown };
    expect(report.prediction).toEqual({
      answer: { choice: 3, text: '2 and 2' },
      expected: { choice: 2, text: '2 and 1' },
      correct: false,
      line: 'you predicted 3 (2 and 2); it was 2 (2 and 1): not this time',
    });
  });

  it('--lessons DIR: list and run a lesson of one\'s own; --keep keeps its lab up (commands work on it as printed) until Ctrl-C', { timeout: 120_000 }, async () => {
    const own = mkdtempSync(join(dir, 'own-'));
    writeFileSync(join(own, 'tiny.yaml'), OWN);
    const list = await faultline('lesson', 'list', '--lessons', own);
    expect(list.exitCode, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/│ tiny +│ reliable +│ 1 +│ One ping/);
    const run = started(['lesson', 'run', 'tiny', '--lessons', own, '--predict', 'yes', '--keep']);
    try {
      await run.until(/Ctrl-C stops it\./);
      expect(run.out()).toContain('you predicted 1 (yes); it was 1 (yes): right');
      const command = /npx faultline (diagram --lab (http:\/\/127\.0\.0\.1:\d+))/.exec(run.out());
      expect(command, run.out()).not.toBeNull();
      const pids = descendants(run.child.pid!);
      // The command it prints works as typed, on the lab it kept.
      const diagram = await faultline(...command![1].split(' '));
      expect(diagram.exitCode, diagram.stderr).toBe(0);
      expect(diagram.stdout).toContain('n1');
      run.child.kill('SIGINT');
      const result = await run.child;
      expect(result.exitCode, run.err()).toBe(0);
      expect(run.err()).toContain('stopping the lab (Ctrl-C)');
      await expect(fetch(`${command![2]}/status`)).rejects.toThrow();
      const until = Date.now() + 2_000;
      while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('on a terminal: the question, the dashboard\'s address, then the prediction, asked until it names a choice; Ctrl-C there stops the lesson', { timeout: 120_000 }, async () => {
    const own = mkdtempSync(join(dir, 'own-'));
    writeFileSync(join(own, 'tiny.yaml'), OWN);
    const run = started(['lesson', 'run', 'tiny', '--lessons', own], { tty: true });
    try {
      await run.until(/Your prediction \(1-2, then Enter\): /);
      expect(run.out().indexOf('watch it live in the dashboard: http://127.0.0.1:')).toBeGreaterThan(run.out().indexOf('Will n1 get an answer?'));
      expect(run.out().indexOf('Your prediction')).toBeGreaterThan(run.out().indexOf('watch it live in the dashboard'));
      run.child.stdin.write('9\r');
      await run.until(/expected a choice from 1 to 2, got 9[^]*Your prediction/);
      run.child.stdin.write('no\r');
      await run.until(/you predicted 2 \(no\); it was 1 \(yes\): not this time/);
      expect((await run.child).exitCode).toBe(0);
      const again = started(['lesson', 'run', 'tiny', '--lessons', own], { tty: true });
      try {
        await again.until(/Your prediction/);
        again.child.stdin.write('\u0003'); // Ctrl-C, typed
        await again.until(/lesson interrupted; every process it started is stopped/);
        expect((await again.child).exitCode).toBe(130);
      } finally {
        again.child.kill('SIGKILL');
      }
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('up --lessons DIR: the lab\'s lesson routes (the dashboard\'s picker) list them too', async () => {
    const own = mkdtempSync(join(dir, 'own-'));
    writeFileSync(join(own, 'tiny.yaml'), OWN);
    const up = started(['up', '--nodes', '2', '--lessons', own]);
    try {
      const control = (await up.until(/control: (http:\/\/127\.0\.0\.1:\d+)/))[1];
      const lessons = (await (await fetch(`${control}/lessons`)).json()) as { name: string }[];
      expect(lessons.map((l) => l.name)).toEqual(['ambiguity', 'slow-or-lost', 'duplicates-and-reordering', 'skew-breaks-lww', 'lamport-order', 'vector-clocks', 'hybrid-clocks', 'clock-sync', 'why-distribute', 'partial-failure', 'failure-detection', 'split-brain', 'tiny']);
      up.child.kill('SIGINT');
      expect((await up.child).exitCode, up.err()).toBe(0);
    } finally {
      up.child.kill('SIGKILL');
    }
  });

  it('--json prints the report as one document', async () => {
    const r = await faultline('lesson', 'run', 'ambiguity', '--no-pause', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { passed: boolean; seed: string; checks: { held: boolean }[] };
    expect(report).toMatchObject({ passed: true, seed: '101', prediction: { unanswered: '--json: give one with --predict N', expected: { choice: 3 } } });
    expect(report.checks.every((c) => c.held)).toBe(true);
  });

  it('run FILE.yaml runs a scenario; one that fails its expectation exits 1 with the evidence', async () => {
    const file = join(dir, 'mine.yaml');
    writeFileSync(
      file,
      `name: mine
title: Does a cut link look like a dead node?
concept: partial failure
teaches: a partition and a crash look the same from outside
minutes: 1
context: n1 calls n2 across a partition.
cluster: { nodes: 3, seed: 5 }
predict: { question: Will n1 get an answer? }
steps:
  - partition: [[n1], [n2, n3]]
  - rpc: { from: n1, to: n2, timeout: 300ms, as: P }
  - heal: true
expect:
  - { name: answered, check: rpc_outcome, rpcs: [P], outcome: ok }
  - { name: cut, check: ground_truth, rpc: P, is: request_lost }
explain: P ended {{rpc.P.outcome}}.
`,
    );
    const r = await faultline('run', file, '--no-pause');
    expect(r.exitCode).toBe(1);
    const waited = /✗ did not hold +answered: P: timeout after (\d+)ms, 1 attempt/.exec(r.stdout);
    expect(waited, r.stdout).not.toBeNull();
    expect(Number(waited![1])).toBeGreaterThanOrEqual(300);
    expect(Number(waited![1])).toBeLessThan(2_000);
    expect(r.stdout).toMatch(/✓ held +cut: P: the link n1→n2 was cut \(partition n1 n2,n3\)/);
    expect(r.stdout).toContain('hint: replay this exact run with --seed 5');
    expect(r.stdout).toContain('no prediction (--no-pause: give one with --predict "your words")');
  });

  it('a bad lesson file or flag: one line naming the file, the line and the field; exit 2; nothing started', async () => {
    const runsBefore = existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')).length : 0;
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\ntitle: t\nconcept: c\nteaches: t\nminutes: 1\ncontext: c\ncluster: { nodes: 2 }\npredict: { question: q }\nsteps:\n  - kill: n7\nexpect:\n  - { check: count, where: { kind: crash }, min: 1 }\nexplain: e\n');
    const r = await faultline('run', file);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(`faultline: ${file}:10: steps[0].kill: unknown node "n7" (the cluster has n1 … n2)`);
    const missing = await faultline('lesson', 'run', 'nope');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const seed = await faultline('lesson', 'run', 'ambiguity', '--seed', 'abc', '--no-pause');
    expect(seed.exitCode).toBe(2);
    expect(seed.stderr).toContain('expected an integer for --seed, got "abc"');
    const predict = await faultline('lesson', 'run', 'ambiguity', '--predict', '7');
    expect(predict.exitCode).toBe(2);
    expect(predict.stderr.trim()).toBe('faultline: --predict: expected a choice from 1 to 3, got 7');
    // Lessons of one's own: a name the built-in ones have is refused, in one line.
    const clash = mkdtempSync(join(tmpdir(), 'faultline-clash-'));
    writeFileSync(join(clash, 'mine.yaml'), OWN.replace('name: tiny', 'name: ambiguity'));
    for (const args of [['lesson', 'list'], ['lesson', 'run', 'ambiguity', '--no-pause']]) {
      const r = await faultline(...args, '--lessons', clash);
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim()).toMatch(/^faultline: two lessons are called "ambiguity": \S+01-ambiguity\.yaml and \S+mine\.yaml \(rename one\)$/);
    }
    rmSync(clash, { recursive: true, force: true });
    // Nothing was started: no new run folder.
    expect(existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')).length : 0).toBe(runsBefore);
  });

  it('Ctrl-C (to the whole process group, as a terminal sends it) stops every process the lesson started, keeps the trace, and prints only human lines', async () => {
    // Its own process group, so that the SIGINT below reaches the lab's processes too, as in a terminal.
    const run = started(['lesson', 'run', 'ambiguity', '--no-pause'], { detached: true });
    const child = run.child;
    // Once request A is on its way (n1's send of it printed), the lab is fully up.
    await run.until(/n1 +→ n2 +work/, 40_000);
    // The lab's processes among the CLI's children (not the esbuild helper tsx keeps for itself).
    const cmdline = (p: number): string => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 160);
      } catch {
        return '';
      }
    };
    const what = new Map(descendants(child.pid!).map((p) => [p, cmdline(p)]));
    const lab = [...what].filter(([, c]) => /faultline-(proxy|node)/.test(c)).map(([p]) => p);
    expect(lab.length).toBeGreaterThanOrEqual(3); // the proxy and two nodes
    process.kill(-child.pid!, 'SIGINT');
    const result = await child;
    expect(result.exitCode, `${result.signal} ${run.err()}`).toBe(130);
    expect(run.err()).toMatch(/lesson interrupted; every process it started is stopped; the trace so far is in (\S+)trace\.ndjson/);
    // No log line of the lab's (JSON) reaches the terminal: only the two human lines.
    expect(`${run.out()}${run.err()}`).not.toContain('{"level"');
    expect(run.err().trim().split('\n')).toEqual(['stopping the lesson…', expect.stringMatching(/^faultline: lesson interrupted; /)]);
    // Orphans are reaped by init a moment after the CLI exits; give them a second.
    const until = Date.now() + 1_000;
    while (lab.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    for (const pid of lab) expect(alive(pid), `pid ${pid}: ${what.get(pid)}`).toBe(false);
    const traceFile = /the trace so far is in (\S+trace\.ndjson)/.exec(run.err())![1];
    const lines = readFileSync(traceFile, 'utf8').trimEnd().split('\n').map((l) => traceLineSchema.parse(JSON.parse(l)));
    expect(lines.some((l) => l.kind === 'send' && l.msgType === 'work')).toBe(true);
    expect(lines.filter((l) => l.kind === 'node_start').length).toBeGreaterThanOrEqual(2);
  });
});
