/** The servers behind a fuzzed proxy: a TCP echo and a WebSocket echo, each closing every socket it accepted. */
import net from 'node:net';
import { WebSocketServer } from 'ws';

export interface Upstream {
  address: string;
  close(): Promise<void>;
}

export async function echoServer(): Promise<Upstream> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Echoes every message; messages over `maxPayload` bytes close the connection (1009), as ws does. */
export async function wsEchoServer(maxPayload = 1024 * 1024): Promise<Upstream & { errors: () => number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  let errors = 0;
  wss.on('connection', (ws) => {
    ws.on('error', () => errors++);
    ws.on('message', (data: Buffer, isBinary) => {
      if (ws.readyState === ws.OPEN) ws.send(data, { binary: isBinary });
    });
  });
  return {
    address: `127.0.0.1:${(wss.address() as net.AddressInfo).port}`,
    errors: () => errors,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
