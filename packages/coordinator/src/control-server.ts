/**
 * The control channel's server (shell): a WebSocket server on 127.0.0.1 that every node connects
 * to, outside the proxies. A connection's first message must be `hello`; after it, `trace` lines
 * and `reply`s flow to the lab. Anything malformed is logged and dropped; the lab goes on.
 */
import type { AddressInfo } from 'node:net';
import { nodeToCoordinatorSchema, parseJsonWith, type ClockStamp, type NodeId, type NodeTraceEvent } from '@faultline/protocol';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { NodeChannel, type Hello } from './node-channel.js';

const HELLO_TIMEOUT_MS = 10_000;

export interface ControlHandlers {
  /** A node said hello: answer false to refuse it (its connection is closed). */
  hello(channel: NodeChannel): boolean;
  trace(node: NodeId, clocks: ClockStamp, event: NodeTraceEvent): void;
  closed(channel: NodeChannel): void;
}

export class ControlServer {
  private readonly sockets = new Set<WebSocket>();
  /** Kept, so it can still be told after the server closed. */
  readonly port: number;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly handlers: ControlHandlers,
    private readonly logger: Logger,
  ) {
    this.port = (server.address() as AddressInfo).port;
    server.on('connection', (ws) => this.accept(ws));
  }

  static async start(handlers: ControlHandlers, logger: Logger): Promise<ControlServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return new ControlServer(server, handlers, logger);
  }

  /** What nodes get as `--control`. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/`;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    let channel: NodeChannel | undefined;
    const helloTimer = setTimeout(() => {
      this.logger.warn('a control connection sent no hello; closed');
      ws.terminate();
    }, HELLO_TIMEOUT_MS);
    ws.on('error', (err) => this.logger.warn({ err: err.message }, 'control connection error'));
    ws.on('close', () => {
      clearTimeout(helloTimer);
      this.sockets.delete(ws);
      if (channel) this.handlers.closed(channel);
    });
    ws.on('message', (data: Buffer) => {
      const parsed = parseJsonWith(nodeToCoordinatorSchema, data.toString('utf8'), 'control message');
      if (!parsed.ok) {
        this.logger.warn({ node: channel?.node, error: parsed.error }, 'malformed control message dropped');
        return;
      }
      const msg = parsed.value;
      if (!channel) {
        if (msg.kind !== 'hello') {
          this.logger.warn({ kind: msg.kind }, 'control message before hello; connection closed');
          ws.terminate();
          return;
        }
        clearTimeout(helloTimer);
        const hello: Hello = { node: msg.node, pid: msg.pid, port: msg.port };
        const candidate = new NodeChannel(ws, hello);
        if (!this.handlers.hello(candidate)) {
          ws.terminate();
          return;
        }
        channel = candidate;
        return;
      }
      if (msg.kind === 'trace') this.handlers.trace(channel.node, msg.clocks, msg.event);
      else if (msg.kind === 'reply') channel.answer(msg.id, msg.ok, msg.result, msg.error);
      else this.logger.warn({ node: channel.node }, 'a second hello on one control connection ignored');
    });
  }
}
