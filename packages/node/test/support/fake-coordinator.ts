/**
 * A tiny stand-in for the coordinator, for the node's integration tests: a WebSocket server on
 * 127.0.0.1:0 that real `faultline-node` processes dial back. It checks every message a node sends
 * against the protocol (`nodeToCoordinatorSchema`), keeps them per node, sends commands and
 * waits for their replies. `close()` kills (SIGKILL, by PID) every child still alive.
 */
import { nodeToCoordinatorSchema, parseJsonWith, type ClockStamp, type Command, type NodeId, type NodeTraceEvent } from '@faultline/protocol';
import { LAB_SECRET_ENV, LAB_SECRET_HEADER, newLabSecret } from '@faultline/protocol/lab-secret';
import { execa, type ResultPromise } from 'execa';
import { inject } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';

/** faultline-node as the lab runs it (bundled once by `global-setup.ts`): `[node, file]`, its arguments after. */
export const NODE: readonly [string, string] = [process.execPath, inject('nodeBundle')];
/**
 * How long to wait for what must happen (a hello, a reply, an event, an exit): generous, since a
 * loaded machine is slow; a test only waits this long when it fails.
 */
export const BOUND_MS = 60_000;

export interface Stamped {
  readonly clocks: ClockStamp;
  readonly event: NodeTraceEvent;
}

export interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

export interface SpawnedNode {
  readonly id: NodeId;
  readonly pid: number;
  /** The port of its peer server (from `hello`). */
  readonly port: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ exitCode: number | undefined; signal: string | undefined }>;
  stderr(): string;
}

interface NodeState {
  ws?: WebSocket;
  hello?: { pid: number; port: number };
  traces: Stamped[];
  replies: Map<number, Reply>;
}

type Waiter = () => boolean;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class FakeCoordinator {
  readonly url: string;
  /** The lab's secret its nodes get (in their environment) and every peer handshake must carry. */
  readonly secret = newLabSecret();
  /** Messages that broke the protocol (should stay empty). */
  readonly violations: string[] = [];
  private readonly nodes = new Map<NodeId, NodeState>();
  private readonly children: { pid: number; child: ResultPromise }[] = [];
  private readonly waiters = new Set<Waiter>();
  private nextId = 1;

  private constructor(private readonly server: WebSocketServer) {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    this.url = `ws://127.0.0.1:${address.port}/`;
    server.on('connection', (ws) => {
      let node: NodeId | undefined;
      ws.on('message', (data: Buffer) => {
        const parsed = parseJsonWith(nodeToCoordinatorSchema, data.toString('utf8'), 'node message');
        if (!parsed.ok) {
          this.violations.push(parsed.error);
          return;
        }
        const message = parsed.value;
        if (message.kind === 'hello') {
          node = message.node;
          this.state(node).ws = ws;
          this.state(node).hello = { pid: message.pid, port: message.port };
        } else if (node === undefined) {
          this.violations.push(`${message.kind} before hello`);
        } else {
          for (const m of message.kind === 'batch' ? message.messages : [message]) {
            if (m.kind === 'trace') this.state(node).traces.push({ clocks: m.clocks, event: m.event });
            else if (m.kind === 'reply') this.state(node).replies.set(m.id, m);
          }
        }
        this.poke();
      });
    });
  }

  static async start(): Promise<FakeCoordinator> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    return new FakeCoordinator(server);
  }

  /** Start a real `faultline-node` and wait for its hello. */
  async spawn(id: NodeId, args: string[] = []): Promise<SpawnedNode> {
    const child = execa(NODE[0], [NODE[1], '--id', id, '--control', this.url, '--seed', '7', ...args], {
      env: { [LAB_SECRET_ENV]: this.secret },
      reject: false,
      buffer: false,
      stdin: 'ignore',
      stdout: 'ignore',
    });
    // A revived node says hello again: forget the old one (its traces stay).
    this.state(id).hello = undefined;
    this.state(id).ws = undefined;
    let err = '';
    child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    this.children.push({ pid: child.pid!, child });
    const exited = child.then((r) => ({ exitCode: r.exitCode, signal: r.signal }));
    await this.until(() => this.nodes.get(id)?.hello !== undefined, BOUND_MS, `hello from ${id} (stderr: ${err})`);
    const hello = this.state(id).hello!;
    return { id, pid: hello.pid, port: hello.port, exited, stderr: () => err };
  }

  /** Connect to `node`'s peer port as a peer of the lab would (with the secret), or with `headers` instead. */
  async peerSocket(node: SpawnedNode, headers: Record<string, string> = { [LAB_SECRET_HEADER]: this.secret }): Promise<WebSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${node.port}/`, { perMessageDeflate: false, headers });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return ws;
  }

  /** Send a command to `node` and wait for its reply. */
  async command(node: NodeId, command: Command, timeoutMs = BOUND_MS): Promise<Reply> {
    const id = this.nextId++;
    this.raw(node, JSON.stringify({ kind: 'command', id, command }));
    await this.until(() => this.state(node).replies.has(id), timeoutMs, `reply ${id} from ${node}`);
    return this.state(node).replies.get(id)!;
  }

  /** Send any text on `node`'s control channel. */
  raw(node: NodeId, text: string): void {
    const ws = this.state(node).ws;
    if (!ws) throw new Error(`${node} has not said hello`);
    ws.send(text);
  }

  reply(node: NodeId, id: number): Reply | undefined {
    return this.state(node).replies.get(id);
  }

  traces(node: NodeId): Stamped[] {
    return this.state(node).traces;
  }

  events<K extends NodeTraceEvent['kind']>(node: NodeId, kind: K): Extract<NodeTraceEvent, { kind: K }>[] {
    return this.traces(node)
      .map((t) => t.event)
      .filter((e): e is Extract<NodeTraceEvent, { kind: K }> => e.kind === kind);
  }

  /** Wait for a trace event of `node` matching `predicate` (among all so far and to come). */
  async waitForTrace(node: NodeId, predicate: (t: Stamped) => boolean, timeoutMs = BOUND_MS, what = 'a trace event'): Promise<Stamped> {
    await this.until(() => this.traces(node).some(predicate), timeoutMs, `${what} from ${node}`);
    return this.traces(node).find(predicate)!;
  }

  /** `set_peers` pointing every node straight at the others' ports (no proxy); waits for every peer_up. */
  async connectAll(nodes: SpawnedNode[]): Promise<void> {
    for (const node of nodes) {
      const peers = Object.fromEntries(nodes.filter((p) => p !== node).map((p) => [p.id, `ws://127.0.0.1:${p.port}/`]));
      const reply = await this.command(node.id, { type: 'set_peers', peers });
      if (!reply.ok) throw new Error(`set_peers failed: ${reply.error}`);
    }
    for (const node of nodes) {
      for (const peer of nodes) {
        if (peer === node) continue;
        await this.waitForTrace(node.id, (t) => t.event.kind === 'peer_up' && t.event.peer === peer.id, 10_000, `peer_up ${peer.id}`);
      }
    }
  }

  /** Wait until `condition` holds: checked on every message from a node, and every 20 ms. */
  async until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return;
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (check()) this.waiters.delete(check);
      }, 20);
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check: Waiter = () => {
        if (!condition()) return false;
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
        return true;
      };
      this.waiters.add(check);
    });
  }

  /** Close every control channel with `code` (1000: normal), then the server. Children are left running. */
  async closeChannels(code = 1000): Promise<void> {
    for (const state of this.nodes.values()) state.ws?.close(code, 'coordinator stopping');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Break every control channel: the TCP connection just ends, no close handshake. */
  async breakChannels(): Promise<void> {
    for (const state of this.nodes.values()) state.ws?.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Kill every child still alive (SIGKILL by PID, SIGCONT is not needed for that), then close. */
  async close(): Promise<void> {
    for (const { pid, child } of this.children) {
      if (pidAlive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await child;
    }
    for (const ws of this.server.clients) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private state(node: NodeId): NodeState {
    let state = this.nodes.get(node);
    if (!state) {
      state = { traces: [], replies: new Map() };
      this.nodes.set(node, state);
    }
    return state;
  }

  private poke(): void {
    for (const waiter of [...this.waiters]) if (waiter()) this.waiters.delete(waiter);
  }
}
