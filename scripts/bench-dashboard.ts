/**
 * The dashboard's benchmark (part of `npm run bench`), in headless Chromium (Debian's, through
 * playwright-core), against a small server on 127.0.0.1 that serves the built page, a trace file
 * and a live event stream:
 * - open: a 100,000-event trace (5 nodes, messages, drops, crashes, partitions) replayed from a
 *   file, from navigation until the page has parsed, modelled and drawn it all; baseline: the
 *   same page fetching and JSON-parsing the same file and nothing else.
 * - pan and zoom: the time each redraw takes while zooming and panning over those 100,000 events.
 * - live: 2,000 events/s for 10 s on `GET /events`; how many the page applied and how far behind
 *   it fell; baseline: a bare EventSource counting the same stream in the same browser.
 * Everything started is stopped; only 127.0.0.1.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import Table from 'cli-table3';
import { dashboardDir } from '@faultline/dashboard';
import { chromium } from 'playwright-core';
import '../tests/support/dashboard-window.js';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const EVENTS = quick ? 20_000 : 100_000;
const LIVE_RATE = 2_000;
const LIVE_SECONDS = quick ? 4 : 10;
const log = (s: string): void => {
  if (!json) process.stderr.write(`${s}\n`);
};

/** A synthetic run with honest clocks: 5 nodes exchanging messages, some dropped, a crash and a partition. */
function syntheticTrace(count: number, t0: number): string {
  const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
  const vc = new Map<string, Record<string, number>>(nodes.map((n) => [n, {}]));
  const out: string[] = [JSON.stringify({ seq: 1, trueMs: t0, kind: 'run_start', seed: '1', config: { nodes: 5 } })];
  let seq = 1;
  let t = t0;
  let rng = 42;
  const rand = (): number => ((rng = (rng * 1103515245 + 12345) % 2147483648) / 2147483648);
  const stamp = (node: string, merge?: Record<string, number>): Record<string, unknown> => {
    const v = { ...vc.get(node)! };
    for (const [k, x] of Object.entries(merge ?? {})) v[k] = Math.max(v[k] ?? 0, x);
    v[node] = (v[node] ?? 0) + 1;
    vc.set(node, v);
    return { trueMs: t, wallMs: t + (node === 'n3' ? 1500 : 0), lamport: seq, vc: v, hlc: { wallMs: t, logical: 0 } };
  };
  let msg = 0;
  while (seq < count) {
    t += 1 + Math.floor(rand() * 3);
    const from = nodes[Math.floor(rand() * 5)];
    const to = nodes[(nodes.indexOf(from) + 1 + Math.floor(rand() * 4)) % 5];
    const id = `${from}-${++msg}`;
    const sent = stamp(from);
    out.push(JSON.stringify({ seq: ++seq, trueMs: t, node: from, clocks: sent, kind: 'send', to, msg: id, msgType: rand() < 0.3 ? 'heartbeat' : 'echo', size: 120 }));
    if (seq === Math.floor(count / 3)) out.push(JSON.stringify({ seq: ++seq, trueMs: t, node: 'n4', kind: 'crash', signal: 'SIGKILL' }));
    if (seq === Math.floor((2 * count) / 3)) out.push(JSON.stringify({ seq: ++seq, trueMs: t, node: 'n4', kind: 'revive', pid: 4242 }));
    if (seq % 5000 === 0) out.push(JSON.stringify({ seq: ++seq, trueMs: t, kind: 'fault', action: seq % 10000 === 0 ? 'clear' : 'set', fault: seq % 10000 === 0 ? 'heal' : 'partition n1 n2,n3,n4,n5', links: ['n1-n2', 'n2-n1'] }));
    if (rand() < 0.05) {
      out.push(JSON.stringify({ seq: ++seq, trueMs: t + 1, node: from, kind: 'proxy', action: 'dropped', link: `${from}-${to}`, msg: id, msgType: 'echo', size: 120 }));
      continue;
    }
    t += 1;
    out.push(JSON.stringify({ seq: ++seq, trueMs: t, node: to, clocks: stamp(to, sent.vc as Record<string, number>), kind: 'receive', from, msg: id, msgType: 'echo', size: 120, sentWall: sent.wallMs }));
  }
  return `${out.join('\n')}\n`;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

const dist = await dashboardDir();
const t0 = Date.now() - 3_600_000;
const trace = syntheticTrace(EVENTS, t0);
let liveSent = 0;
const streams = new Set<ServerResponse>();
const server = createServer((req, res) => {
  void (async () => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/trace.ndjson') return res.end(trace);
    if (path === '/status') {
      const nodes = [1, 2, 3, 4, 5].map((i) => ({ id: `n${i}`, pid: 1000 + i, state: 'running' }));
      return res.end(JSON.stringify({ seed: '1', runDir: 'bench', proxyUrl: '', messageFaults: true, controlUrl: '', nodes, links: [] }));
    }
    if (path === '/trace') return res.end('[]');
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': bench\n\n');
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    if (path === '/bare.html') return res.end('<!doctype html><title>bare</title>');
    try {
      const body = await readFile(join(dist, path === '/' ? 'index.html' : path.slice(1)));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'text/html' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  })();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** 2,000 events/s in 10 ms ticks, each stamped with the time it was sent (so the page can tell its lag). */
async function stream(seconds: number): Promise<number> {
  const vc: Record<string, number> = {};
  let seq = 0;
  const start = performance.now();
  const perTick = LIVE_RATE / 100;
  for (let tick = 0; tick < seconds * 100; tick++) {
    const due = start + tick * 10;
    while (performance.now() < due) await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    let chunk = '';
    for (let i = 0; i < perTick; i++) {
      const node = `n${(seq % 5) + 1}`;
      vc[node] = (vc[node] ?? 0) + 1;
      const now = Date.now();
      const line = { seq: ++seq, trueMs: now, node, clocks: { trueMs: now, wallMs: now, lamport: seq, vc: { ...vc }, hlc: { wallMs: now, logical: 0 } }, kind: 'local', label: 'tick' };
      chunk += `id: ${seq}\ndata: ${JSON.stringify(line)}\n\n`;
    }
    for (const s of streams) s.write(chunk);
    liveSent = seq;
  }
  return liveSent;
}

const rows: { measure: string; value: string; baseline: string; target: string; verdict: string }[] = [];
const figures: Record<string, number> = {};
const browser = await chromium.launch({
  executablePath: process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  // ── open a large trace ──
  const opens: number[] = [];
  const parses: number[] = [];
  for (let round = 0; round < 3; round++) {
    const bare = await browser.newPage();
    await bare.goto(`${base}/bare.html`);
    parses.push(
      await bare.evaluate(async () => {
        const t = performance.now();
        const text = await (await fetch('/trace.ndjson')).text();
        const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
        if (lines.length === 0) throw new Error('empty');
        return performance.now() - t;
      }),
    );
    await bare.close();
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    await page.goto(`${base}/?replay=/trace.ndjson`);
    opens.push(
      await page.evaluate(async () => {
        await window.faultline.ready;
        // Until the first full draw after loading is on screen.
        await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
        return performance.now();
      }),
    );
    if (round === 2) {
      const count = await page.evaluate(() => window.faultline.model().lines.length);
      if (count !== EVENTS) throw new Error(`the page has ${count} events, expected ${EVENTS}`);
      // ── pan and zoom over all of it ──
      const draws = await page.evaluate(async () => {
        const view = window.faultline.view();
        const canvas = document.getElementById('diagram')!;
        const times: number[] = [];
        for (let i = 0; i < 40; i++) {
          canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: i < 20 ? -120 : 120, clientX: 700, clientY: 400, bubbles: true, cancelable: true }));
          const t = performance.now();
          view.draw();
          times.push(performance.now() - t);
          await new Promise((r) => requestAnimationFrame(r));
        }
        view.fit();
        const t = performance.now();
        view.draw();
        times.push(performance.now() - t);
        return times.sort((a, b) => a - b);
      });
      figures.draw_p50_ms = draws[Math.floor(draws.length / 2)];
      figures.draw_p95_ms = draws[Math.floor(draws.length * 0.95)];
      figures.draw_max_ms = draws.at(-1)!;
    }
    await page.close();
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  figures.open_ms = median(opens);
  figures.parse_only_ms = median(parses);
  log(`open ${EVENTS} events: ${opens.map((x) => x.toFixed(0)).join(', ')} ms; fetch+parse only: ${parses.map((x) => x.toFixed(0)).join(', ')} ms`);
  rows.push({
    measure: `open a ${EVENTS.toLocaleString('en')}-event trace (parse, model, first draw)`,
    value: `${figures.open_ms.toFixed(0)} ms`,
    baseline: `${figures.parse_only_ms.toFixed(0)} ms fetch + JSON.parse only (×${(figures.open_ms / figures.parse_only_ms).toFixed(1)})`,
    target: '≤ 2000 ms',
    verdict: figures.open_ms <= 2000 ? 'ok' : 'MISSED',
  });
  rows.push({
    measure: `redraw while zooming/panning ${EVENTS.toLocaleString('en')} events (p50 / p95 / max)`,
    value: `${figures.draw_p50_ms.toFixed(1)} / ${figures.draw_p95_ms.toFixed(1)} / ${figures.draw_max_ms.toFixed(1)} ms`,
    baseline: '16.7 ms = one frame at 60 Hz',
    target: 'p95 ≤ 16.7 ms',
    verdict: figures.draw_p95_ms <= 16.7 ? 'ok' : 'MISSED',
  });

  // ── live stream ──
  const bare = await browser.newPage();
  await bare.goto(`${base}/bare.html`);
  await bare.evaluate(() => {
    const w = window as unknown as { bare: { n: number; maxLag: number; lastLag: number } };
    w.bare = { n: 0, maxLag: 0, lastLag: 0 };
    new EventSource('/events').onmessage = (e: MessageEvent<string>) => {
      const line = JSON.parse(e.data) as { trueMs: number };
      w.bare.n += 1;
      w.bare.lastLag = Date.now() - line.trueMs;
      w.bare.maxLag = Math.max(w.bare.maxLag, w.bare.lastLag);
    };
  });
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  await page.goto(`${base}/`);
  await page.evaluate(() => window.faultline.ready);
  while (streams.size < 2) await new Promise((r) => setTimeout(r, 20));
  const sent = await stream(LIVE_SECONDS);
  await new Promise((r) => setTimeout(r, 500));
  const dash = await page.evaluate(() => ({ ...window.faultline.stats, lines: window.faultline.model().lines.length }));
  const plain = await bare.evaluate(() => (window as unknown as { bare: { n: number; maxLag: number; lastLag: number } }).bare);
  await page.close();
  await bare.close();
  figures.live_sent = sent;
  figures.live_applied = dash.applied;
  figures.live_max_lag_ms = dash.maxLagMs;
  figures.bare_received = plain.n;
  figures.bare_max_lag_ms = plain.maxLag;
  log(`live ${LIVE_RATE}/s for ${LIVE_SECONDS} s: sent ${sent}; dashboard applied ${dash.applied} (max lag ${dash.maxLagMs} ms); bare EventSource got ${plain.n} (max lag ${plain.maxLag} ms)`);
  rows.push({
    measure: `live: ${LIVE_RATE.toLocaleString('en')} events/s for ${LIVE_SECONDS} s (applied, max lag)`,
    value: `${dash.applied}/${sent}, ${dash.maxLagMs} ms`,
    baseline: `bare EventSource ${plain.n}/${sent}, ${plain.maxLag} ms`,
    target: 'all applied, lag ≤ 1000 ms',
    verdict: dash.applied === sent && dash.maxLagMs <= 1000 ? 'ok' : 'MISSED',
  });
} finally {
  await browser.close();
  for (const s of streams) s.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}

if (json) process.stdout.write(`${JSON.stringify({ figures, rows })}\n`);
else {
  const table = new Table({ head: ['dashboard measure', 'value', 'baseline (same run)', 'target', ''], style: { head: [], border: [] } });
  for (const r of rows) table.push([r.measure, r.value, r.baseline, r.target, r.verdict]);
  process.stdout.write(`${table.toString()}\n`);
}
