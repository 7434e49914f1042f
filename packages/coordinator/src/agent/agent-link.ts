/**
 * The coordinator's side of one faultline-agent (shell): the WebSocket to the agent in a node's
 * container, opened once (retried while the container starts) and kept for the lab's life. Each
 * `launch` is one life of the node there: an `AgentNode`, which the supervisor handles as it
 * handles a local process. If the connection is lost, the node counts as gone (its agent kills it:
 * a node is never left running without its lab).
 */
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { agentEventSchema, FaultlineError, parseJsonWith, type AgentCommand, type AgentEvent, type AgentSignal } from '@faultline/protocol';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import { exitWithin, type NodeExit, type NodeHandle } from '../node-handle.js';
import type { SpawnOptions } from '../node-spawn.js';

const TAIL_CHARS = 4_000;
const RETRY_MS = 250;

/** One life of a node in its container. */
export class AgentNode implements NodeHandle {
  readonly local = false;
  readonly canPause = true;
  readonly exited: Promise<NodeExit>;
  private done = false;
  private tail = '';
  private settle!: (exit: NodeExit) => void;
  private readonly log;

  constructor(
    readonly pid: number,
    private readonly send: (command: AgentCommand) => boolean,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
    this.log.on('error', () => undefined);
    this.exited = new Promise((resolve) => (this.settle = resolve));
  }

  get alive(): boolean {
    return !this.done;
  }

  output(): string {
    return this.tail;
  }

  signal(signal: AgentSignal): boolean {
    if (this.done) return false;
    return this.send({ type: 'signal', signal });
  }

  waitExit(timeoutMs: number): Promise<NodeExit | undefined> {
    return exitWithin(this.exited, timeoutMs);
  }

  /** What the node wrote, as the agent relays it. */
  wrote(data: string): void {
    if (!this.log.writableEnded) this.log.write(data);
    this.tail = (this.tail + data).slice(-TAIL_CHARS);
  }

  ended(exit: NodeExit): void {
    if (this.done) return;
    this.done = true;
    this.log.end();
    this.settle(exit);
  }
}

export class AgentLink {
  private node?: AgentNode;
  private pending?: { logFile: string; resolve: (node: AgentNode) => void; reject: (err: Error) => void };
  private closed = false;

  private constructor(
    readonly address: string,
    private readonly ws: WebSocket,
    readonly host: string,
    private readonly logger: Logger,
  ) {
    ws.on('message', (data: Buffer) => this.event(data.toString('utf8')));
    ws.on('close', () => this.lost('the connection to its agent closed'));
    ws.on('error', (err) => logger.warn({ agent: address, err: err.message }, 'agent connection error'));
  }

  /** Connects to the agent at `address` (`host:port`), trying again until `timeoutMs` is over or `signal` aborts. */
  static async connect(address: string, timeoutMs: number, logger: Logger, signal?: AbortSignal): Promise<AgentLink> {
    const deadline = performance.now() + timeoutMs;
    let last: string;
    for (;;) {
      if (signal?.aborted) throw new FaultlineError('interrupted', 'the lab was stopped while it was starting');
      try {
        const { ws, ready } = await open(address, Math.max(1_000, deadline - performance.now()));
        logger.info({ agent: address, host: ready.host }, 'agent connected');
        return new AgentLink(address, ws, ready.host, logger);
      } catch (err) {
        last = (err as Error).message;
      }
      if (performance.now() + RETRY_MS > deadline) break;
      await sleep(RETRY_MS);
    }
    throw new FaultlineError('failed', `no faultline-agent answers at ${address} within ${Math.round(timeoutMs / 1000)} s (${last}); is its container up?`);
  }

  /** Starts the node in the agent's container; resolves once the agent has started its process. */
  launch(args: readonly string[], env: Readonly<Record<string, string>>, logFile: string, spawn: SpawnOptions): Promise<AgentNode> {
    if (this.closed) return Promise.reject(new FaultlineError('failed', `the agent at ${this.address} is gone`));
    if (this.node?.alive || this.pending) return Promise.reject(new FaultlineError('conflict', `the agent at ${this.address} still runs a node`));
    return new Promise<AgentNode>((resolve, reject) => {
      this.pending = { logFile, resolve, reject };
      this.send({ type: 'start', args: [...args], env: { ...env }, group: spawn.group });
    });
  }

  /** The connection is gone (the agent's container restarted, or the lab closed it). */
  get gone(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    this.ws.close(1000);
  }

  private send(command: AgentCommand): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(command));
    return true;
  }

  private event(text: string): void {
    const parsed = parseJsonWith(agentEventSchema, text, 'agent event');
    if (!parsed.ok) {
      this.logger.warn({ agent: this.address, error: parsed.error }, 'a malformed message from an agent was dropped');
      return;
    }
    const event: AgentEvent = parsed.value;
    switch (event.type) {
      case 'started':
        // Made at once: the node's first output may come in the same read.
        if (!this.pending) return;
        this.node = new AgentNode(event.pid, (command) => this.send(command), this.pending.logFile);
        this.pending.resolve(this.node);
        this.pending = undefined;
        return;
      case 'output':
        this.node?.wrote(event.data);
        return;
      case 'exit':
        this.node?.ended({ code: event.code, signal: event.signal });
        return;
      case 'error':
        if (this.pending) {
          this.pending.reject(new FaultlineError('failed', `the agent at ${this.address} could not start the node: ${event.message}`));
          this.pending = undefined;
        } else this.logger.warn({ agent: this.address, error: event.message }, 'the agent reported an error');
        return;
      case 'ready':
        return;
    }
  }

  private lost(why: string): void {
    this.closed = true;
    this.pending?.reject(new FaultlineError('failed', `${why} (${this.address})`));
    this.pending = undefined;
    this.node?.ended({ code: null, signal: 'agent-lost' });
  }
}

/** One try: the socket and the agent's `ready`. */
function open(address: string, timeoutMs: number): Promise<{ ws: WebSocket; ready: Extract<AgentEvent, { type: 'ready' }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${address}/`, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
    const timer = setTimeout(() => fail(new Error('no ready message')), timeoutMs);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      reject(err);
    };
    ws.once('error', fail);
    ws.once('close', () => fail(new Error('closed before it was ready')));
    ws.once('message', (data: Buffer) => {
      const parsed = parseJsonWith(agentEventSchema, data.toString('utf8'), 'agent event');
      if (!parsed.ok || parsed.value.type !== 'ready') return fail(new Error(`expected ready, got ${data.toString('utf8').slice(0, 100)}`));
      clearTimeout(timer);
      ws.removeAllListeners();
      resolve({ ws, ready: parsed.value });
    });
  });
}
