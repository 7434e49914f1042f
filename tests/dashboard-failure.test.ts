/**
 * Partial failure in the dashboard, in real Chromium. On a live lab whose nodes run heartbeat
 * failure detectors and a leader lease (no quorum): n3 paused, so the others suspect it (right);
 * a partition, so nodes suspect peers that are alive (wrong) and the cut-off side elects a second
 * leader (two bands at once, flagged). On another lab, the `partial-failure` lesson run from the
 * page: its histories' operations drawn on the client's lifeline, the counterexample of its
 * failed linearizability check outlined, the stuck operation with its caption.
 * Screenshots in .artifacts/dashboard/failure-*.png. Leaves no process or port behind.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { overlappingLeaders, suspicions } from '@faultline/checkers';
import { startLab, type Lab } from '@faultline/coordinator';
import { dashboardDir } from '@faultline/dashboard';
import { lessonRoutes } from '@faultline/lessons';
import type { TraceLine } from '@faultline/protocol';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailureLayout } from '../packages/dashboard/src/model/failure-layout.js';
import type { FailureOverlay } from '../packages/dashboard/src/view/failure-overlay.js';
import { launchChromium } from './support/chromium.js';
import { showRange } from './support/show-range.js';
import './support/dashboard-window.js';
import { leftOver } from './support/processes.js';

const ARTIFACTS = join(import.meta.dirname, '..', '.artifacts', 'dashboard');
const runsDir = mkdtempSync(join(tmpdir(), 'faultline-dashboard-failure-'));
const logger = pino({ level: 'warn' });
/** Three nodes for the detectors and leaders; four for the lesson (n4 is its client). */
let live: Lab;
let lessonLab: Lab;
let liveUrl: string;
let lessonUrl: string;
let browser: Browser;
const errors: string[] = [];

/** A page of a lab's dashboard, loaded; its console errors and page errors (`errors`, this page's only) are collected. */
async function openPage(url: string): Promise<Page> {
  errors.length = 0;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(15_000);
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}/`);
  await page.evaluate(() => window.faultline.ready);
  return page;
}

/** What the failure overlay drew last. */
const failureDrawn = (page: Page): Promise<FailureLayout> => page.evaluate(() => (window.faultline.view().overlays[0] as FailureOverlay).drawn);

/** Waits until the page's model holds line `seq` of the trace. */
const untilOnPage = (page: Page, seq: number): Promise<unknown> => page.waitForFunction((s) => window.faultline.model().line(s) !== undefined, seq);

/** Clicks line `seq`'s mark (6 ms of true time in view); one drawn under another's mark at the same instant is picked in the panel. */
async function selectLine(page: Page, line: TraceLine): Promise<void> {
  await showRange(page, [line.trueMs - 3, line.trueMs + 3]);
  // Its own mark, or the mark drawn for the lines of its node at that instant (the middle of the view).
  const mark = await page.evaluate((l) => {
    const marks = window.faultline.view().layout?.marks.filter((m) => m.node === l.node) ?? [];
    const middle = 34 + (document.getElementById('diagram')!.clientHeight - 34) / 2;
    return marks.find((m) => m.seq === l.seq) ?? marks.find((m) => Math.abs(m.y - middle) < 2);
  }, line);
  expect(mark, `a mark for #${line.seq}`).toBeDefined();
  await page.evaluate(() => window.faultline.view().select(undefined));
  const box = (await page.locator('#diagram').boundingBox())!;
  await page.mouse.click(box.x + mark!.x, box.y + mark!.y);
  // The click picks one of the events drawn there (a failed send's cross may sit on the suspicion); the panel names the others.
  const picked = Number(await (await page.waitForSelector('#event-details')).getAttribute('data-seq'));
  if (picked !== line.seq) {
    await page.click(`#same-instant button[data-seq="${line.seq}"]`);
    await page.waitForSelector(`#event-details[data-seq="${line.seq}"]`);
  }
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const [a, b, dir] = await Promise.all([
    startLab({ nodes: 3, seed: '31', runsDir, heartbeatMs: 10_000 }, { logger }),
    startLab({ nodes: 4, seed: '1010', runsDir, heartbeatMs: 10_000 }, { logger }),
    dashboardDir(),
  ]);
  live = a;
  lessonLab = b;
  liveUrl = await live.serve(0, { dashboardDir: dir, routes: lessonRoutes() });
  lessonUrl = await lessonLab.serve(0, { dashboardDir: dir, routes: lessonRoutes() });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  const resources = [live?.resources(), lessonLab?.resources()];
  await Promise.all([live?.stop(), lessonLab?.stop()]);
  rmSync(runsDir, { recursive: true, force: true });
  for (const r of resources) if (r) expect(await leftOver(r)).toEqual({ pids: [], ports: [] });
});

describe('the dashboard, on a lab whose nodes detect failures and elect leaders', () => {
  it('marks right and wrong suspicions, with the truth in the panel, and two leaders at once', async () => {
    const page = await openPage(liveUrl);
    try {
      for (const n of live.nodes) await live.startBehaviour(n, { name: 'detector', intervalMs: 100, timeoutMs: 400 });
      for (const n of live.nodes) await live.startBehaviour(n, { name: 'leader', quorum: false, leaseMs: 300, heartbeatMs: 100 });
      const state = (key: string, ok: (l: Extract<TraceLine, { kind: 'state' }>) => boolean = () => true) => (l: TraceLine) => l.kind === 'state' && l.key === key && ok(l);
      const first = await live.waitForTrace(state('leader'), { timeoutMs: 10_000, what: 'a first leader' });
      // n3 stops: the others suspect it, rightly; it comes back and is trusted again.
      let since = live.lastSeq;
      await live.pause('n3');
      await live.waitForTrace(state('suspect', (l) => (l.value as { peer: string }).peer === 'n3'), { since, timeoutMs: 10_000, what: 'a suspicion of n3' });
      await live.resume('n3');
      await live.waitForTrace(state('trust', (l) => (l.value as { peer: string }).peer === 'n3'), { since, timeoutMs: 10_000, what: 'n3 trusted again' });
      // The first leader cut off: the others suspect it though it is alive, and elect another.
      since = live.lastSeq;
      const others = live.nodes.filter((n) => n !== first.node);
      await live.partition([[first.node!], others]);
      await live.waitForTrace(state('suspect', (l) => l.node !== first.node), { since, timeoutMs: 10_000, what: 'a suspicion of the cut-off leader' });
      const second = await live.waitForTrace(state('leader', (l) => l.node !== first.node), { since, timeoutMs: 10_000, what: 'a second leader' });
      await live.heal();
      const stepDown = await live.waitForTrace(state('step_down', (l) => l.node === first.node), { since, timeoutMs: 10_000, what: 'the first leader stepping down' });

      const judged = suspicions(live.trace());
      const right = judged.find((s) => s.right && s.peer === 'n3')!;
      const wrong = judged.find((s) => !s.right)!;
      expect(right, 'a right suspicion').toBeDefined();
      expect(wrong, 'a wrong suspicion').toBeDefined();
      await untilOnPage(page, stepDown.seq);
      await showRange(page, [first.trueMs - 100, stepDown.trueMs + 100]);
      const drawn = await failureDrawn(page);
      expect(drawn.suspicions.filter((s) => s.right).length).toBeGreaterThan(0);
      expect(drawn.suspicions.filter((s) => !s.right).length).toBeGreaterThan(0);
      expect(drawn.suspicions.find((s) => s.seq === right.seq)).toMatchObject({ observer: right.observer, peer: 'n3', right: true, label: 'suspects n3' });
      expect(drawn.suspicions.find((s) => s.seq === wrong.seq)).toMatchObject({ observer: wrong.observer, peer: wrong.peer, right: false });
      // A band a term, each labelled; the two leaders' bands clash, and the instant is flagged.
      const bands = drawn.terms.map((t) => [t.node, t.label]);
      const termOf = (l: TraceLine): number => (l.kind === 'state' ? (l.value as { term: number }).term : Number.NaN);
      expect(bands).toContainEqual([first.node, `term ${termOf(first)}`]);
      expect(bands).toContainEqual([second.node, `term ${termOf(second)}`]);
      // The two leaders clash; on a loaded machine a third may too (no quorum: a late lease, a
      // resumed node), so the drawing is held to what the checker finds in the same trace.
      expect(drawn.terms.filter((t) => t.clashes.length > 0).map((t) => t.node)).toEqual(expect.arrayContaining([first.node, second.node]));
      const truth = overlappingLeaders(live.trace());
      expect(truth.first?.atTrueMs).toBeLessThanOrEqual(second.trueMs);
      expect(drawn.overlap?.atTrueMs).toBe(truth.first?.atTrueMs);
      await page.waitForSelector('#leader-warning:not([hidden])');
      expect(await page.textContent('#leader-warning')).toMatch(new RegExp(`^2 leaders at once from \\d\\d:\\d\\d:\\d\\d\\.\\d{3}: n\\d \\(term \\d+\\), n\\d \\(term \\d+\\) \\(`));
      // The SVG export draws them too.
      const svg = await page.evaluate(() => window.faultline.svg());
      expect(svg).toContain(`data-suspicion="${right.seq}" data-right="true"`);
      expect(svg).toContain(`data-suspicion="${wrong.seq}" data-right="false"`);
      await page.screenshot({ path: join(ARTIFACTS, 'failure-live.png') });

      // The panel of each: what the observer saw, then the truth.
      const lineOf = (seq: number): TraceLine => live.trace().find((l) => l.seq === seq)!;
      await selectLine(page, lineOf(right.seq));
      await page.waitForSelector('#suspicion[data-right="true"]');
      expect(await page.textContent('#suspicion p.sentence')).toBe(`${right.observer} suspected n3 after ${Math.round(right.sinceMs)} ms without a heartbeat; n3 was paused (right).`);
      await selectLine(page, lineOf(wrong.seq));
      await page.waitForSelector('#suspicion[data-right="false"]');
      expect(await page.textContent('#suspicion p.sentence')).toBe(`${wrong.observer} suspected ${wrong.peer} after ${Math.round(wrong.sinceMs)} ms without a heartbeat; ${wrong.peer} was alive (wrong).`);
      await page.locator('#details').screenshot({ path: join(ARTIFACTS, 'failure-suspicion.png') });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('the dashboard, running the partial-failure lesson from the page', () => {
  it("draws the histories' operations on the client's lifeline and outlines the stuck one of the counterexample", async () => {
    const page = await openPage(lessonUrl);
    try {
      await page.waitForSelector('#lessons:not([hidden])');
      await page.selectOption('#lesson-pick', 'partial-failure');
      await page.click('#lesson-run');
      await page.waitForSelector('figure.counterexample li[data-role="stuck"]', { timeout: 60_000 });
      expect(await page.textContent('figure.counterexample figcaption')).toBe('cut-not-linearizable: no order of the operations explains this answer');
      const stuckText = await page.textContent('figure.counterexample li[data-role="stuck"]');
      expect(stuckText).toMatch(/^stuck n4\/c\d+ get x → n3: \d+ \(stale\)$/);
      // Into view, and drawn: every operation on n4's lifeline; the stuck one outlined, labelled, captioned.
      await page.evaluate(() => {
        const canvas = document.getElementById('diagram')!;
        return new Promise<void>((resolve) => {
          canvas.addEventListener('drawn', () => resolve(), { once: true });
          document.querySelector<HTMLButtonElement>('button.show-counterexample')!.click();
        });
      });
      const drawn = await failureDrawn(page);
      expect(drawn.ops.length).toBeGreaterThan(3);
      expect(new Set(drawn.ops.map((o) => o.client))).toEqual(new Set(['n4']));
      const stuck = drawn.ops.filter((o) => o.role === 'stuck');
      expect(stuck).toHaveLength(1);
      expect(stuck[0]).toMatchObject({ stale: true, type: 'ok', caption: 'no order of the operations explains this answer' });
      expect(stuck[0].labelAt).toBeDefined();
      expect(stuckText).toContain(stuck[0].label);
      expect(drawn.ops.filter((o) => o.role === 'placed').length).toBeGreaterThan(0);
      expect(await page.evaluate(() => window.faultline.svg())).toContain('data-role="stuck"');
      await page.screenshot({ path: join(ARTIFACTS, 'failure-counterexample.png') });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
