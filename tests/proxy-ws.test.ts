/**
 * faultline's message toxics over real sockets: a `ws` client and server through the real
 * faultline-proxy process, counting what arrives, with the events from `GET /events`.
 */
import net from 'node:net';
import { spawnProxy, type ProxyProcess } from '@faultline/coordinator';
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectEvents, type EventCollector } from './support/events.js';
import { sleep, tcpClient, tcpServer, within } from './support/tcp.js';
import { sendAll, wsClient, wsServer, type RecordingServer } from './support/ws.js';

let server: ProxyProcess;
let toxiproxy: Toxiproxy;
let ws: RecordingServer;
let events: EventCollector;
let proxy: Proxy | undefined;
let n = 0;

beforeAll(async () => {
  server = await spawnProxy(['--seed', '42']);
  toxiproxy = new Toxiproxy(server.url);
  events = await collectEvents(server.url);
});

afterAll(async () => {
  events?.close();
  await server?.stop();
});

afterEach(async () => {
  await proxy?.remove().catch(() => undefined);
  await ws?.close();
});

async function setup(name = `w${++n}`): Promise<{ port: number; proxy: Proxy; name: string }> {
  ws = await wsServer();
  proxy = await toxiproxy.createProxy({ name, listen: '127.0.0.1:0', upstream: ws.address });
  return { port: Number(proxy.listen.split(':').pop()), proxy, name };
}

const messages = (count: number): string[] => Array.from({ length: count }, (_, i) => JSON.stringify({ id: `m${i}`, body: 'x'.repeat(i % 50) }));
const ids = (received: string[]): string[] => received.map((m) => (JSON.parse(m) as { id: string }).id);
const eventsOf = (proxyName: string, action: string) => events.events.filter((e) => e.proxy === proxyName && e.action === action);

/** Sends `count` messages and waits until the server saw a quiet 300 ms after the last one. */
async function sendAndSettle(port: number, count: number): Promise<string[]> {
  const client = await wsClient(port);
  await sendAll(client, messages(count));
  let last = -1;
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    const now = ws.received.flat().length;
    if (now === last) break;
    last = now;
  }
  client.close();
  return ws.received.flat();
}

describe('ws_drop', () => {
  it('drops about `probability` of the messages, never corrupts the rest, and reports each drop', async () => {
    const { port, proxy, name } = await setup();
    await proxy.addToxic({ name: 'drop', type: 'ws_drop' as never, stream: 'upstream', toxicity: 1, attributes: { probability: 0.5 } as never });
    const got = await sendAndSettle(port, 400);
    expect(got.length).toBeGreaterThan(140);
    expect(got.length).toBeLessThan(260);
    const seen = ids(got);
    expect(seen).toEqual([...seen].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
    await events.waitFor(() => eventsOf(name, 'dropped').length === 400 - got.length);
    const dropped = eventsOf(name, 'dropped').map((e) => e.id);
    expect(new Set([...dropped, ...seen]).size).toBe(400);
    expect(eventsOf(name, 'dropped')[0]).toMatchObject({ toxic: 'drop', direction: 'upstream', connection: 1, opcode: 1 });
  });

  it('makes the same decisions for the same seed and the same traffic', async () => {
    const run = async (): Promise<string[]> => {
      const { port, proxy } = await setup('det');
      await proxy.addToxic({ name: 'drop', type: 'ws_drop' as never, stream: 'upstream', toxicity: 1, attributes: { probability: 0.3 } as never });
      const got = ids(await sendAndSettle(port, 100));
      await proxy.remove();
      await ws.close();
      return got;
    };
    const first = await run();
    const second = await run();
    expect(first.length).toBeLessThan(100);
    expect(second).toEqual(first);
  });
});

describe('ws_duplicate', () => {
  it('delivers some messages twice, each whole', async () => {
    const { port, proxy, name } = await setup();
    await proxy.addToxic({ name: 'dup', type: 'ws_duplicate' as never, stream: 'upstream', toxicity: 1, attributes: { probability: 0.25 } as never });
    const got = await sendAndSettle(port, 200);
    const seen = ids(got);
    const counts = new Map<string, number>();
    for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(200);
    expect([...counts.values()].every((c) => c === 1 || c === 2)).toBe(true);
    const extra = got.length - 200;
    expect(extra).toBeGreaterThan(20);
    expect(extra).toBeLessThan(80);
    await events.waitFor(() => eventsOf(name, 'duplicated').length === extra);
  });
});

describe('ws_reorder', () => {
  it('lets later messages overtake held-back ones, losing none', async () => {
    const { port, proxy, name } = await setup();
    await proxy.addToxic({ name: 'ro', type: 'ws_reorder' as never, stream: 'upstream', toxicity: 1, attributes: { probability: 0.2, max_delay_ms: 200 } as never });
    const got = ids(await sendAndSettle(port, 200));
    expect([...got].sort()).toEqual(ids(messages(200)).sort());
    const inversions = got.filter((id, i) => i > 0 && Number(id.slice(1)) < Number(got[i - 1].slice(1))).length;
    expect(inversions).toBeGreaterThan(5);
    await events.waitFor(() => eventsOf(name, 'delayed').length >= inversions);
  });
});

describe('ws_hold', () => {
  it('holds every message (pings still pass) and releases them in order when removed', async () => {
    const { port, proxy, name } = await setup();
    const toxic = await proxy.addToxic({ name: 'hold', type: 'ws_hold' as never, stream: 'upstream', toxicity: 1, attributes: {} as never });
    const client = await wsClient(port);
    await sendAll(client, messages(10));
    await sleep(300);
    expect(ws.received.flat()).toEqual([]);
    const pong = new Promise<void>((r) => client.once('pong', () => r()));
    client.ping();
    await within(pong, 2_000);
    await events.waitFor(() => eventsOf(name, 'held').length === 10);
    await toxic.remove();
    expect(ids(await ws.waitForCount(10))).toEqual(ids(messages(10)));
    await events.waitFor(() => eventsOf(name, 'released').length === 10);
    expect(eventsOf(name, 'released').map((e) => e.id)).toEqual(ids(messages(10)));
    client.close();
  });

  it('keeps what it holds across an update', async () => {
    const { port, proxy } = await setup();
    const toxic = await proxy.addToxic({ name: 'hold', type: 'ws_hold' as never, stream: 'upstream', toxicity: 1, attributes: {} as never });
    const client = await wsClient(port);
    await sendAll(client, messages(3));
    await sleep(150);
    await toxic.update({ toxicity: 1 } as never);
    await toxic.remove();
    expect(ids(await ws.waitForCount(3))).toEqual(ids(messages(3)));
    client.close();
  });

  it('moves fragmented messages as a whole', async () => {
    const { port, proxy } = await setup();
    const toxic = await proxy.addToxic({ name: 'hold', type: 'ws_hold' as never, stream: 'upstream', toxicity: 1, attributes: {} as never });
    const client = await wsClient(port);
    client.send('{"id":"frag",', { fin: false });
    client.send('"part":2', { fin: false });
    client.send('}', { fin: true });
    await sleep(200);
    expect(ws.received.flat()).toEqual([]);
    await toxic.remove();
    expect(await ws.waitForCount(1)).toEqual(['{"id":"frag","part":2}']);
    client.close();
  });
});

describe('bad input on a connection with message toxics', () => {
  it('passes non-WebSocket bytes unchanged', async () => {
    const echo = await tcpServer();
    proxy = await toxiproxy.createProxy({ name: `raw${++n}`, listen: '127.0.0.1:0', upstream: echo.address });
    await proxy.addToxic({ name: 'drop', type: 'ws_drop' as never, stream: 'upstream', toxicity: 1, attributes: { probability: 1 } as never });
    const c = await tcpClient(Number(proxy.listen.split(':').pop()));
    c.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\nnot a websocket');
    const got = await c.waitFor(42);
    expect(got.toString()).toBe('GET / HTTP/1.1\r\nHost: x\r\n\r\nnot a websocket');
    c.close();
    await echo.close();
  });

  it('survives garbage and truncated frames after an upgrade; other connections go on', async () => {
    const { port, proxy } = await setup();
    await proxy.addToxic({ name: 'drop', type: 'ws_drop' as never, stream: 'upstream', toxicity: 1, attributes: { probability: 0.5 } as never });
    const healthy = await wsClient(port);
    for (const garbage of [Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]), Buffer.from([0x81, 0xfe, 0x10])]) {
      const raw = net.connect({ port, host: '127.0.0.1' });
      raw.on('error', () => undefined);
      await new Promise<void>((r) => raw.once('connect', r));
      raw.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
      await new Promise<void>((r) => raw.once('data', () => r()));
      raw.write(garbage);
      await sleep(100);
      raw.destroy();
    }
    await sendAll(healthy, messages(50));
    await ws.waitForCount(10);
    expect(server.alive()).toBe(true);
    const res = await fetch(`${server.url}/version`);
    expect(res.status).toBe(200);
    healthy.close();
  });
});
