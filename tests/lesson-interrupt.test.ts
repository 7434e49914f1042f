/**
 * Ctrl-C while a lesson's lab is still starting: the CLI exits 130 at once, and every process it
 * started (the proxy, the nodes, even those still loading) is gone. Tried at several moments of
 * the start-up, each a few times (the bug this guards against struck 3 times in 5).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, CLI_ENV } from './support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Generous: the CLI should be gone well within it. */
const EXIT_BOUND_MS = 10_000;

/** Every process whose process group is `pgid`, with its command line. */
function group(pgid: number): Map<number, string> {
  const out = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // A zombie is gone but for its exit status: its parent (or init) reaps it.
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') out.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 120));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function until(what: string, ok: () => boolean, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The newest run's trace, once its folder exists. */
function runTrace(): string | undefined {
  const runs = join(dir, 'runs');
  if (!existsSync(runs)) return undefined;
  const newest = readdirSync(runs).sort().at(-1);
  return newest === undefined ? undefined : join(runs, newest, 'trace.ndjson');
}
const nodeStarts = (file: string | undefined): number => (file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"kind":"node_start"')).length : 0);
const labProcesses = (pgid: number): number => [...group(pgid).values()].filter((c) => /faultline-(node|proxy)/.test(c)).length;

/** The moments of start-up to press Ctrl-C at, and whom the SIGINT reaches. */
const MOMENTS: [string, (pgid: number) => boolean, 'group' | 'cli'][] = [
  ['as soon as it says it is starting the lab', () => true, 'group'],
  ['once a node or the proxy is being loaded', (pgid) => labProcesses(pgid) >= 1, 'group'],
  ['once the first node has started', () => nodeStarts(runTrace()) >= 1, 'group'],
  ['once both nodes have started (links not up yet)', () => nodeStarts(runTrace()) >= 2, 'group'],
  // kill -INT to the CLI alone: the lab's processes hear nothing; the CLI must stop them.
  ['the CLI alone, once a node or the proxy is being loaded', (pgid) => labProcesses(pgid) >= 1, 'cli'],
  ['the CLI alone, once the first node has started', () => nodeStarts(runTrace()) >= 1, 'cli'],
];

describe('Ctrl-C during a lesson lab\'s start-up', () => {
  it.each(MOMENTS.flatMap(([name, ready, to]) => [1, 2].map((n) => [`${name} (#${n})`, ready, to] as const)))('%s: exit 130 at once, nothing left running', async (_name, ready, to) => {
    // Its own process group, so that the SIGINT reaches the lab's processes too, as a terminal's does.
    const child = execa(process.execPath, [...CLI, 'lesson', 'run', 'ambiguity', '--no-pause'], { cwd: dir, reject: false, buffer: false, detached: true, env: CLI_ENV });
    let out = '';
    let err = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    const pgid = child.pid!;
    let exited = false;
    void child.finally(() => (exited = true));
    try {
      await until('the start-up line', () => out.includes("starting the lesson's lab") || exited);
      await until('the moment', () => ready(pgid) || exited || out.includes('The run'));
      expect(exited, `${out}${err}`).toBe(false);
      const seen = group(pgid);
      const sentAt = Date.now();
      process.kill(to === 'group' ? -pgid : pgid, 'SIGINT');
      const result = await Promise.race([child, new Promise<undefined>((r) => setTimeout(() => r(undefined), EXIT_BOUND_MS))]);
      expect(result, `no exit within ${EXIT_BOUND_MS} ms: ${out}${err}`).toBeDefined();
      const tookMs = Date.now() - sentAt;
      expect(result!.exitCode, `${result!.signal ?? ''} ${err}`).toBe(130);
      expect(err).toMatch(/lesson interrupted; every process it started is stopped/);
      expect(err).not.toMatch(/did not start/);
      // Orphans are reaped by init a moment after they exit; everything in the group must be gone.
      await until('every process of the group gone', () => group(pgid).size === 0, 2_000).catch(() => undefined);
      expect([...group(pgid)], `before the SIGINT: ${JSON.stringify([...seen])}`).toEqual([]);
      expect(tookMs).toBeLessThan(EXIT_BOUND_MS);
      if (process.env.FAULTLINE_TIMINGS) process.stderr.write(`ctrl-c → exit: ${tookMs} ms\n`);
    } finally {
      // Whatever happened, leave nothing behind.
      for (const pid of group(pgid).keys()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await child;
    }
  }, 80_000);
});
