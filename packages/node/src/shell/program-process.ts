/**
 * The program a node hosts (shell): a child process speaking Maelstrom's protocol on its stdin and
 * stdout. Each stdout line goes to the core (`program_line`); what the core writes goes to its
 * stdin; its stderr passes through to the node's own (the lab keeps it per node, in
 * `<runDir>/<id>.log`), the last of it kept for the exit's words. It lives and dies with the node:
 * the node stops it when it stops, and the lab signals the node's whole process group (kill,
 * pause), the program with it.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

const TAIL_CHARS = 2_000;

export interface ProgramEvents {
  readonly line: (line: string) => void;
  readonly exit: (code: number | null, signal: string | null, stderr: string) => void;
}

export interface RunningProgram {
  readonly pid: number | undefined;
  write(line: string): void;
  /** Kills it (SIGKILL) if it still runs. */
  stop(): void;
}

/** Starts `argv` with `env` added to this process's environment (its clock: program-clock.ts). */
export function startProgram(argv: readonly string[], env: Readonly<Record<string, string>>, on: ProgramEvents): RunningProgram {
  const [file, ...args] = argv;
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let tail = '';
  let ended = false;
  const end = (code: number | null, signal: string | null, why?: string): void => {
    if (ended) return;
    ended = true;
    on.exit(code, signal, why === undefined ? tail : `${tail}${why}\n`);
  };
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => on.line(line));
  child.stderr.on('data', (b: Buffer) => {
    process.stderr.write(b);
    tail = (tail + b.toString('utf8')).slice(-TAIL_CHARS);
  });
  // A program that cannot start (no such file, not executable): its error is its last words.
  child.on('error', (err) => end(null, null, `could not run ${file}: ${err.message}`));
  child.on('close', (code, signal) => end(code, signal));
  // A program that stops reading (it exited, or closed stdin): what is written is lost, never a crash.
  child.stdin.on('error', () => undefined);
  return {
    pid: child.pid,
    write: (line) => {
      if (!ended && child.stdin.writable) child.stdin.write(`${line}\n`);
    },
    stop: () => {
      if (!ended && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
