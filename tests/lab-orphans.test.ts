/**
 * Nothing left behind when the lab's process dies, however it dies: `faultline up` is signalled
 * (SIGKILL, SIGTERM, SIGINT), and every process it started (the proxy, each node, a paused one
 * too, and whatever else it runs) goes by itself; then `faultline up` starts again in the same
 * directory, past the lab file a killed lab left there. Real processes, found through /proc.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labStatusSchema, type LabStatus } from '@faultline/protocol';
import { execa, type ResultPromise } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, CLI_ENV } from './support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-orphans-'));
const labFile = join(dir, '.faultline', 'lab.json');
/** Generous: a loaded machine is slow, and the test only waits this long if something is wrong. */
const BOUND_MS = 30_000;
const started: ResultPromise[] = [];

/** A process's state letter from /proc (R, S, T, Z…), or undefined once it is gone. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Gone, or a zombie waiting for init to reap it (it holds nothing but its PID). */
const gone = (pid: number): boolean => ['Z', 'X', undefined].includes(procState(pid));

/** The PIDs whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

/** Resolves when every PID is gone, with how long that took; rejects after BOUND_MS naming the rest. */
async function allGone(pids: number[], since: number): Promise<number> {
  for (;;) {
    const left = pids.filter((p) => !gone(p));
    if (left.length === 0) return performance.now() - since;
    if (performance.now() - since > BOUND_MS) throw new Error(`still running ${BOUND_MS} ms after the lab's process died: ${left.map((p) => `${p} (${procState(p)})`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function faultline(...args: string[]): ResultPromise {
  return execa(process.execPath, [...CLI, ...args], { cwd: dir, reject: false, env: CLI_ENV, timeout: BOUND_MS });
}

/** `faultline up` in `dir`, once it printed that its nodes are up; with its status. */
async function up(): Promise<{ proc: ResultPromise; out: () => string; status: LabStatus; controlUrl: string }> {
  const proc = execa(process.execPath, [...CLI, 'up', '--nodes', '3'], { cwd: dir, reject: false, buffer: false, env: CLI_ENV });
  started.push(proc);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`faultline up did not come up in ${BOUND_MS} ms: ${out}`)), BOUND_MS);
    const watch = (b: Buffer): void => {
      out += b.toString();
      if (/nodes up in/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout?.on('data', watch);
    proc.stderr?.on('data', watch);
    void proc.then(() => {
      clearTimeout(timer);
      reject(new Error(`faultline up exited: ${out}`));
    });
  });
  const { controlUrl, pid } = JSON.parse(readFileSync(labFile, 'utf8')) as { controlUrl: string; pid: number };
  expect(pid).toBe(proc.pid);
  const status = labStatusSchema.parse(await (await fetch(`${controlUrl}/status`)).json());
  return { proc, out: () => out, status, controlUrl };
}

afterAll(async () => {
  for (const p of started) if (p.pid !== undefined && !gone(p.pid)) p.kill('SIGKILL');
  await Promise.all(started);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync('/proc/self/stat'))("the lab's processes go when the lab's process dies", () => {
  // SIGKILL twice: with a paused node (SIGSTOP: it runs nothing until continued) and without.
  for (const [signal, pause] of [['SIGKILL', true], ['SIGTERM', false], ['SIGKILL', false], ['SIGINT', true]] as const) {
    it(`${signal}${pause ? ', with n2 paused' : ''}: every child of faultline up exits by itself; up starts again here`, async () => {
      const lab = await up();
      if (pause) expect((await fetch(`${lab.controlUrl}/nodes/n2/pause`, { method: 'POST' })).status).toBe(200);
      const children = childrenOf(lab.proc.pid!);
      // The proxy and the three nodes at least (also the tsx loader's esbuild, the paused-node guard).
      expect(children.length).toBeGreaterThanOrEqual(4);
      for (const node of lab.status.nodes) expect(children).toContain(node.pid);
      const t0 = performance.now();
      lab.proc.kill(signal);
      await lab.proc;
      const ms = await allGone(children, t0);
      expect(ms).toBeLessThan(BOUND_MS);
      // Killed, it could not remove its lab file: the next up must see that its lab is gone.
      expect(existsSync(labFile)).toBe(signal === 'SIGKILL');
    });
  }

  it('up after all that starts and serves status; down stops it', async () => {
    const lab = await up();
    expect(lab.status.nodes.map((n) => n.state)).toEqual(['running', 'running', 'running']);
    expect((await faultline('status')).exitCode).toBe(0);
    expect((await faultline('down')).exitCode).toBe(0);
    expect((await lab.proc).exitCode).toBe(0);
  });

  it('a lab file whose process is gone does not stop up, even if its port now answers', async () => {
    // A dead PID (a finished child of this test) and a port where something else answers 200.
    const finished = execa(process.execPath, ['-e', '0']);
    const dead = finished.pid!;
    await finished;
    const other = createServer((_, res) => res.end('{}')).listen(0, '127.0.0.1');
    await new Promise((r) => other.once('listening', r));
    try {
      const port = (other.address() as { port: number }).port;
      mkdirSync(join(dir, '.faultline'), { recursive: true });
      writeFileSync(labFile, JSON.stringify({ controlUrl: `http://127.0.0.1:${port}`, pid: dead, runDir: dir, seed: '1' }));
      const lab = await up();
      expect(lab.out()).toMatch(/\.faultline\/lab\.json .*is gone/);
      expect(lab.proc.kill('SIGTERM')).toBe(true);
      expect((await lab.proc).exitCode).toBe(0);
    } finally {
      other.close();
    }
  });
});
