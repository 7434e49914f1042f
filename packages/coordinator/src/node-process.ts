/**
 * One OS process of a node (shell): started with execa, its stdout and stderr appended to
 * `<runDir>/<id>.log` (one file across revivals) with the tail kept for error messages, signalled
 * by PID, stopping by itself when this process dies (`@faultline/protocol/parent-link`). `exited`
 * settles when the process is gone and reaped.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { NodeId } from '@faultline/protocol';
import { exitWithin, type NodeExit, type NodeHandle, type NodeLauncher } from './node-handle.js';
import { signalNode, spawnNode, type NodeCommand, type SpawnOptions } from './node-spawn.js';

export type { NodeCommand, SpawnOptions } from './node-spawn.js';

export type { NodeExit } from './node-handle.js';

const TAIL_CHARS = 4_000;

export class NodeProcess implements NodeHandle {
  readonly pid: number;
  readonly local = true;
  /** Windows has no SIGSTOP. */
  readonly canPause = process.platform !== 'win32';
  readonly exited: Promise<NodeExit>;
  private done = false;
  private tail = '';
  private readonly log: WriteStream;
  private readonly spawn: SpawnOptions;

  /** `env` is added to this process's environment for the child (the lab's secret). */
  constructor(
    command: NodeCommand,
    args: readonly string[],
    logFile: string,
    env: Readonly<Record<string, string>> = {},
    spawn: SpawnOptions = { group: false },
  ) {
    this.spawn = spawn;
    this.log = createWriteStream(logFile, { flags: 'a' });
    this.log.on('error', () => undefined);
    const child = spawnNode(command, args, env, spawn);
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
    try {
      signalNode(this.pid, this.spawn, signal);
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
export function localLauncher(command: NodeCommand, spawn: SpawnOptions): NodeLauncher {
  return (_id: NodeId, args, env, logFile) => Promise.resolve(new NodeProcess(command, args, logFile, env, spawn));
}
