/**
 * `faultline lesson …` and `faultline run FILE` as a student or a script runs them: real processes
 * throughout. A Ctrl-C stops every process the lesson started and keeps the trace written so far.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { traceLineSchema } from '@faultline/protocol';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { alive } from './support/processes.js';

const MAIN = fileURLToPath(new URL('../packages/cli/src/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'faultline-lesson-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const faultline = (...args: string[]) => execa(process.execPath, ['--import', TSX, MAIN, ...args], { cwd: dir, reject: false, timeout: 90_000, env: { NO_COLOR: '1' } });

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
    expect(table.stdout).toMatch(/ambiguity +│ reliable communication +│ 3/);
    const json = JSON.parse((await faultline('lesson', 'list', '--json')).stdout) as { name: string; minutes: number }[];
    expect(json.map((l) => l.name)).toEqual(['ambiguity', 'slow-or-lost', 'duplicates-and-reordering']);
  });

  it('lesson run --no-pause: context, predict, the run, the reveal, the explanation, the verdict, the files; exit 0', async () => {
    const r = await faultline('lesson', 'run', 'slow-or-lost', '--no-pause', '--seed', '7');
    expect(r.exitCode, r.stderr).toBe(0);
    const parts = ['━━ Slow or lost?', 'Context', 'Predict', 'The run seed 7', '[1/8]', 'The reveal', 'Space-time diagram', 'Explanation', 'Verdict', 'every expectation held', 'Files'];
    let at = 0;
    for (const p of parts) {
      const i = r.stdout.indexOf(p, at);
      expect(i, `"${p}" after position ${at}`).toBeGreaterThanOrEqual(at);
      at = i;
    }
    expect(r.stdout).toContain('reads 2');
    const reportMd = /report +(\S+report\.md)/.exec(r.stdout)?.[1];
    expect(reportMd && existsSync(reportMd)).toBe(true);
  });

  it('--json prints the report as one document', async () => {
    const r = await faultline('lesson', 'run', 'ambiguity', '--no-pause', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { passed: boolean; seed: string; checks: { held: boolean }[] };
    expect(report).toMatchObject({ passed: true, seed: '101' });
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
    // Nothing was started: no new run folder.
    expect(existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')).length : 0).toBe(runsBefore);
  });

  it('Ctrl-C (to the whole process group, as a terminal sends it) stops every process the lesson started, keeps the trace, and prints only human lines', async () => {
    // Its own process group, so that the SIGINT below reaches the lab's processes too, as in a terminal.
    const child = execa(process.execPath, ['--import', TSX, MAIN, 'lesson', 'run', 'ambiguity', '--no-pause'], { cwd: dir, reject: false, buffer: false, detached: true, env: { NO_COLOR: '1' } });
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    let err = '';
    child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    const deadline = Date.now() + 40_000;
    // Once request A is on its way (n1's send of it printed), the lab is fully up.
    while (!/n1 +→ n2 +work/.test(out)) {
      if (Date.now() > deadline) throw new Error(`the lesson did not get to request A: ${out}${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // The lab's processes among the CLI's children (not the esbuild helper tsx keeps for itself).
    const cmdline = (p: number): string => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 160);
      } catch {
        return '';
      }
    };
    const what = new Map(descendants(child.pid!).map((p) => [p, cmdline(p)]));
    const started = [...what].filter(([, c]) => /faultline-(proxy|node)/.test(c)).map(([p]) => p);
    expect(started.length).toBeGreaterThanOrEqual(3); // the proxy and two nodes
    process.kill(-child.pid!, 'SIGINT');
    const result = await child;
    expect(result.exitCode, `${result.signal} ${err}`).toBe(130);
    expect(err).toMatch(/lesson interrupted; every process it started is stopped; the trace so far is in (\S+)trace\.ndjson/);
    // No log line of the lab's (JSON) reaches the terminal: only the two human lines.
    expect(`${out}${err}`).not.toContain('{"level"');
    expect(err.trim().split('\n')).toEqual(['stopping the lesson (Ctrl-C)…', expect.stringMatching(/^faultline: lesson interrupted; /)]);
    // Orphans are reaped by init a moment after the CLI exits; give them a second.
    const until = Date.now() + 1_000;
    while (started.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    for (const pid of started) expect(alive(pid), `pid ${pid}: ${what.get(pid)}`).toBe(false);
    const traceFile = /the trace so far is in (\S+trace\.ndjson)/.exec(err)![1];
    const lines = readFileSync(traceFile, 'utf8').trimEnd().split('\n').map((l) => traceLineSchema.parse(JSON.parse(l)));
    expect(lines.some((l) => l.kind === 'send' && l.msgType === 'work')).toBe(true);
    expect(lines.filter((l) => l.kind === 'node_start').length).toBeGreaterThanOrEqual(2);
  });
});
