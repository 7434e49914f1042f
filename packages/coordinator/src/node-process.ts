/**
 * One OS process of a node (shell): started with execa, its stdout and stderr appended to
 * `<runDir>/<id>.log` (one file across revivals) with the tail kept for error messages, signalled
 * by PID, stopping by itself when this process dies (`@faultline/protocol/parent-link`). `exited`
 * settles when the process is gone and reaped.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { parentLinkSpawnOptions } from '@faultline/protocol/parent-link';
import { execa } from 'execa';
import type { NodeId } from '@faultline/protocol';
import { exitWithin, type NodeExit, type NodeHandle, type NodeLauncher } from './node-handle.js';
import { guardPaused } from './paused-guard.js';

/** How to start a node: the program and its first arguments; the lab appends `--id …`. */
export interface NodeCommand {
  readonly file: string;
  readonly args: readonly string[];
}

export type { NodeExit } from './node-handle.js';

const TAIL_CHARS = 4_000;

export class NodeProcess implements NodeHandle {
  readonly pid: number;
  readonly local = true;
  /** Windows has no SIGSTOP. */
  readonly canPause = process.platform !== 'win32';
  readonly exited: Promise<NodeExit>;
  private done = false;
  private readonly group: boolean;
  private tail = '';
  private readonly log: WriteStream;

  /** `env` is added to this process's environment for the child (the lab's secret). */
  constructor(command: NodeCommand, args: readonly string[], logFile: string, env: Readonly<Record<string, string>> = {}) {
    this.log = createWriteStream(logFile, { flags: 'a' });
    this.log.on('error', () => undefined);
    const link = parentLinkSpawnOptions();
    // A node that hosts a program (`--program`) leads a process group of its own, the program in
    // it: a kill or a pause signals the group, so the program is killed or frozen with its node.
    this.group = args.includes('--program') && process.platform !== 'win32';
    const child = execa(command.file, [...command.args, ...args], {
      reject: false,
      buffer: false,
      cleanup: true,
      forceKillAfterDelay: false,
      detached: this.group,
      // The lifeline (fd 3): the node stops by itself when this process dies, SIGKILL included.
      ...link,
      env: { ...link.env, ...env },
    });
    if (child.pid === undefined) throw new Error(`could not start ${command.file}`);
    this.pid = child.pid;
    const keep = (b: Buffer): void => {
      if (!this.log.writableEnded) this.log.write(b);
      this.tail = (this.tail + b.toString('utf8')).slice(-TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = child.then((r) => {
      this.done = true;
      this.log.end();
      return { code: r.exitCode ?? null, signal: r.signal ?? null };
    });
  }

  get alive(): boolean {
    return !this.done;
  }

  /** The last few KB the process wrote (stdout and stderr interleaved). */
  output(): string {
    return this.tail;
  }

  /** Sends `signal` by PID; false when the process is already gone. */
  signal(signal: NodeJS.Signals): boolean {
    if (this.done) return false;
    // Stopped, it could not notice this process dying: the guard will continue it then.
    if (signal === 'SIGSTOP') guardPaused(this.pid);
    try {
      process.kill(this.group ? -this.pid : this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** Resolves with the exit, or undefined if it does not come within `timeoutMs`. */
  waitExit(timeoutMs: number): Promise<NodeExit | undefined> {
    return exitWithin(this.exited, timeoutMs);
  }
}

/** Nodes as child processes of this one, started with `command` (the lab's default). */
export function localLauncher(command: NodeCommand): NodeLauncher {
  return (_id: NodeId, args, env, logFile) => Promise.resolve(new NodeProcess(command, args, logFile, env));
}
