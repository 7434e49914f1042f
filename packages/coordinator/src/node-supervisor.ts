/**
 * The lab's node processes (shell): starts them, matches each `hello` to the process it expects,
 * sends the signals of the faults (SIGKILL, SIGSTOP, SIGCONT), notices exits the lab did not cause,
 * and stops everything. A node's state moves: starting → running ⇄ paused → killed | exited, and
 * back to starting when it is revived.
 */
import { join } from 'node:path';
import type { LabStatus, NodeId } from '@faultline/protocol';
import type { Logger } from 'pino';
import { FaultlineError } from '@faultline/protocol';
import type { NodeChannel } from './node-channel.js';
import type { NodeExit, NodeHandle, NodeLauncher } from './node-handle.js';

export type NodeState = LabStatus['nodes'][number]['state'];

interface NodeEntry {
  readonly id: NodeId;
  state: NodeState;
  /** How many times its process was started: the incarnation of the latest (0 before the first). */
  starts: number;
  process?: NodeHandle;
  channel?: NodeChannel;
  /** Called with the channel when the process that is starting says hello. */
  onHello?: (channel: NodeChannel) => void;
  /** A killer is ending this life: its exit is the kill's, not one of its own. */
  ending?: boolean;
}

/**
 * Ends a node's life by other means than SIGKILL through its handle (`killBy: 'pod'`: its pod is
 * deleted through the Kubernetes API). Resolves once that was accepted; rejects with a one-line
 * error, the node untouched, if it was not.
 */
export type NodeKiller = (id: NodeId) => Promise<void>;

export interface SupervisorOptions {
  readonly ids: readonly NodeId[];
  /** Starts a node's process: a child here, or in its container through its agent. */
  readonly launcher: NodeLauncher;
  /** The arguments of node `id`'s `incarnation`-th process (1 at first, one more a revive) after the command's own. */
  readonly argsFor: (id: NodeId, incarnation: number) => string[];
  /** Added to every node's environment (the lab's secret). */
  readonly env: Readonly<Record<string, string>>;
  readonly runDir: string;
  readonly logger: Logger;
  /** A node's process ended without the lab killing or stopping it. */
  readonly onExit: (id: NodeId, exit: NodeExit) => void;
}

const STOP_GRACE_MS = 3_000;
/** After a killer's request was accepted, how long its life may take to end (a pod's deletion: seconds). */
const KILLER_EXIT_MS = 30_000;

export class NodeSupervisor {
  private readonly entries = new Map<NodeId, NodeEntry>();
  private readonly allPids: number[] = [];
  private readonly allPorts: number[] = [];
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    for (const id of options.ids) this.entries.set(id, { id, state: 'starting', starts: 0 });
  }

  /** Throws `unknown-node` for an id the lab does not have. */
  require(id: string): NodeEntry {
    const entry = this.entries.get(id);
    if (!entry) throw new FaultlineError('unknown-node', `no node ${id} in this lab (it has ${[...this.entries.keys()].join(', ')})`);
    return entry;
  }

  state(id: NodeId): NodeState {
    return this.require(id).state;
  }

  pid(id: NodeId): number | null {
    const entry = this.require(id);
    return entry.process?.alive ? entry.process.pid : null;
  }

  /** Every PID the lab ever started here for a node, revivals included (not those in containers). */
  pids(): number[] {
    return [...this.allPids];
  }

  /** Every peer port a node said hello with, revivals included. */
  ports(): number[] {
    return [...this.allPorts];
  }

  /** The node's control channel; `conflict` unless it is running. */
  channel(id: NodeId, doing: string): NodeChannel {
    const entry = this.require(id);
    if (entry.state !== 'running' || !entry.channel?.isOpen) {
      const hint = entry.state === 'paused' ? ' (resume it first)' : entry.state === 'killed' || entry.state === 'exited' ? ' (revive it first)' : '';
      throw new FaultlineError('conflict', `${id} is ${entry.state}: it cannot ${doing}${hint}`);
    }
    return entry.channel;
  }

  /** Starts node `id`'s process; resolves with its channel once it said hello. */
  async start(id: NodeId, timeoutMs: number, onSpawn?: (pid: number) => void): Promise<NodeChannel> {
    const entry = this.require(id);
    if (this.stopping) throw new FaultlineError('conflict', `the lab is stopping: ${id} is not started`);
    entry.starts += 1;
    Object.assign(entry, { state: 'starting', process: undefined, channel: undefined });
    let proc: NodeHandle;
    try {
      proc = await this.options.launcher(id, this.options.argsFor(id, entry.starts), this.options.env, join(this.options.runDir, `${id}.log`));
    } catch (err) {
      entry.state = 'killed';
      throw err;
    }
    if (proc.local) this.allPids.push(proc.pid);
    entry.process = proc;
    onSpawn?.(proc.pid);
    void proc.exited.then((exit) => this.exited(entry, proc, exit));
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<NodeChannel>((resolve, reject) => {
        entry.onHello = resolve;
        timer = setTimeout(() => {
          reject(new FaultlineError('timeout', `${id} did not say hello within ${timeoutMs} ms${this.outputOf(proc)}`));
        }, timeoutMs);
        void proc.exited.then((exit) => {
          const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
          reject(new FaultlineError('failed', `${id} exited (${how}) before it said hello${this.outputOf(proc)}`));
        });
      });
    } catch (err) {
      // A node that never said hello is of no use: end it, so a later revive can try again.
      entry.state = 'killed';
      proc.signal('SIGKILL');
      await proc.waitExit(5_000);
      throw err;
    } finally {
      clearTimeout(timer);
      entry.onHello = undefined;
    }
  }

  /** Matches a hello to the process that is starting with that id. */
  hello(channel: NodeChannel): boolean {
    const entry = this.entries.get(channel.node);
    if (!entry || entry.state !== 'starting' || !entry.onHello) {
      this.options.logger.warn({ node: channel.node, pid: channel.hello.pid }, 'unexpected hello refused');
      return false;
    }
    if (entry.process?.pid !== channel.hello.pid) {
      this.options.logger.warn({ node: entry.id, pid: channel.hello.pid, started: entry.process?.pid }, 'hello from another PID than the one started');
    }
    Object.assign(entry, { state: 'running', channel });
    this.allPorts.push(channel.hello.port);
    entry.onHello(channel);
    return true;
  }

  closed(channel: NodeChannel): void {
    const entry = this.entries.get(channel.node);
    if (entry?.channel !== channel) return;
    entry.channel = undefined;
    if (entry.state === 'running' && !this.stopping && !entry.ending) this.options.logger.warn({ node: entry.id }, 'a node closed its control channel');
  }

  /**
   * SIGKILL, or with `killer` whatever it does (a pod's deletion); resolves once the process is
   * gone and its channel closed, with the time of the kill. A killer that fails leaves the node as it was.
   */
  async kill(id: NodeId, killer?: NodeKiller): Promise<number> {
    const entry = this.require(id);
    const proc = entry.process;
    if (entry.state === 'killed' || entry.state === 'exited' || !proc) throw new FaultlineError('conflict', `${id} is already ${entry.state}`);
    const channel = entry.channel;
    let atMs: number;
    if (killer) {
      atMs = await this.killWith(entry, proc, killer);
    } else {
      entry.state = 'killed';
      proc.signal('SIGKILL');
      // Read after the signal: a node descheduled between the two could otherwise stamp events later
      // than its own crash (seen on a loaded machine).
      atMs = Date.now();
      await proc.waitExit(5_000);
    }
    if (channel) await Promise.race([channel.closed, new Promise((r) => setTimeout(r, 2_000))]);
    entry.channel = undefined;
    return atMs;
  }

  /**
   * The killer's kill: dead once its request was accepted and the life ended (an agent's ends when
   * its connection drops), and stamped then, not when the request went out: the node runs until
   * then. A life still there after KILLER_EXIT_MS gets SIGKILL through its handle.
   */
  private async killWith(entry: NodeEntry, proc: NodeHandle, killer: NodeKiller): Promise<number> {
    entry.ending = true;
    try {
      await killer(entry.id);
    } catch (err) {
      entry.ending = false;
      // It may have ended on its own meanwhile: that exit is reported now.
      if (!proc.alive && entry.process === proc) void proc.exited.then((exit) => this.exited(entry, proc, exit));
      throw err;
    }
    entry.state = 'killed';
    entry.ending = false;
    if (!(await proc.waitExit(KILLER_EXIT_MS))) {
      this.options.logger.warn({ node: entry.id, waitedMs: KILLER_EXIT_MS }, 'the kill was accepted but the node did not end: SIGKILL through its handle');
      proc.signal('SIGKILL');
      await proc.waitExit(5_000);
    }
    return Date.now();
  }

  pause(id: NodeId): void {
    const entry = this.require(id);
    if (entry.state !== 'running') throw new FaultlineError('conflict', `${id} is ${entry.state}: only a running node can be paused`);
    if (entry.process && !entry.process.canPause) {
      throw new FaultlineError('unsupported', `${id} cannot be paused here: pausing needs SIGSTOP, which Windows does not have (kill and revive work; a lab in Docker can pause)`);
    }
    entry.process?.signal('SIGSTOP');
    entry.state = 'paused';
  }

  resume(id: NodeId): void {
    const entry = this.require(id);
    if (entry.state !== 'paused') throw new FaultlineError('conflict', `${id} is ${entry.state}, not paused: nothing to resume`);
    entry.process?.signal('SIGCONT');
    entry.state = 'running';
  }

  /** Throws `conflict` unless the node is dead (killed or exited): what revive needs. */
  requireDead(id: NodeId): void {
    const entry = this.require(id);
    if (entry.state !== 'killed' && entry.state !== 'exited') {
      throw new FaultlineError('conflict', `${id} is ${entry.state}: only a killed or exited node can be revived (kill it first)`);
    }
  }

  /** SIGTERM every process (SIGCONT too if paused), SIGKILL those still there after a grace period. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const live = [...this.entries.values()].filter((e) => e.process?.alive);
    await Promise.all(
      live.map(async (entry) => {
        const proc = entry.process!;
        proc.signal('SIGTERM');
        if (entry.state === 'paused') proc.signal('SIGCONT');
        if (!(await proc.waitExit(STOP_GRACE_MS))) {
          proc.signal('SIGKILL');
          await proc.waitExit(STOP_GRACE_MS);
        }
        entry.channel?.close();
      }),
    );
  }

  private exited(entry: NodeEntry, proc: NodeHandle, exit: NodeExit): void {
    if (entry.process !== proc || this.stopping || entry.state === 'killed' || entry.ending) return;
    entry.state = 'exited';
    entry.channel = undefined;
    this.options.onExit(entry.id, exit);
  }

  private outputOf(proc: NodeHandle): string {
    const lines = proc.output().trim().split('\n').filter(Boolean);
    return lines.length === 0 ? '' : `; its last output: ${lines.slice(-3).join(' | ').slice(-400)}`;
  }
}
