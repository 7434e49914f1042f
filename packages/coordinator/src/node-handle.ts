/**
 * One life of a node's process, wherever it runs: a child of this process (`NodeProcess`), or a
 * process in the node's own container that its faultline-agent started (`AgentNode`). The
 * supervisor starts, signals and watches nodes through this, and does not know which it has.
 */
import type { NodeId } from '@faultline/protocol';

export interface NodeExit {
  readonly code: number | null;
  readonly signal: string | null;
}

export interface NodeHandle {
  /** Its PID where it runs (a container's PID namespace for an agent's). */
  readonly pid: number;
  /** A process of this machine: its PID can be checked here, and it dies with this process. */
  readonly local: boolean;
  /** False where there is no SIGSTOP (Windows): `pause` is refused. */
  readonly canPause: boolean;
  /** Settles when the process is gone. */
  readonly exited: Promise<NodeExit>;
  readonly alive: boolean;
  /** The last few KB it wrote (stdout and stderr interleaved). */
  output(): string;
  /** Sends `signal`; false when the process is already gone. */
  signal(signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT' | 'SIGTERM'): boolean;
  /** Resolves with the exit, or undefined if it does not come within `timeoutMs`. */
  waitExit(timeoutMs: number): Promise<NodeExit | undefined>;
}

/** Starts one life of node `id` with these arguments and this environment; its output goes to `logFile`. */
export type NodeLauncher = (id: NodeId, args: readonly string[], env: Readonly<Record<string, string>>, logFile: string) => Promise<NodeHandle>;

/** Resolves with `exited`, or undefined after `timeoutMs`. */
export async function exitWithin(exited: Promise<NodeExit>, timeoutMs: number): Promise<NodeExit | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  const result = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  return result;
}
