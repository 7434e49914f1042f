/** Real TCP servers and clients for integration tests: every socket is tracked and closed. */
import net from 'node:net';

export interface TestServer {
  port: number;
  address: string;
  /** Bytes each accepted connection received, in accept order. */
  received: Buffer[][];
  connections: net.Socket[];
  close(): Promise<void>;
}

/** A TCP server; by default it echoes what it receives. */
export async function tcpServer(onConnection?: (socket: net.Socket, index: number) => void): Promise<TestServer> {
  const connections: net.Socket[] = [];
  const received: Buffer[][] = [];
  const server = net.createServer({ noDelay: true }, (socket) => {
    const index = connections.length;
    connections.push(socket);
    received.push([]);
    socket.on('data', (b: Buffer) => received[index].push(b));
    socket.on('error', () => undefined);
    if (onConnection) onConnection(socket, index);
    else socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    address: `127.0.0.1:${port}`,
    received,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of connections) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface TestClient {
  socket: net.Socket;
  /** All bytes received so far. */
  data(): Buffer;
  /** Resolves when at least `n` bytes arrived (or rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<Buffer>;
  /** Resolves with how the connection ended: 'end' (FIN), 'reset' (RST) or 'close'. */
  ended: Promise<'end' | 'reset' | 'close'>;
  close(): void;
}

export async function tcpClient(port: number): Promise<TestClient> {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const chunks: Buffer[] = [];
  let size = 0;
  const waiters: Array<() => void> = [];
  socket.on('data', (b: Buffer) => {
    chunks.push(b);
    size += b.length;
    for (const w of waiters.splice(0)) w();
  });
  const ended = new Promise<'end' | 'reset' | 'close'>((resolve) => {
    socket.once('end', () => resolve('end'));
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNRESET' ? 'reset' : 'close'));
    socket.once('close', () => resolve('close'));
  });
  return {
    socket,
    data: () => Buffer.concat(chunks),
    ended,
    waitFor(n, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} bytes, got ${size}`)), timeoutMs);
        const check = (): void => {
          if (size >= n) {
            clearTimeout(timer);
            resolve(Buffer.concat(chunks));
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => socket.destroy(),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves like `p`, or rejects if it takes longer than `ms`. */
export function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
