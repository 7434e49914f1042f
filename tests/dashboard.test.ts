/**
 * The dashboard in real Chromium against a real lab (proxy, node processes): what the page shows
 * is asserted through its DOM and through what its diagram says it drew; every state is saved as a
 * screenshot in .artifacts/dashboard/. Leaves no process or port behind.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '@faultline/coordinator';
import { checkShiviz, dashboardDir } from '@faultline/dashboard';
import { lessonRoutes } from '@faultline/lessons';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';
import './support/dashboard-window.js';
import { leftOver } from './support/processes.js';

const ARTIFACTS = join(import.meta.dirname, '..', '.artifacts', 'dashboard');
const runsDir = mkdtempSync(join(tmpdir(), 'faultline-dashboard-'));
let lab: Lab;
let browser: Browser;
let page: Page;
let url: string;

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
type Drawn = { marks: number; arrows: Record<string, number>; crashes: number; bands: number; selected?: number; past: number; future: number; concurrent: number };
const drawn = (): Promise<Drawn> => page.evaluate(() => window.faultline.view().drawn as Drawn);
/** Waits until what the diagram last drew satisfies `ok`. */
async function untilDrawn(ok: (d: Drawn) => boolean, what: string): Promise<Drawn> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const d = await drawn();
    if (ok(d)) return d;
    if (Date.now() > deadline) throw new Error(`the diagram never drew ${what}: ${JSON.stringify(d)}`);
    await page.waitForTimeout(100);
  }
}
const linkState = (name: string): Promise<string | null> => page.getAttribute(`path[data-link="${name}"]`, 'data-state');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const [l, dir] = await Promise.all([startLab({ nodes: 3, seed: '11', runsDir, heartbeatMs: 300, rpcTimeoutMs: 400 }, { logger: pino({ level: 'warn' }) }), dashboardDir()]);
  lab = l;
  url = await lab.serve(0, { dashboardDir: dir, routes: lessonRoutes() });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${url}/`);
  await page.evaluate(() => window.faultline.ready);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  const resources = lab?.resources();
  await lab?.stop();
  rmSync(runsDir, { recursive: true, force: true });
  if (resources) expect(await leftOver(resources)).toEqual({ pids: [], ports: [] });
});

describe('the dashboard, live', () => {
  it('shows every node with its clocks and every directed link', async () => {
    await page.waitForSelector('tr[data-node="n3"][data-state="up"]');
    expect(await page.$$eval('tr[data-node]', (rows) => rows.map((r) => [r.getAttribute('data-node'), r.getAttribute('data-state')]))).toEqual([['n1', 'up'], ['n2', 'up'], ['n3', 'up']]);
    expect(await page.$$eval('path[data-link]', (ps) => ps.map((p) => p.getAttribute('data-link')).sort())).toEqual(['n1-n2', 'n1-n3', 'n2-n1', 'n2-n3', 'n3-n1', 'n3-n2']);
    expect(await page.textContent('tr[data-node="n1"] td.vc')).toMatch(/\[n1:\d+ n2:\d+ n3:\d+\]/);
    expect(await page.textContent('#conn')).toBe('live');
    await shot('1-live');
  });

  it('kill from the page: the node shows killed and its crash is drawn; revive brings it back', async () => {
    await page.click('button[data-action="kill"][data-node="n2"]');
    await page.waitForSelector('tr[data-node="n2"][data-state="killed"]');
    expect(lab.state('n2')).toBe('killed');
    await untilDrawn((d) => d.crashes >= 1, 'a crash');
    expect(await page.getAttribute('svg.links circle.node.killed', 'class')).toContain('killed');
    await shot('2-killed');
    await page.click('button[data-action="revive"][data-node="n2"]');
    await page.waitForSelector('tr[data-node="n2"][data-state="up"]', { timeout: 20_000 });
    expect(lab.state('n2')).toBe('running');
  });

  it('a partition made from the page cuts the links it shows, and only those', async () => {
    await page.selectOption('select[data-node="n1"]', 'A');
    await page.selectOption('select[data-node="n2"]', 'B');
    await page.selectOption('select[data-node="n3"]', 'B');
    await page.click('#partition-form button[name="partition"]');
    await page.waitForSelector('path[data-link="n1-n2"][data-state="cut"]');
    for (const l of ['n1-n2', 'n2-n1', 'n1-n3', 'n3-n1']) expect(await linkState(l)).toBe('cut');
    for (const l of ['n2-n3', 'n3-n2']) expect(await linkState(l)).toBe('ok');
    // What it shows is what the links do.
    expect((await lab.rpc('n1', 'n2', 'ping', {}, 300)).result.outcome).toBe('timeout');
    expect((await lab.rpc('n2', 'n3', 'ping', {}, 300)).result.outcome).toBe('ok');
    await untilDrawn((d) => d.bands >= 1, 'the partition band');
    await shot('3-partition');
    await page.click('#partition-form button[name="heal"]');
    await page.waitForSelector('path[data-link="n1-n2"][data-state="ok"]');
    // Healed is not yet reconnected: a connection the cut broke comes back with the node's backoff.
    await lab.waitForLinks(30_000);
    expect((await lab.rpc('n1', 'n2', 'ping', {}, 1000)).result.outcome).toBe('ok');
  });

  it('a one-way block shows on one direction only', async () => {
    await page.selectOption('#link-form select[name="from"]', 'n3');
    await page.selectOption('#link-form select[name="to"]', 'n1');
    await page.click('#link-form button[name="block"]');
    await page.waitForSelector('path[data-link="n3-n1"][data-state="cut"]');
    expect(await linkState('n1-n3')).toBe('ok');
    await shot('4-block');
    await lab.heal();
  });

  it('a dropped message is drawn as dropped, and clicking the timeout shows the ambiguity lens', async () => {
    await page.selectOption('#link-form select[name="from"]', 'n1');
    await page.selectOption('#link-form select[name="to"]', 'n3');
    await page.fill('#link-form input[name="drop"]', '100');
    await page.click('#link-form button[name="apply"]');
    await page.waitForSelector('path[data-link="n1-n3"][data-state="faulty"]');
    const { result } = await lab.rpc('n1', 'n3', 'ping', {}, 300);
    expect(result.outcome).toBe('timeout');
    await untilDrawn((d) => (d.arrows.dropped ?? 0) >= 1, 'a dropped message');
    const timeout = lab.trace({ kinds: ['rpc_timeout'] }).find((l) => l.kind === 'rpc_timeout' && l.msg === result.requestIds[0])!;
    // Hold the view still (follow mode scrolls with every heartbeat), then click the timeout.
    await page.click('#fit');
    await page.waitForTimeout(300);
    const mark = await page.evaluate((seq) => window.faultline.view().layout?.marks.find((m) => m.seq === seq), timeout.seq);
    expect(mark).toBeDefined();
    const box = (await page.locator('#diagram').boundingBox())!;
    await page.mouse.click(box.x + mark!.x, box.y + mark!.y);
    await page.waitForSelector(`#event-details[data-seq="${timeout.seq}"]`);
    expect(await page.getAttribute('#lens', 'data-truth')).toBe('request_dropped');
    expect(await page.textContent('#lens')).toContain('the proxy dropped the request on the link n1→n3');
    await shot('5-dropped-lens');
    await page.click('#link-form button[name="clear"]');
    await page.waitForSelector('path[data-link="n1-n3"][data-state="ok"]');
  });

  it('runs a lesson on the lab it watches, with its text, its steps and its verdict beside the diagram', async () => {
    await page.waitForSelector('#lessons:not([hidden])');
    await page.selectOption('#lesson-pick', 'slow-or-lost');
    await page.click('#lesson-run');
    await page.waitForSelector('#lesson h3');
    expect(await page.textContent('#lesson')).toContain('Slow or lost?');
    await page.waitForSelector('#lesson-verdict', { timeout: 40_000 });
    const checks = await page.$$eval('#lesson-checks li', (lis) => lis.map((li) => [li.getAttribute('data-held'), li.textContent]));
    expect(checks.length).toBe(7);
    expect(checks.filter(([held]) => held !== 'true'), JSON.stringify(checks)).toEqual([]);
    expect(await page.getAttribute('#lesson-verdict', 'data-passed')).toBe('true');
    expect(await page.$$eval('#lesson-steps li', (lis) => lis.length)).toBe(8);
    await shot('6-lesson');
    // Its behaviours were stopped at the verdict: the lab runs no counter now, and the same lesson
    // runs again from a clean state and holds again.
    expect(lab.nodes.flatMap((id) => lab.behaviours(id))).toEqual([]);
    const first = await page.getAttribute('#lesson', 'data-run');
    await page.click('#lesson-run');
    await page.waitForSelector(`#lesson:not([data-run="${first}"])[data-state="done"] #lesson-verdict`, { timeout: 40_000 });
    expect(await page.getAttribute('#lesson-verdict', 'data-passed')).toBe('true');
  });

  it('replay of the saved run reaches the same final state as the live page', async () => {
    await page.waitForTimeout(500);
    const state = (): Promise<string[][]> => page.$$eval('tr[data-node], path[data-link]', (els) => els.map((e) => [e.getAttribute('data-node') ?? e.getAttribute('data-link') ?? '', e.getAttribute('data-state') ?? '']));
    const liveState = await state();
    const replay = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    try {
      await replay.goto(`${url}/`);
      await replay.evaluate(() => window.faultline.ready);
      await replay.setInputFiles('#load-trace', lab.traceFile);
      await replay.waitForSelector('#conn[data-state="replay"]');
      const replayed = await replay.$$eval('tr[data-node], path[data-link]', (els) => els.map((e) => [e.getAttribute('data-node') ?? e.getAttribute('data-link') ?? '', e.getAttribute('data-state') ?? '']));
      expect(replayed).toEqual(liveState);
      // At the start of the run no node had started yet; the slider moves the state there and back.
      await replay.fill('#slider', '0');
      await replay.dispatchEvent('#slider', 'input');
      expect(await replay.$$eval('tr[data-node]', (rows) => rows.map((r) => r.getAttribute('data-state')))).toEqual(['starting', 'starting', 'starting']);
      await replay.fill('#slider', '1000');
      await replay.dispatchEvent('#slider', 'input');
      expect(await replay.$$eval('tr[data-node], path[data-link]', (els) => els.map((e) => [e.getAttribute('data-node') ?? e.getAttribute('data-link') ?? '', e.getAttribute('data-state') ?? '']))).toEqual(liveState);
      await replay.screenshot({ path: join(ARTIFACTS, '7-replay.png') });
    } finally {
      await replay.close();
    }
  });
});

/** A known trace: n1 sends m1 to n2; n2 sends m2 to n3; n3 does something on its own first. */
function knownTrace(): string {
  const t0 = 1_767_225_600_000;
  const c = (node: string, t: number, vc: Record<string, number>, lamport: number) => ({ trueMs: t0 + t, wallMs: t0 + t, lamport, vc, hlc: { wallMs: t0 + t, logical: 0 } });
  const lines = [
    { seq: 1, trueMs: t0, kind: 'run_start', seed: '1', config: { nodes: 3 } },
    { seq: 2, trueMs: t0 + 10, node: 'n3', clocks: c('n3', 10, { n3: 1 }, 1), kind: 'local', label: 'alone' },
    { seq: 3, trueMs: t0 + 20, node: 'n1', clocks: c('n1', 20, { n1: 1 }, 1), kind: 'send', to: 'n2', msg: 'm1', msgType: 'echo', size: 10 },
    { seq: 4, trueMs: t0 + 40, node: 'n2', clocks: c('n2', 40, { n1: 1, n2: 1 }, 2), kind: 'receive', from: 'n1', msg: 'm1', msgType: 'echo', size: 10, sentWall: t0 + 20 },
    { seq: 5, trueMs: t0 + 60, node: 'n2', clocks: c('n2', 60, { n1: 1, n2: 2 }, 3), kind: 'send', to: 'n3', msg: 'm2', msgType: 'echo', size: 10 },
    { seq: 6, trueMs: t0 + 80, node: 'n3', clocks: c('n3', 80, { n1: 1, n2: 2, n3: 2 }, 4), kind: 'receive', from: 'n2', msg: 'm2', msgType: 'echo', size: 10, sentWall: t0 + 60 },
    { seq: 7, trueMs: t0 + 90, node: 'n1', clocks: c('n1', 90, { n1: 2 }, 2), kind: 'local', label: 'later' },
  ];
  return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
}

describe('the dashboard, on a known trace', () => {
  it('clicking an event highlights exactly its causal past and future; the ShiViz export obeys ShiViz', async () => {
    const file = join(runsDir, 'known.ndjson');
    writeFileSync(file, knownTrace());
    const p = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      await p.goto(`${url}/`);
      await p.evaluate(() => window.faultline.ready);
      await p.setInputFiles('#load-trace', file);
      await p.waitForSelector('#conn[data-state="replay"]');
      await p.waitForTimeout(200);
      // Click n2's receive of m1 (seq 4): its past is n1's send (3); its future n2's send (5) and n3's receive (6);
      // n3's lone event (2) and n1's later one (7) are concurrent with it.
      const mark = await p.evaluate(() => window.faultline.view().layout?.marks.find((m) => m.seq === 4));
      const box = (await p.locator('#diagram').boundingBox())!;
      await p.mouse.click(box.x + mark!.x, box.y + mark!.y);
      await p.waitForSelector('#event-details[data-seq="4"]');
      const sets = await p.evaluate(() => {
        const c = window.faultline.view().causal!;
        return { past: [...c.past].sort(), future: [...c.future].sort(), concurrent: [...c.concurrent].sort() };
      });
      expect(sets).toEqual({ past: [3], future: [5, 6], concurrent: [2, 7] });
      expect(await p.textContent('dd[data-key="causality"]')).toBe('1 before it, 2 after it, 2 concurrent');
      expect(await p.textContent('dd[data-key="vector"]')).toBe('[n1:1 n2:1]');
      await p.screenshot({ path: join(ARTIFACTS, '8-causal.png') });
      // The ShiViz export, as the button downloads it.
      const [download] = await Promise.all([p.waitForEvent('download'), p.click('#export-shiviz')]);
      const text = await download.createReadStream().then(async (s) => {
        let out = '';
        for await (const chunk of s) out += String(chunk);
        return out;
      });
      expect(checkShiviz(text)).toEqual([]);
      const body = text.split('\n').slice(2).filter(Boolean);
      expect(body).toHaveLength(12);
      expect(body.filter((_, i) => i % 2 === 1)).toEqual(['n3 {"n3":1}', 'n1 {"n1":1}', 'n2 {"n1":1,"n2":1}', 'n2 {"n1":1,"n2":2}', 'n3 {"n3":2,"n1":1,"n2":2}', 'n1 {"n1":2}']);
      const [svg] = await Promise.all([p.waitForEvent('download'), p.click('#export-svg')]);
      expect(svg.suggestedFilename()).toMatch(/\.svg$/);
    } finally {
      await p.close();
    }
  });
});
