/**
 * The node's inbound side: a WebSocket server on 127.0.0.1 (port 0: the OS picks; the port goes
 * in `hello`). Peers' proxies connect to it; every frame is handed on as text with its size.
 * Parsing is the caller's job, so a frame that is not an envelope costs the connection nothing.
 * A WebSocket-level error (a bad frame, an oversized message) closes only that connection (the
 * `ws` library does) and is reported through `onError`.
 */
import type { Logger } from './logger.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { FaultlineError } from '@faultline/protocol';

export interface PeerServerOptions {
  readonly logger: Logger;
  readonly onFrame: (text: string, size: number) => void;
  readonly onError: (error: string) => void;
  /** Largest accepted message, bytes. */
  readonly maxPayload?: number;
}

export interface PeerServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startPeerServer(options: PeerServerOptions): Promise<PeerServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: options.maxPayload ?? 4 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (err) => reject(new FaultlineError('listen-failed', `cannot listen on 127.0.0.1: ${err.message}`, { cause: err })));
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
