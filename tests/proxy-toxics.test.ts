/**
 * Every Toxiproxy toxic over real sockets: a TCP echo server and client through the real
 * faultline-proxy process, driven by toxiproxy-node-client.
 */
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnProxy, type ProxyProcess } from '@faultline/coordinator';
import { sleep, tcpClient, tcpServer, within, type TestServer } from './support/tcp.js';

let server: ProxyProcess;
let echo: TestServer;
let toxiproxy: Toxiproxy;
let proxy: Proxy;
let n = 0;

beforeAll(async () => {
  server = await spawnProxy(['--seed', '1']);
  echo = await tcpServer();
  toxiproxy = new Toxiproxy(server.url);
});

afterAll(async () => {
  await echo?.close();
  await server?.stop();
});

async function newProxy(upstream = echo.address): Promise<{ port: number; proxy: Proxy }> {
  proxy = await toxiproxy.createProxy({ name: `p${++n}`, listen: '127.0.0.1:0', upstream });
  return { port: Number(proxy.listen.split(':').pop()), proxy };
}

afterEach(async () => {
  await proxy?.remove().catch(() => undefined);
});

const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => i % 256));

describe('no toxics', () => {
  it('passes a 1 MB echo byte for byte', async () => {
    const { port } = await newProxy();
    const c = await tcpClient(port);
    const payload = bytes(1 << 20);
    c.socket.write(payload);
    expect((await c.waitFor(payload.length)).equals(payload)).toBe(true);
    c.close();
  });

  it('forwards at once bytes that only look like HTTP (a Redis inline GET)', async () => {
    const { port } = await newProxy();
    const c = await tcpClient(port);
    c.socket.write('GET foo\r\n');
    expect((await c.waitFor(9, 1_000)).toString()).toBe('GET foo\r\n');
    c.close();
  });

  it('closes the client when the upstream cannot be reached', async () => {
    const dead = await tcpServer();
    const address = dead.address;
    await dead.close();
    const { port } = await newProxy(address);
    const c = await tcpClient(port);
    // The proxy accepts, fails to dial, and closes the client (as Toxiproxy does).
    expect(await within(c.ended, 3_000)).toMatch(/^(end|reset|close)$/);
    expect(c.data().length).toBe(0);
  });
});

describe('latency', () => {
  it('delays the echo by the downstream latency', async () => {
    const { port, proxy } = await newProxy();
    await proxy.addToxic({ name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 120, jitter: 0 } });
    const c = await tcpClient(port);
    const t0 = performance.now();
    c.socket.write('ping');
    await c.waitFor(4);
    const rtt = performance.now() - t0;
    expect(rtt).toBeGreaterThanOrEqual(119);
    expect(rtt).toBeLessThan(200);
    c.close();
  });

  it('applies to connections already open, and flushes at once when removed', async () => {
    const { port, proxy } = await newProxy();
    const c = await tcpClient(port);
    c.socket.write('a');
    await c.waitFor(1);
    const toxic = await proxy.addToxic({ name: 'slow', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 5000, jitter: 0 } });
    const t0 = performance.now();
    c.socket.write('b');
    await sleep(150);
    expect(c.data().toString()).toBe('a');
    await toxic.remove();
    await c.waitFor(2);
    expect(performance.now() - t0).toBeLessThan(1500);
    c.close();
  });

  it('does nothing to a connection whose toxicity roll failed (toxicity 0)', async () => {
    const { port, proxy } = await newProxy();
    await proxy.addToxic({ name: 'never', type: 'latency', stream: 'downstream', toxicity: 0, attributes: { latency: 2000, jitter: 0 } });
    const c = await tcpClient(port);
    const t0 = performance.now();
    c.socket.write('x');
    await c.waitFor(1);
    expect(performance.now() - t0).toBeLessThan(500);
    c.close();
  });
});

describe('bandwidth', () => {
  it('limits the upstream rate to rate KB/s', async () => {
    const { port, proxy } = await newProxy();
    await proxy.addToxic({ name: 'bw', type: 'bandwidth', stream: 'upstream', toxicity: 1, attributes: { rate: 100 } });
    const c = await tcpClient(port);
    const payload = bytes(50_000); // 0.5 s at 100 000 bytes/s
    const t0 = performance.now();
    c.socket.write(payload);
    const got = await c.waitFor(payload.length, 5_000);
    const ms = performance.now() - t0;
    expect(got.equals(payload)).toBe(true);
    expect(ms).toBeGreaterThan(450);
    expect(ms).toBeLessThan(800);
    c.close();
  });
});

describe('slow_close', () => {
  it('delays the close the client sees', async () => {
    const closer = await tcpServer((socket) => socket.end('bye'));
    const { port, proxy } = await newProxy(closer.address);
    await proxy.addToxic({ name: 'sc', type: 'slow_close', stream: 'downstream', toxicity: 1, attributes: { delay: 400 } });
    const t0 = performance.now();
    const c = await tcpClient(port);
    await c.waitFor(3);
    await c.ended;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
    expect(c.data().toString()).toBe('bye');
    await closer.close();
  });
});

describe('timeout', () => {
  it('stops data and closes the connection after timeout ms', async () => {
    const { port, proxy } = await newProxy();
    await proxy.addToxic({ name: 'to', type: 'timeout', stream: 'upstream', toxicity: 1, attributes: { timeout: 300 } });
    const t0 = performance.now();
    const c = await tcpClient(port);
    c.socket.write('lost');
    await c.ended;
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1500);
    expect(c.data().length).toBe(0);
  });

  it('with timeout 0 holds the connection silent; removing the toxic closes it', async () => {
    const { port, proxy } = await newProxy();
    const toxic = await proxy.addToxic({ name: 'to0', type: 'timeout', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } });
    const c = await tcpClient(port);
    c.socket.write('hello');
    await sleep(300);
    expect(c.data().length).toBe(0);
    let ended = false;
    void c.ended.then(() => (ended = true));
    expect(ended).toBe(false);
    await toxic.remove();
    await c.ended;
    expect(c.data().length).toBe(0);
  });
});

describe('timeout removal', () => {
  it('closes the connections even where its toxicity roll failed (Toxiproxy cleans up by type)', async () => {
    const { port, proxy } = await newProxy();
    const toxic = await proxy.addToxic({ name: 'to-never', type: 'timeout', stream: 'upstream', toxicity: 0, attributes: { timeout: 0 } });
    const c = await tcpClient(port);
    c.socket.write('ok');
    await c.waitFor(2);
    await toxic.remove();
    expect(await within(c.ended, 3_000)).toMatch(/^(end|reset|close)$/);
  });
});

describe('updates on live connections', () => {
  it('an update during a latency delay after the upstream closed still delivers everything, then closes', async () => {
    const sender = await tcpServer((socket) => {
      socket.write('AAA');
      setTimeout(() => socket.write('BBB'), 20);
      setTimeout(() => socket.end('CCC'), 40);
    });
    const { port, proxy } = await newProxy(sender.address);
    const toxic = await proxy.addToxic({ name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 600, jitter: 0 } });
    const c = await tcpClient(port);
    await sleep(200);
    await toxic.update({ attributes: { latency: 700, jitter: 0 }, toxicity: 1 } as never);
    await within(c.ended, 5_000);
    expect(c.data().toString()).toBe('AAABBBCCC');
    await sender.close();
  });
});

describe('reset_peer', () => {
  it('resets the connection with a TCP RST after timeout ms', async () => {
    const { port, proxy } = await newProxy();
    await proxy.addToxic({ name: 'rst', type: 'reset_peer', stream: 'upstream', toxicity: 1, attributes: { timeout: 100 } });
    const c = await tcpClient(port);
    const t0 = performance.now();
    c.socket.write('boom');
    expect(await c.ended).toBe('reset');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
  });
});

describe('slicer', () => {
  it('delivers the same bytes in many small pieces', async () => {
    const { port, proxy } = await newProxy();
    // Slices of 12-20 bytes, 10 ms apart: at least 32 slices, so at least 31 gaps. A busy reader
    // may find several slices waiting at once; the gaps it cannot shorten.
    await proxy.addToxic({ name: 'sl', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 16, size_variation: 4, delay: 10_000 } });
    const c = await tcpClient(port);
    let events = 0;
    c.socket.on('data', () => events++);
    const payload = bytes(640);
    const t0 = performance.now();
    c.socket.write(payload);
    const got = await c.waitFor(640, 30_000);
    expect(got.equals(payload)).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(31 * 10 - 5);
    expect(events).toBeGreaterThan(1);
    c.close();
  });

  it('does not crash on average_size 0 (which kills the real Toxiproxy)', async () => {
    const { port, proxy } = await newProxy();
    await proxy.addToxic({ name: 'sl0', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 0, size_variation: 0, delay: 0 } });
    const c = await tcpClient(port);
    c.socket.write('abcdef');
    expect((await c.waitFor(6)).toString()).toBe('abcdef');
    c.close();
    expect(server.alive()).toBe(true);
  });
});

describe('limit_data', () => {
  it('lets `bytes` through and closes', async () => {
    const { port, proxy } = await newProxy();
    await proxy.addToxic({ name: 'ld', type: 'limit_data', stream: 'downstream', toxicity: 1, attributes: { bytes: 100 } });
    const c = await tcpClient(port);
    c.socket.write(bytes(300));
    await c.ended;
    expect(c.data().equals(bytes(100))).toBe(true);
  });
});

describe('open connections when the proxy changes', () => {
  it('disabling closes them; enabling accepts again on the same address', async () => {
    const { port, proxy } = await newProxy();
    const c = await tcpClient(port);
    c.socket.write('1');
    await c.waitFor(1);
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await c.ended;
    await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    const d = await tcpClient(port);
    d.socket.write('2');
    expect((await d.waitFor(1)).toString()).toBe('2');
    d.close();
  });

  it('deleting closes them', async () => {
    const { port, proxy } = await newProxy();
    const c = await tcpClient(port);
    c.socket.write('1');
    await c.waitFor(1);
    await proxy.remove();
    await c.ended;
  });

  it('changing the upstream closes them and restarts the listener', async () => {
    const other = await tcpServer((socket) => socket.write('other'));
    const { port, proxy } = await newProxy();
    const c = await tcpClient(port);
    c.socket.write('1');
    await c.waitFor(1);
    await proxy.update({ enabled: true, listen: proxy.listen, upstream: other.address });
    await c.ended;
    const d = await tcpClient(port);
    expect((await d.waitFor(5)).toString()).toBe('other');
    d.close();
    await other.close();
  });
});
