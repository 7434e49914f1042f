/**
 * The dashboard's views of time in real Chromium: on a live lab, a node whose clock is 2 s behind
 * shows its wall time beside true time, and its register's decision the stamps it compared; on a
 * known trace, the same, and the clock-sync rounds' chart; and a lesson's sweep as a bar chart.
 * Screenshots in .artifacts/dashboard/clocks-*.png. Leaves no process or port behind.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '@faultline/coordinator';
import { dashboardDir } from '@faultline/dashboard';
import { lessonRoutes } from '@faultline/lessons';
import type { TraceLine } from '@faultline/protocol';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimeTrace } from '../packages/dashboard/test/support/time-trace.js';
import { launchChromium } from './support/chromium.js';
import { showRange } from './support/show-range.js';
import './support/dashboard-window.js';
import { leftOver } from './support/processes.js';

const ARTIFACTS = join(import.meta.dirname, '..', '.artifacts', 'dashboard');
const runsDir = mkdtempSync(join(tmpdir(), 'faultline-dashboard-clocks-'));
/** A lesson of the user's own with a small sweep: n1 sends 1, then 3, then 2 appends to n2's log, each row counting n1's sends. */
const ownLessons = join(runsDir, 'own-lessons');
mkdirSync(ownLessons);
writeFileSync(
  join(ownLessons, 'tiny-sweep.yaml'),
  `name: tiny-sweep
title: A sweep, drawn
concept: sweeps
teaches: A sweep repeats steps over values and charts a figure for each.
minutes: 1
context: n1 sends appends to n2.
cluster:
  nodes: 2
  heartbeat: 10s
  behaviours:
    n2: [{ name: log }]
predict:
  question: How many appends will n2 log in each row?
steps:
  - sweep:
      name: appends
      label: appends asked for
      values: [1, 3, 2]
      figure: appends sent by n1
      steps:
        - appends: { from: n1, to: n2, count: "{{value}}" }
      measure: { check: count, where: { kind: send, node: n1, msgType: append } }
expect:
  - { name: three, check: sweep, sweep: appends, row: 3, min: 1 }
explain: "Sent {{sweep.appends.3}} of 3."
`,
);
let lab: Lab;
let browser: Browser;
let url: string;
const errors: string[] = [];

/** A page of the lab's dashboard, loaded; its console errors and page errors are collected. */
async function openPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(10_000);
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

/** The time of day as the page writes it (hh:mm:ss.mmm, in the browser's time zone). */
const pageClock = (page: Page, ms: number): Promise<string> =>
  page.evaluate((m) => {
    const d = new Date(m);
    const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  }, ms);

/** Clicks the mark of line `seq` on the diagram as last drawn; waits for the panel to show it. */
async function clickMark(page: Page, seq: number): Promise<void> {
  const mark = await page.evaluate((s) => window.faultline.view().layout?.marks.find((m) => m.seq === s), seq);
  expect(mark, `a mark for #${seq}`).toBeDefined();
  const box = (await page.locator('#diagram').boundingBox())!;
  await page.mouse.click(box.x + mark!.x, box.y + mark!.y);
  await page.waitForSelector(`#event-details[data-seq="${seq}"]`);
}

/** The writes the decision panel lists: role, id, words. */
const decisionRows = (page: Page): Promise<string[][]> =>
  page.$$eval('#register-decision li', (lis) => lis.map((li) => [li.getAttribute('data-role') ?? '', li.getAttribute('data-write') ?? '', li.textContent ?? '']));

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const [l, dir] = await Promise.all([startLab({ nodes: 3, seed: '13', runsDir, heartbeatMs: 1000, rpcTimeoutMs: 400 }, { logger: pino({ level: 'warn' }) }), dashboardDir()]);
  lab = l;
  url = await lab.serve(0, { dashboardDir: dir, routes: lessonRoutes(ownLessons) });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  const resources = lab?.resources();
  await lab?.stop();
  rmSync(runsDir, { recursive: true, force: true });
  if (resources) expect(await leftOver(resources)).toEqual({ pids: [], ports: [] });
});

describe('the dashboard, following a live lab with a skewed clock', () => {
  it("n3's clock 2 s behind: its write shows wall time beside true time; its decision, the wall stamps compared", async () => {
    const page = await openPage();
    try {
      await page.goto(`${url}/`);
      await page.evaluate(() => window.faultline.ready);
      /** Waits until the page's model holds a line of the lab's trace that `ok` accepts; returns it. */
      const untilLine = async (ok: (l: TraceLine) => boolean, what: string): Promise<TraceLine> => {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const found = lab.trace().find(ok);
          if (found && (await page.evaluate((seq) => window.faultline.model().line(seq) !== undefined, found.seq))) return found;
          if (Date.now() > deadline) throw new Error(`the page never got ${what}`);
          await page.waitForTimeout(50);
        }
      };
      const writeOf = (l: TraceLine): string | undefined => (l.kind === 'state' ? (l.value as { write?: { id?: string } } | null)?.write?.id : undefined);
      await lab.clock('n3', { offsetMs: -2000 });
      for (const n of ['n1', 'n2', 'n3']) await lab.startBehaviour(n, { name: 'register', resolution: 'wall' });
      const aId = String((await lab.invoke('n1', 'write', { key: 'x', value: 'A' })).answer.id);
      // n3 has A, then writes B: later in true time, but stamped by a clock 2 s behind.
      await untilLine((l) => l.kind === 'state' && l.node === 'n3' && l.key === 'apply' && writeOf(l) === aId, "n3's apply of A");
      const b = await lab.invoke('n3', 'write', { key: 'x', value: 'B' });
      const bId = String(b.answer.id);
      expect(b.answer.kept).toBe(false);
      const write = await untilLine((l) => l.kind === 'state' && l.node === 'n3' && l.key === 'write' && (l.value as { id?: string }).id === bId, "n3's write of B");
      const discard = await untilLine((l) => l.kind === 'state' && l.node === 'n3' && l.key === 'discard' && writeOf(l) === bId, "n3's discard of B");
      // 6 ms of true time, top to bottom, around the write.
      await showRange(page, [write.trueMs - 3, write.trueMs + 3]);
      await clickMark(page, write.seq);
      const clocks = write.clocks!;
      expect(clocks.trueMs - clocks.wallMs).toBe(2000);
      expect(await page.textContent('dd[data-key="true time"]')).toBe(await pageClock(page, write.trueMs));
      expect(await page.textContent('dd[data-key="wall time"]')).toBe(`${await pageClock(page, clocks.wallMs)} on n3's clock`);
      expect(await page.textContent('dd[data-key="clock error"]')).toBe("n3's clock was 2s behind true time");
      expect(await page.textContent('dd[data-key="Lamport"]')).toBe(String(clocks.lamport));
      await page.screenshot({ path: join(ARTIFACTS, 'clocks-live-write.png') });
      if (discard.trueMs === write.trueMs) {
        // n3 decided on B in the millisecond it wrote it: one mark; the panel names the other event.
        await page.click(`#same-instant button[data-seq="${discard.seq}"]`);
        await page.waitForSelector(`#event-details[data-seq="${discard.seq}"]`);
      } else {
        await showRange(page, [discard.trueMs - 3, discard.trueMs + 3]);
        await clickMark(page, discard.seq);
      }
      expect(await page.getAttribute('#register-decision', 'data-kind')).toBe('discard');
      const rows = await decisionRows(page);
      expect(rows.map(([role, id]) => [role, id])).toEqual([
        ['discarded', bId],
        ['won', aId],
      ]);
      expect(rows[0][2]).toContain('x = "B"');
      expect(rows[1][2]).toContain('x = "A"');
      for (const [, , text] of rows) expect(text).toMatch(/stamp compared: wall \d\d:\d\d:\d\d\.\d{3}; made at \d\d:\d\d:\d\d\.\d{3} true time/);
      await page.locator('#details').screenshot({ path: join(ARTIFACTS, 'clocks-live-decision.png') });
      expect(errors).toEqual([]);
    } finally {
      await lab.clock('n3', { offsetMs: 0 });
      await page.close();
    }
  });
});

/**
 * A known trace on time: n3's clock is 2 s behind; n1 writes A, n3 has it, then writes B 50 ms
 * later, which n3 throws away by wall clock; n2, 300 ms behind, syncs with n1 three times (the last
 * round's estimate off by 30 ms, outside its bound).
 */
function timeTrace(): { text: string; discardSeq: number; writeSeq: number } {
  const t = new TimeTrace().start(3).skew('n3', -2000).skew('n2', -300);
  const a = t.write('n1', 'x', 'A');
  t.wait(50).decide('n1', 'apply', a);
  t.wait(50).send('n1', 'n3', 'n1-put-1', 'reg_put');
  t.receive('n3', 'n1', 'n1-put-1', 20);
  t.wait(50).decide('n3', 'apply', a);
  const b = t.wait(50).write('n3', 'x', 'B');
  const writeSeq = t.lines.length;
  const discardSeq = t.wait(50).decide('n3', 'discard', b, [a]).seq;
  t.wait(100).syncRound('n2', 'n1').wait(200).syncRound('n2', 'n1', { round: 1, reqMs: 40, respMs: 0 }).wait(200).syncRound('n2', 'n1', { round: 2, lie: 30 });
  return { text: `${t.lines.map((l) => JSON.stringify(l)).join('\n')}\n`, discardSeq, writeSeq };
}

describe('the dashboard, on a known trace with skewed clocks', () => {
  it("shows an event's wall time beside true time, a register's decision with the stamps it compared, and the sync rounds' chart", async () => {
    const { text, discardSeq, writeSeq } = timeTrace();
    const file = join(runsDir, 'time.ndjson');
    writeFileSync(file, text);
    const p = await openPage();
    try {
      await p.goto(`${url}/`);
      await p.evaluate(() => window.faultline.ready);
      await p.setInputFiles('#load-trace', file);
      await p.waitForSelector('#conn[data-state="replay"]');
      // n3's write: its wall time on n3's clock, 2 s behind true time.
      await showRange(p);
      await clickMark(p, writeSeq);
      const write = (await p.evaluate((s) => window.faultline.model().line(s), writeSeq))!;
      expect(await p.textContent('dd[data-key="true time"]')).toBe(await pageClock(p, write.trueMs));
      expect(await p.textContent('dd[data-key="wall time"]')).toBe(`${await pageClock(p, write.trueMs - 2000)} on n3's clock`);
      expect(await p.textContent('dd[data-key="clock error"]')).toBe("n3's clock was 2s behind true time");
      // n3's third event, after a receive of n1's third (its Lamport 3): Lamport 4, 5, 6.
      expect(await p.textContent('dd[data-key="Lamport"]')).toBe('6');
      expect(await p.textContent('dd[data-key="vector"]')).toBe('[n1:3 n3:3]');
      expect(await p.$('#register-decision')).toBeNull();
      // n3's discard of B: A won by wall clock although B was made later.
      await clickMark(p, discardSeq);
      expect(await p.getAttribute('#register-decision', 'data-kind')).toBe('discard');
      expect(await p.textContent('dd[data-key="event"]')).toBe(`#${discardSeq} n3 • register discard (key x, by wall stamps)`);
      const writes = await decisionRows(p);
      expect(writes.map(([role, id]) => [role, id])).toEqual([
        ['discarded', 'n3/w2'],
        ['won', 'n1/w1'],
      ]);
      expect(writes[0][2]).toContain('x = "B"');
      expect(writes[0][2]).toContain(`stamp compared: wall ${await pageClock(p, write.trueMs - 2000)}`);
      expect(writes[1][2]).toContain('x = "A"');
      expect(await p.textContent('#register-decision p')).toBe('n3 compared wall-clock stamps: n3/w2 lost to n1/w1, which n3 kept; n3/w2 was thrown away.');
      // The sync rounds: one chart for n2 against n1, a round each, the third outside its bound.
      await p.waitForSelector('#clock-sync:not([hidden]) svg.sync-chart[data-node="n2"][data-server="n1"]');
      expect(await p.$$eval('svg.sync-chart g.round', (gs) => gs.map((g) => g.getAttribute('data-within')))).toEqual(['true', 'true', 'false']);
      expect(await p.$$eval('svg.sync-chart polyline.true-offset', (ls) => ls.length)).toBe(1);
      expect(await p.textContent('#sync-charts p.caption')).toBe('3 rounds; 2 of 3 within the bound claimed; largest error 30ms.');
      await p.locator('#details').screenshot({ path: join(ARTIFACTS, 'clocks-decision.png') });
      await p.locator('#clock-sync').screenshot({ path: join(ARTIFACTS, 'clocks-sync.png') });
      // Back to before the first round: no chart.
      await p.fill('#slider', '0');
      await p.dispatchEvent('#slider', 'input');
      await p.waitForSelector('#clock-sync', { state: 'hidden' });
      expect(errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("draws a lesson's sweep as a bar chart with a table, once the report has one", async () => {
    const p = await openPage();
    try {
      // A real run of a lesson with a sweep, from the page: the report the lab answers is drawn.
      await p.goto(`${url}/`);
      await p.evaluate(() => window.faultline.ready);
      await p.waitForSelector('#lessons:not([hidden])');
      await p.selectOption('#lesson-pick', 'tiny-sweep');
      await p.click('#lesson-run');
      await p.waitForSelector('svg.sweep-chart[data-sweep="appends"]', { timeout: 30_000 });
      expect(await p.textContent('#lesson figure.sweep figcaption')).toBe('appends sent by n1, by appends asked for');
      const bars = await p.$$eval('svg.sweep-chart g.bar', (gs) => gs.map((g) => [g.getAttribute('data-value'), g.getAttribute('data-figure'), g.querySelector('text.figure')?.textContent, g.querySelector('rect')?.getAttribute('height') ?? null]));
      expect(bars.map(([value, figure, text]) => [value, figure, text])).toEqual([
        ['1', '1', '1'],
        ['3', '3', '3'],
        ['2', '2', '2'],
      ]);
      // Each bar as tall as its figure.
      expect(Number(bars[0][3]) / Number(bars[1][3])).toBeCloseTo(1 / 3, 2);
      expect(await p.$$eval('svg.sweep-chart text.axis-title', (ts) => ts.map((t) => t.textContent))).toEqual(['appends sent by n1', 'appends asked for']);
      expect(await p.$$eval('table.sweep tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)))).toEqual([
        ['appends asked for', 'appends sent by n1'],
        ['1', '1'],
        ['3', '3'],
        ['2', '2'],
      ]);
      await p.locator('#lesson').screenshot({ path: join(ARTIFACTS, 'clocks-sweep.png') });
      expect(errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
