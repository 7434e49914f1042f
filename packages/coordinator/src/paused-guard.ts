/**
 * A paused node (SIGSTOP) cannot notice that the lab's process died: it runs no code until it is
 * continued. The guard is one tiny `sh` child, started at the first pause, that this process hands
 * the PID of every node it pauses (negated for a process group); when this process dies, however
 * it dies, the guard reads
 * end-of-file on its stdin, sends those PIDs SIGCONT, and exits. A continued node then finds its
 * own lifeline closed (`@faultline/protocol/parent-link`) and stops by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const SCRIPT = 'set --; while read -r pid; do set -- "$@" "$pid"; done; [ "$#" -gt 0 ] && kill -CONT "$@" 2>/dev/null; exit 0';

let guard: ChildProcess | undefined;

function start(): ChildProcess | undefined {
  try {
    const child = spawn('/bin/sh', ['-c', SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    child.on('exit', () => {
      if (guard === child) guard = undefined;
    });
    // Neither keeps this process running; the guard's work starts when this process is gone.
    child.unref();
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    return child;
  } catch {
    return undefined;
  }
}

/**
 * Called before a node is paused: if this process dies while it is stopped, it is continued (its
 * whole process group when `group`: `kill -CONT -PGID`).
 */
export function guardPaused(pid: number, group = false): void {
  guard ??= start();
  guard?.stdin?.write(`${group ? '-' : ''}${pid}\n`);
}

/** The guard's PID, if one runs (for tests: it too must be gone once this process is). */
export function pausedGuardPid(): number | undefined {
  return guard?.pid;
}
