/**
 * The dashboard following a live lab in real Chromium, as a student uses it while things happen:
 * the page loads clean under its Content-Security-Policy, a selection's colours and the lens follow
 * the events that arrive after the click, an arrow can be clicked anywhere along it, the canvas
 * writes no symbol a font may lack, "clear both ways" clears both ways, a kill and revive draw no
 * arrow upward, and a refused lesson's error goes when the lesson it waited for ends.
 * Screenshots in .artifacts/dashboard/live-*.png. Leaves no process or port behind.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '@faultline/coordinator';
import { dashboardDir } from '@faultline/dashboard';
import { lessonRoutes } from '@faultline/lessons';
import { createClient, lessonApi, type TraceLine } from '@faultline/protocol';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';
import './support/dashboard-window.js';
import { leftOver } from './support/processes.js';

const ARTIFACTS = join(import.meta.dirname, '..', '.artifacts', 'dashboard');
const runsDir = mkdtempSync(join(tmpdir(), 'faultline-dashboard-live-'));
let lab: Lab;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

declare global {
  interface Window {
    /** Recorded by the init script below. */
    cspViolations: string[];
    canvasText: string[];
  }
}

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(ARTIFACTS, `live-${name}.png`) });

/** Waits until the page's model holds a line that `ok` accepts; returns it. */
async function untilLine(ok: (l: TraceLine) => boolean, what: string): Promise<TraceLine> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = lab.trace().find(ok);
    if (found && (await page.evaluate((seq) => window.faultline.model().line(seq) !== undefined, found.seq))) return found;
    if (Date.now() > deadline) throw new Error(`the page never got ${what}`);
    await page.waitForTimeout(50);
  }
}

/** Stops following, shows the whole run so far, and waits for that drawing. */
async function fitAndDraw(): Promise<void> {
  await page.evaluate(() => {
    const canvas = document.getElementById('diagram')!;
    return new Promise<void>((resolve) => {
      canvas.addEventListener('drawn', () => resolve(), { once: true });
      document.getElementById('fit')!.click();
    });
  });
}

/** Clicks the diagram at (x, y) of its own coordinates. */
async function clickDiagram(x: number, y: number): Promise<void> {
  const box = (await page.locator('#diagram').boundingBox())!;
  await page.mouse.click(box.x + x, box.y + y);
}

async function clickMark(seq: number): Promise<void> {
  const mark = await page.evaluate((s) => window.faultline.view().layout?.marks.find((m) => m.seq === s), seq);
  expect(mark, `a mark for #${seq}`).toBeDefined();
  await clickDiagram(mark!.x, mark!.y);
  await page.waitForSelector(`#event-details[data-seq="${seq}"]`);
}

/** The colour drawn at the centre of a line's mark, as [r, g, b] (read with the layout it was drawn from). */
function markColour(seq: number): Promise<number[] | undefined> {
  return page.evaluate((s) => {
    const m = window.faultline.view().layout?.marks.find((k) => k.seq === s);
    if (!m) return undefined;
    const canvas = document.getElementById('diagram') as HTMLCanvasElement;
    const dpr = canvas.width / canvas.clientWidth;
    return [...canvas.getContext('2d')!.getImageData(Math.round(m.x * dpr), Math.round(m.y * dpr), 1, 1).data.slice(0, 3)];
  }, seq);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const [l, dir] = await Promise.all([startLab({ nodes: 3, seed: '12', runsDir, heartbeatMs: 1000, rpcTimeoutMs: 400 }, { logger: pino({ level: 'warn' }) }), dashboardDir()]);
  lab = l;
  const url = await lab.serve(0, { dashboardDir: dir, routes: lessonRoutes() });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  page.setDefaultTimeout(10_000);
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    // Every string the page writes on a canvas.
    window.canvasText = [];
    const proto = CanvasRenderingContext2D.prototype;
    const fillText = Object.getOwnPropertyDescriptor(proto, 'fillText')!.value as CanvasRenderingContext2D['fillText'];
    proto.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth?: number) {
      window.canvasText.push(text);
      fillText.call(this, text, x, y, maxWidth);
    };
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

describe('the dashboard, following a live lab', () => {
  it('loads with no console error and no Content-Security-Policy violation', async () => {
    await page.waitForSelector('#conn[data-state="live"]');
    // Lines parsed from the live stream, and drawn.
    await lab.rpc('n1', 'n2', 'ping', {});
    await page.waitForFunction(() => window.faultline.stats.applied > 0 && Number(document.getElementById('diagram')!.dataset.marks) > 0);
    expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('an event selected before others arrive colours them: later events in its future are drawn orange', async () => {
    const first = await lab.rpc('n1', 'n2', 'ping', {});
    const send = await untilLine((l) => l.kind === 'send' && l.msg === first.result.requestIds[0], 'the first send');
    await fitAndDraw();
    await clickMark(send.seq);
    // After the click: a new exchange n1 → n2, in n1's send's future by the vector clocks.
    const second = await lab.rpc('n1', 'n2', 'ping', {});
    const send2 = await untilLine((l) => l.kind === 'send' && l.msg === second.result.requestIds[0], 'the second send');
    const receive2 = await untilLine((l) => l.kind === 'receive' && l.msg === second.result.requestIds[0], 'its receive');
    await fitAndDraw();
    const future = await page.evaluate(() => [...(window.faultline.view().causal?.future ?? [])]);
    expect(future).toEqual(expect.arrayContaining([send2.seq, receive2.seq]));
    // Drawn in the future's orange (#dd6b20), not faded.
    for (const seq of [send2.seq, receive2.seq]) expect(await markColour(seq), `mark #${seq}`).toEqual([0xdd, 0x6b, 0x20]);
    // The panel redraws a few times a second while lines keep arriving (heartbeats): wait until
    // what it says agrees with the view's future set read at the same moment.
    await page.waitForFunction(() => {
      const text = document.querySelector('dd[data-key="causality"]')?.textContent ?? '';
      return new RegExp(`^\\d+ before it, ${window.faultline.view().causal?.future.size ?? -1} after it`).test(text);
    }, undefined, { timeout: 10_000 });
    await shot('causal-later');
  });

  it('clicking anywhere along an arrow selects its message', async () => {
    // A slow message: its arrow slants well away from the quick reply's.
    await lab.link('n1', 'n2', { latencyMs: 1_000 });
    const { result } = await lab.rpc('n1', 'n2', 'ping', {}, 3_000);
    await lab.clearLinks();
    const msg = result.requestIds[0];
    const send = await untilLine((l) => l.kind === 'send' && l.msg === msg, 'the slow send');
    await untilLine((l) => l.kind === 'receive' && l.msg === msg, 'its receive');
    await fitAndDraw();
    const arrow = await page.evaluate((m) => window.faultline.view().layout?.arrows.find((a) => a.msg === m), msg);
    expect(arrow).toBeDefined();
    for (const f of [0.3, 0.5, 0.7]) {
      await page.evaluate(() => window.faultline.view().select(undefined));
      await page.waitForSelector('#event-details', { state: 'detached' });
      await clickDiagram(arrow!.x1 + (arrow!.x2 - arrow!.x1) * f, arrow!.y1 + (arrow!.y2 - arrow!.y1) * f);
      await page.waitForSelector(`#event-details[data-seq="${send.seq}"]`);
    }
    await shot('arrow-click');
  });

  it('the lens follows the truth: held, then released, the timeout turns into a late reply', async () => {
    await lab.hold('n1', 'n2');
    const { result } = await lab.rpc('n1', 'n2', 'ping', {}, 300);
    expect(result.outcome).toBe('timeout');
    const timeout = await untilLine((l) => l.kind === 'rpc_timeout' && l.msg === result.requestIds[0], 'the timeout');
    await fitAndDraw();
    await page.waitForFunction(() => (window.faultline.view().drawn.arrows.held ?? 0) > 0);
    await clickMark(timeout.seq);
    expect(await page.getAttribute('#lens', 'data-truth')).toBe('request_held');
    await shot('lens-held');
    await lab.release('n1', 'n2');
    await untilLine((l) => l.kind === 'late_reply' && l.replyTo === result.requestIds[0], 'the late reply');
    await page.waitForSelector('#lens[data-truth="reply_late"]', { timeout: 5_000 });
    expect(await page.textContent('#lens')).toContain('What really happened: processed, reply arrived late');
    await shot('lens-released');
  });

  it('the canvas writes no symbol that a font may lack (drops, held messages, timeouts are drawn shapes)', async () => {
    await lab.link('n1', 'n3', { dropPct: 100 });
    await lab.rpc('n1', 'n3', 'ping', {}, 300);
    await lab.clearLinks();
    await fitAndDraw();
    const drawn = await page.evaluate(() => window.faultline.view().drawn);
    expect(drawn.arrows.dropped, JSON.stringify(drawn)).toBeGreaterThan(0);
    expect(drawn.arrows.late, JSON.stringify(drawn)).toBeGreaterThan(0);
    // Every string since the page loaded: the held message of the lens test was drawn too.
    const text = await page.evaluate(() => window.canvasText);
    expect(text).toContain('n1');
    expect(text.filter((t) => /[^\x20-\x7e]/.test(t))).toEqual([]);
    // And the SVG export the same.
    const svg = await page.evaluate(() => window.faultline.svg());
    expect([...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]).filter((t) => /[^\x20-\x7e]/.test(t))).toEqual([]);
    await shot('shapes');
    const exported = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    try {
      await exported.setContent(svg);
      await exported.screenshot({ path: join(ARTIFACTS, 'live-shapes-svg.png') });
    } finally {
      await exported.close();
    }
  });

  it('"clear" with "both ways" clears both directions', async () => {
    await page.selectOption('#link-form select[name="from"]', 'n1');
    await page.selectOption('#link-form select[name="to"]', 'n2');
    await page.check('#link-form input[name="both"]');
    await page.fill('#link-form input[name="latency"]', '40');
    await page.click('#link-form button[name="apply"]');
    await page.waitForSelector('path[data-link="n2-n1"][data-state="faulty"]');
    expect(await page.getAttribute('path[data-link="n1-n2"]', 'data-state')).toBe('faulty');
    await page.fill('#link-form input[name="latency"]', '');
    await page.click('#link-form button[name="clear"]');
    await page.waitForFunction(() => [...document.querySelectorAll('path[data-link]')].every((p) => p.getAttribute('data-state') === 'ok'), undefined, { timeout: 5_000 });
    expect((await lab.status()).links.filter((l) => l.faults.length > 0)).toEqual([]);
    expect(await page.textContent('#error')).toBe('');
    await page.uncheck('#link-form input[name="both"]');
  });

  // Before per-incarnation message ids, a revived node counted its ids from 1 again, and the page
  // paired the new `n2-1` with the old one's receive.
  it('after a kill and a revive with traffic before and after, no arrow runs upward', async () => {
    for (let i = 0; i < 3; i++) await lab.rpc('n2', 'n1', 'ping', {});
    await lab.kill('n2');
    await lab.revive('n2');
    const after = await lab.rpc('n2', 'n1', 'ping', {});
    expect(after.result.outcome).toBe('ok');
    await untilLine((l) => l.kind === 'receive' && l.node === 'n2' && l.msg === after.result.reply?.id, 'the reply after the revive');
    await page.check('#heartbeats');
    await fitAndDraw();
    const layout = await page.evaluate(() => window.faultline.view().layout!);
    expect(layout.zoomedOut).toBe(false);
    const delivered = layout.arrows.filter((a) => a.kind !== 'dropped' && a.kind !== 'held');
    expect(delivered.length).toBeGreaterThan(10);
    expect(delivered.filter((a) => a.y2 < a.y1).map((a) => a.msg)).toEqual([]);
    await shot('revive');
    await page.uncheck('#heartbeats');
  });

  it("a lesson refused while another runs says why, and the line goes when that lesson ends", async () => {
    await page.waitForSelector('#lessons:not([hidden])');
    await page.selectOption('#lesson-pick', 'ambiguity');
    await page.click('#lesson-run');
    await page.waitForSelector('#lesson h3');
    await page.click('#lesson-run');
    await page.waitForFunction(() => document.body.textContent.includes('wait for its verdict'));
    await shot('lesson-refused');
    await page.waitForSelector('#lesson-verdict', { timeout: 60_000 });
    expect(await page.textContent('body')).not.toContain('wait for its verdict');
    await shot('lesson-done');
  }, 90_000);

  it('a lesson started from elsewhere (the terminal, a class push) shows in the panel as it runs', async () => {
    const shown = await page.getAttribute('#lesson', 'data-run');
    const started = await createClient(lessonApi, { baseUrl: lab.controlUrl! }).runLesson({ params: { name: 'lamport-order' } });
    expect(String(started.id)).not.toBe(shown);
    await page.waitForSelector(`#lesson[data-run="${started.id}"]`, { timeout: 30_000 });
    await page.waitForSelector(`#lesson[data-run="${started.id}"][data-state="done"] #lesson-verdict`, { timeout: 60_000 });
  }, 90_000);

  it('a coordinator started again on the same address is a new lab: the page starts afresh on it', async () => {
    const before = await page.textContent('#run-info');
    const port = Number(new URL(lab.controlUrl!).port);
    const resources = lab.resources();
    await lab.stop();
    expect(await leftOver(resources)).toEqual({ pids: [], ports: [] });
    await page.waitForSelector('#conn[data-state="lost"]');
    lab = await startLab({ nodes: 2, seed: '13', runsDir, heartbeatMs: 1000 }, { logger: pino({ level: 'warn' }) });
    await lab.serve(port, { dashboardDir: await dashboardDir(), routes: lessonRoutes() });
    // The event stream comes back by itself; the page sees another run folder and loads afresh.
    await page.waitForFunction((old) => document.getElementById('run-info')?.textContent !== old && document.getElementById('conn')?.dataset.state === 'live', before, { timeout: 30_000 });
    expect(await page.textContent('#run-info')).toContain('seed 13');
    expect(await page.$$eval('tr[data-node]', (rows) => rows.length)).toBe(2);
  }, 90_000);
});
