/**
 * The shell of `faultline doctor`: every external command it runs is bounded in time, and one that
 * overstays is killed by its PID with everything it started (its process group), never left running.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBounded } from '../src/commands/doctor.js';

/** Alive, and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  if (existsSync(`/proc/${pid}/stat`)) return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(process.platform === 'win32')('runBounded', () => {
  it('returns what a command printed and its exit code', async () => {
    const r = await runBounded('/bin/sh', ['-c', 'echo out; echo err >&2; exit 3'], 10_000);
    expect(r).toEqual({ found: true, code: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false, timeoutMs: 10_000 });
  });

  it('a program that is not there is not found', async () => {
    expect(await runBounded('faultline-no-such-program', ['--version'], 10_000)).toMatchObject({ found: false, code: null, timedOut: false });
  });

  it('one that hangs is killed at its time limit, with what it started', async () => {
    let pid = 0;
    // sh starts a sleep of its own (a grandchild of this process) and waits for it.
    const r = await runBounded('/bin/sh', ['-c', 'sleep 60 & echo $!; wait'], 300, (p) => (pid = p));
    expect(r).toMatchObject({ found: true, code: null, timedOut: true, timeoutMs: 300 });
    const grandchild = Number(r.stdout.trim());
    expect(grandchild).toBeGreaterThan(0);
    expect(running(pid)).toBe(false);
    expect(running(grandchild)).toBe(false);
  });
});
