/**
 * The control channel's server (shell): a WebSocket server on 127.0.0.1 that every node connects
 * to, outside the proxies. A connection's first message must be `hello`; after it, `trace` lines
 * and `reply`s flow to the lab, most of them in `batch` frames. Every message is checked against
 * its schema (the fast check for sends and receives first); anything malformed is logged and
 * dropped, alone (the rest of its batch is kept), and the lab goes on.
 *
 * Order is kept: the traces of a frame go to the lab as one run, in order, and a reply is answered
 * only once every trace the node sent before it is written (`settled`: a line may wait for its
 * causes), so whoever awaits a command finds the node's earlier events in the trace.
 *
 * Only the lab's nodes get in: a handshake without the lab's secret, or with an `Origin` header (a
 * browser's), is refused with 401 or 403 before it is a connection (`@faultline/protocol/lab-secret`).
 */
import type { AddressInfo } from 'node:net';
import {
  batchedMessageSchema,
  isBatchedMessage,
  isTraceMessage,
  MAX_BATCH,
  nodeToCoordinatorSchema,
  parseJson,
  parseWith,
  type MaelstromMessage,
  type NodeId,
  type TraceMessage,
} from '@faultline/protocol';
import { handshakeRefusal } from '@faultline/protocol/lab-secret';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { NodeChannel, type Hello } from './node-channel.js';

const HELLO_TIMEOUT_MS = 10_000;

export interface ControlHandlers {
  /** A node said hello: answer false to refuse it (its connection is closed). */
  hello(channel: NodeChannel): boolean;
  /** Trace events of `node`, in the order it made them (one frame's run of them). */
  traces(node: NodeId, messages: readonly TraceMessage[]): void;
  /** Calls `fn` once every trace of `node` handed over so far is in the trace. */
  settled(node: NodeId, fn: () => void): void;
  /** `node`'s program sent `message` to a service (lin-kv …). */
  service(node: NodeId, message: MaelstromMessage): void;
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
    private readonly advertise: string,
  ) {
    this.port = (server.address() as AddressInfo).port;
    server.on('connection', (ws) => this.accept(ws));
  }

  /**
   * Listens on `where.host` (127.0.0.1 unless the nodes are other hosts); nodes dial it by
   * `where.advertise`. Every handshake must carry `secret`, the lab's.
   */
  static async start(handlers: ControlHandlers, logger: Logger, secret: string, where: { host: string; advertise: string } = { host: '127.0.0.1', advertise: '127.0.0.1' }): Promise<ControlServer> {
    const server = new WebSocketServer({
      host: where.host,
      port: 0,
      verifyClient: (info, done) => {
        const refusal = handshakeRefusal(info.req.headers, secret);
        if (refusal === null) return done(true);
        logger.warn({ reason: refusal.reason }, 'a control connection was refused');
        done(false, refusal.status, refusal.status === 403 ? 'Forbidden' : 'Unauthorized');
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return new ControlServer(server, handlers, logger, where.advertise);
  }

  /** What nodes get as `--control`. */
  get url(): string {
    return `ws://${this.advertise}:${this.port}/`;
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
      const json = parseJson(data.toString('utf8'), 'control message');
      if (!json.ok) {
        this.logger.warn({ node: channel?.node, error: json.error }, 'malformed control message dropped');
        return;
      }
      if (channel && isBatchFrame(json.value)) {
        this.batch(channel, json.value.messages);
        return;
      }
      const parsed = parseWith(nodeToCoordinatorSchema, json.value, 'control message', isTraceMessage);
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
      if (msg.kind === 'trace') this.handlers.traces(channel.node, [msg]);
      else if (msg.kind === 'reply') this.answer(channel, msg);
      else if (msg.kind === 'service') this.handlers.service(channel.node, msg.message);
      else if (msg.kind === 'batch') this.batch(channel, msg.messages);
      else this.logger.warn({ node: channel.node }, 'a second hello on one control connection ignored');
    });
  }

  /** The messages of one `batch` frame, in order: each checked on its own. */
  private batch(channel: NodeChannel, messages: readonly unknown[]): void {
    let run: TraceMessage[] = [];
    const record = (): void => {
      if (run.length === 0) return;
      this.handlers.traces(channel.node, run);
      run = [];
    };
    for (let i = 0; i < messages.length; i++) {
      const item = messages[i];
      const parsed = isBatchedMessage(item) ? { ok: true as const, value: item } : parseWith(batchedMessageSchema, item, `control message.messages.${i}`);
      if (!parsed.ok) {
        this.logger.warn({ node: channel.node, error: parsed.error }, 'malformed control message dropped');
        continue;
      }
      const msg = parsed.value;
      if (msg.kind === 'trace') {
        run.push(msg);
        continue;
      }
      record();
      if (msg.kind === 'service') this.handlers.service(channel.node, msg.message);
      else this.answer(channel, msg);
    }
    record();
  }

  private answer(channel: NodeChannel, msg: { id: number; ok: boolean; result?: unknown; error?: string }): void {
    this.handlers.settled(channel.node, () => channel.answer(msg.id, msg.ok, msg.result, msg.error));
  }
}

/** The outside of a `batch` frame (its messages are checked one by one). */
function isBatchFrame(value: unknown): value is { kind: 'batch'; messages: unknown[] } {
  if (value === null || typeof value !== 'object') return false;
  const { kind, messages } = value as { kind?: unknown; messages?: unknown };
  return kind === 'batch' && Array.isArray(messages) && messages.length >= 1 && messages.length <= MAX_BATCH;
}
