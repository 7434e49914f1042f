/**
 * The node's inbound side: a WebSocket server on 127.0.0.1 (or the `host` given: 0.0.0.0 in a container) (port 0: the OS picks; the port goes
 * in `hello`). Peers' proxies connect to it; every frame is handed on as text with its size.
 * Parsing is the caller's job, so a frame that is not an envelope costs the connection nothing.
 * A WebSocket-level error (a bad frame, an oversized message) closes only that connection (the
 * `ws` library does) and is reported through `onError`.
 *
 * Only the lab gets in: a handshake without the lab's secret, or with an `Origin` header (a
 * browser's), is refused before it is a connection (`@faultline/protocol/lab-secret`), and
 * reported through `onRefused`.
 */
import type { Logger } from './logger.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { FaultlineError } from '@faultline/protocol';
import { handshakeRefusal } from '@faultline/protocol/lab-secret';

export interface PeerServerOptions {
  readonly logger: Logger;
  readonly onFrame: (text: string, size: number) => void;
  readonly onError: (error: string) => void;
  /** The address to listen on. */
  readonly host: string;
  /** The lab's secret, which every handshake must carry. */
  readonly secret: string;
  /** A handshake was refused, for this reason. */
  readonly onRefused: (reason: string) => void;
  /** Largest accepted message, bytes. */
  readonly maxPayload?: number;
}

export interface PeerServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startPeerServer(options: PeerServerOptions): Promise<PeerServer> {
  const server = new WebSocketServer({
    host: options.host,
    port: 0,
    perMessageDeflate: false,
    maxPayload: options.maxPayload ?? 4 * 1024 * 1024,
    verifyClient: (info, done) => {
      const refusal = handshakeRefusal(info.req.headers, options.secret);
      if (refusal === null) return done(true);
      options.onRefused(refusal.reason);
      done(false, refusal.status, refusal.status === 403 ? 'Forbidden' : 'Unauthorized');
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (err) => reject(new FaultlineError('listen-failed', `cannot listen on ${options.host}: ${err.message}`, { cause: err })));
  });
  const sockets = new Set<WebSocket>();
  server.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('message', (data: Buffer) => options.onFrame(data.toString('utf8'), data.length));
    ws.on('error', (err) => options.onError(`websocket: ${err.message}`));
    ws.on('close', () => sockets.delete(ws));
  });
  server.on('error', (err) => options.logger.error({ err }, 'peer server error'));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new FaultlineError('listen-failed', 'the peer server has no TCP address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        server.close(() => resolve());
      }),
  };
}
