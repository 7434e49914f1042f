/**
 * How a node's OS process is started and signalled (shell), the one way for both places that do
 * it: the coordinator's own machine (`NodeProcess`) and a node's container (faultline-agent).
 *
 * A node that hosts a student's program (`--program`) is started as the leader of a process group
 * of its own, the program in it, and is signalled as a group: a kill or a pause reaches the program
 * too. Other nodes stay in the lab's group (a Ctrl-C in the terminal reaches them at once).
 */
import { parentLinkSpawnOptions } from '@faultline/protocol/parent-link';
import { execa } from 'execa';
import { guardPaused } from './paused-guard.js';

/** How to start a node: the program and its first arguments; the lab appends `--id …`. */
export interface NodeCommand {
  readonly file: string;
  readonly args: readonly string[];
}

export interface SpawnOptions {
  /** Lead a process group of its own, and be signalled as one (a node that hosts a program). */
  readonly group: boolean;
}

/** Process groups need POSIX. */
const GROUPS = process.platform !== 'win32';

/**
 * Starts `command` with `args`, its output left to the caller (stdout, stderr), `env` added for
 * it, with the lifeline (fd 3) so that it stops by itself when this process dies, SIGKILL included.
 */
export function spawnNode(command: NodeCommand, args: readonly string[], env: Readonly<Record<string, string>>, options: SpawnOptions) {
  const link = parentLinkSpawnOptions();
  return execa(command.file, [...command.args, ...args], {
    reject: false,
    buffer: false,
    cleanup: true,
    forceKillAfterDelay: false,
    detached: options.group && GROUPS,
    ...link,
    env: { ...link.env, ...env },
  });
}

/**
 * Sends `signal` to the node `pid` (its group, if it leads one); throws when it is gone. A node
 * about to be stopped is first handed to the guard, which continues it if this process dies.
 */
export function signalNode(pid: number, options: SpawnOptions, signal: NodeJS.Signals): void {
  const group = options.group && GROUPS;
  if (signal === 'SIGSTOP') guardPaused(pid, group);
  process.kill(group ? -pid : pid, signal);
}
