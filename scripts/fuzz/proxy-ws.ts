/**
 * Fuzzing WebSocket connections through faultline-proxy: waves of hundreds of concurrent seeded
 * connections (proxy-ws-cases.ts) through three proxies (no toxics; message toxics; byte toxics,
 * changed between waves) to a `ws` echo server, while a control WebSocket through a proxy of its
 * own echoes a message every 20 ms. A connection the client half-closed must be closed by the
 * proxy within the bound (else a hang).
 */
import net from 'node:net';
import { createRng, type Rng } from '@faultline/random';
import { spawnProxy, type ProxyProcess } from '@faultline/coordinator';
import { startControl } from './control-process.js';
import type { ControlReport } from './proxy-control.js';
import { crashesOf, type ProxyFuzzResult } from './proxy-result.js';
import { wsEchoServer } from './proxy-upstreams.js';
import { wsCase, type WsCase } from './proxy-ws-cases.js';

export interface WsFuzzOptions {
  seed: number | bigint;
  connections: number;
  /** Connections open at once (default 200). */
  wave?: number;
  /** A half-closed connection not closed by the proxy within this is a hang (default 15 s). */
  boundMs?: number;
  controlBoundMs?: number;
  progress?: (done: number) => void;
}

async function api(proxy: ProxyProcess, method: string, path: string, body?: unknown): Promise<{ listen?: string }> {
  const res = await fetch(proxy.url + path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.trim()}`);
  return text === '' ? {} : (JSON.parse(text) as { listen?: string });
}

const portOf = (listen: string | undefined): number => Number(listen?.split(':').pop());

/** The toxics of one wave: a new draw for each, so updates and removals run under load. */
async function setToxics(proxy: ProxyProcess, rng: Rng, wave: number): Promise<void> {
  for (const name of ['messages', 'bytes']) {
    const list = (await fetch(`${proxy.url}/proxies/${name}/toxics`).then((r) => r.json())) as Array<{ name: string }>;
    for (const t of list) await api(proxy, 'DELETE', `/proxies/${name}/toxics/${t.name}`);
  }
  const stream = (): string => (rng.next() < 0.5 ? 'upstream' : 'downstream');
  const add = (proxyName: string, type: string, attributes: Record<string, number>): Promise<unknown> =>
    api(proxy, 'POST', `/proxies/${proxyName}/toxics`, { name: `${type}-${wave}`, type, stream: stream(), attributes });
  const pMsg = rng.next();
  if (pMsg < 0.25) await add('messages', 'ws_drop', { probability: 0.3 });
  else if (pMsg < 0.5) await add('messages', 'ws_duplicate', { probability: 0.3 });
  else if (pMsg < 0.75) await add('messages', 'ws_reorder', { probability: 0.3, max_delay_ms: 20 });
  else await add('messages', 'ws_hold', {});
  const pByte = rng.next();
  if (pByte < 0.4) await add('bytes', 'slicer', { average_size: [0, 1, 16, 256][rng.int(4)], size_variation: rng.int(8), delay: 0 });
  else if (pByte < 0.7) await add('bytes', 'latency', { latency: rng.int(20), jitter: rng.int(5) });
  else await add('bytes', 'bandwidth', { rate: 10_000 });
}

/** Runs one connection; resolves 'closed', or 'hang' when the proxy kept a half-closed one open. */
function runConnection(port: number, c: WsCase, boundMs: number): Promise<'closed' | 'hang'> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let timer: NodeJS.Timeout | undefined;
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
    socket.on('connect', () => {
      void (async () => {
        for (const piece of c.pieces) {
          if (socket.destroyed) return;
          socket.write(piece);
          await new Promise((r) => setImmediate(r));
        }
        if (c.ending === 'destroy') socket.destroy();
        else if (c.ending === 'reset') socket.resetAndDestroy();
        else {
          socket.end();
          timer = setTimeout(() => {
            socket.destroy();
            resolve('hang');
          }, boundMs);
        }
      })();
    });
  });
}

export async function fuzzProxiedWs(options: WsFuzzOptions): Promise<ProxyFuzzResult> {
  const seed = BigInt(options.seed);
  const boundMs = options.boundMs ?? 15_000;
  const waveSize = options.wave ?? 200;
  const started = performance.now();
  const upstream = await wsEchoServer();
  const control = await startControl('ws', 20, options.controlBoundMs ?? 5_000);
  const proxy = await spawnProxy(['--seed', String(seed)]);
  const outcomes: Record<string, number> = {};
  const failures: string[] = [];
  let hangs = 0;
  let cases = 0;
  let report: ControlReport | undefined;
  let crashes: { count: number; lines: string[] } | undefined;
  try {
    const ports: Record<WsCase['via'], number> = { plain: 0, messages: 0, bytes: 0 };
    for (const via of Object.keys(ports) as Array<WsCase['via']>) {
      ports[via] = portOf((await api(proxy, 'POST', '/proxies', { name: via, listen: '127.0.0.1:0', upstream: upstream.address })).listen);
    }
    await control.go(portOf((await api(proxy, 'POST', '/proxies', { name: 'ws-control', listen: '127.0.0.1:0', upstream: control.upstream })).listen));
    const toxicRng = createRng(seed, 'proxied-ws:toxics');
    for (let start = 0, wave = 0; start < options.connections; start += waveSize, wave++) {
      await setToxics(proxy, toxicRng, wave);
      const batch = Array.from({ length: Math.min(waveSize, options.connections - start) }, (_, k) => start + k);
      await Promise.all(
        batch.map(async (i) => {
          const c = wsCase(createRng(seed, `proxied-ws:${i}`));
          cases++;
          const outcome = await runConnection(ports[c.via], c, boundMs);
          const key = `${c.ending}:${outcome}`;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
          if (outcome === 'hang') {
            hangs++;
            if (failures.length < 20) failures.push(`connection ${i} (seed ${seed}) via ${c.via}: ${c.label}: still open ${boundMs} ms after the client's FIN`);
          }
        }),
      );
      options.progress?.(start + batch.length);
    }
  } finally {
    report = await control.stop().catch(() => undefined);
    crashes = crashesOf(proxy);
    await proxy.stop();
    await upstream.close();
  }
  report ??= { roundTrips: 0, medianRttMs: 0, maxRttMs: 0, affected: 'control link never started' };
  for (const line of crashes.lines) if (failures.length < 20) failures.push(line.slice(0, 300));
  return {
    target: 'proxied-ws',
    seed: seed.toString(),
    cases,
    crashes: crashes.count,
    hangs,
    nonOneLineErrors: 0,
    unclearErrors: 0,
    bugs: 0,
    otherLinkAffected: report.affected !== undefined,
    control: report,
    outcomes,
    durationMs: Math.round(performance.now() - started),
    failures,
  };
}
