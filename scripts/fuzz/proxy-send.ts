/** Sending one fuzz case and reading what came back, each within a bound (else: a hang). */
import http from 'node:http';
import net from 'node:net';

export interface Reply {
  status: number;
  body: string;
  contentType?: string;
}

export type Outcome = { kind: 'answer'; reply: Reply } | { kind: 'closed'; bytes: string } | { kind: 'hang' } | { kind: 'refused'; error: string };

/** An HTTP request through `agent`; a stream (`/events`) counts as answered at its headers. */
export function sendHttp(url: URL, agent: http.Agent, method: string, path: string, headers: Record<string, string>, body: Buffer | undefined, boundMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    const timer = setTimeout(() => {
      req?.destroy();
      done({ kind: 'hang' });
    }, boundMs);
    const done = (o: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    try {
      req = http.request({
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent,
        headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
        setHost: headers.Host === undefined,
      });
    } catch (err) {
      done({ kind: 'refused', error: (err as Error).message });
      return;
    }
    req.on('error', (err) => done({ kind: 'closed', bytes: err.message }));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const contentType = res.headers['content-type'];
      if (contentType === 'text/event-stream') {
        res.destroy();
        done({ kind: 'answer', reply: { status, body: '', contentType } });
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => done({ kind: 'answer', reply: { status, body: text, ...(contentType ? { contentType } : {}) } }));
      res.on('error', () => done({ kind: 'closed', bytes: text }));
    });
    req.end(body);
  });
}

/** Raw bytes on a fresh connection, half-closed; whatever comes back until the server closes. */
export function sendRaw(port: number, bytes: Buffer, boundMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ kind: 'hang' });
    }, boundMs);
    socket.on('error', () => undefined);
    socket.on('data', (b: Buffer) => {
      chunks.push(b);
      // An event stream stays open: answered once its headers came.
      const head = Buffer.concat(chunks).toString('latin1');
      if (head.includes('\r\n\r\n') && /^content-type: text\/event-stream/im.test(head.slice(0, head.indexOf('\r\n\r\n')))) socket.destroy();
    });
    socket.on('connect', () => socket.end(bytes));
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
      if (!m) {
        resolve({ kind: 'closed', bytes: text.slice(0, 80) });
        return;
      }
      const length = /^content-length: *(\d+)/im.exec(m[2]);
      const body = length ? m[3].slice(0, Number(length[1])) : m[3];
      resolve({ kind: 'answer', reply: { status: Number(m[1]), body } });
    });
  });
}

/** Connects, writes `bytes`, half-closes, and waits (bounded) for the proxy to close; never a failure by itself. */
export function sendTraffic(port: number, bytes: number, boundMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const timer = setTimeout(() => socket.destroy(), boundMs);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.on('connect', () => socket.end(Buffer.alloc(bytes, 0x61)));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
