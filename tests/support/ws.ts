/** A real `ws` server that records the messages it receives, and clients that connect through a port. */
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface RecordingServer {
  port: number;
  address: string;
  /** Messages received, per connection, as strings. */
  received: string[][];
  sockets: WebSocket[];
  waitForCount(n: number, timeoutMs?: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function wsServer(options: { echo?: boolean } = {}): Promise<RecordingServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', r));
  const received: string[][] = [];
  const sockets: WebSocket[] = [];
  const waiters: Array<() => void> = [];
  wss.on('connection', (ws) => {
    const mine: string[] = [];
    received.push(mine);
    sockets.push(ws);
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer, isBinary) => {
      mine.push(data.toString());
      if (options.echo) ws.send(data, { binary: isBinary });
      for (const w of waiters.splice(0)) w();
    });
  });
  const port = (wss.address() as AddressInfo).port;
  const all = (): string[] => received.flat();
  return {
    port,
    address: `127.0.0.1:${port}`,
    received,
    sockets,
    waitForCount(n, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`wanted ${n} messages, got ${all().length}`)), timeoutMs);
        const check = (): void => {
          if (all().length >= n) {
            clearTimeout(timer);
            resolve(all());
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.terminate();
        wss.close(() => resolve());
      }),
  };
}

export async function wsClient(port: number): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

export function sendAll(ws: WebSocket, messages: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let left = messages.length;
    if (left === 0) resolve();
    for (const m of messages) ws.send(m, (err) => (err ? reject(err) : --left === 0 && resolve()));
  });
}
