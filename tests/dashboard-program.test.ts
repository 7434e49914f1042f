/**
 * The dashboard in real Chromium while `faultline test` runs a student's program: the bundled CLI
 * runs the broadcast fixture (tests/fixtures/maelstrom/broadcast.mjs) on 3 nodes under a partition
 * nemesis, and the page opened at the address it prints first shows that run: nodes n1…n3, the
 * program's own messages as arrows labelled with their types (its `gossip` between nodes), and the
 * partition the CLI says it made, cutting exactly the links between its two groups. Every wait is
 * for an event (a line the CLI prints, the page's state); the CLI ends at the end of its run, and
 * the browser, the CLI and everything the CLI started are gone after the test (killed by PID if it
 * failed midway). Screenshot in .artifacts/dashboard/program-broadcast.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';
import { cliIn } from './support/cli-process.js';
import './support/dashboard-window.js';
import { js } from './support/maelstrom-programs.js';
import { accepts, alive } from './support/processes.js';

const ARTIFACTS = join(import.meta.dirname, '..', '.artifacts', 'dashboard');
const dir = mkdtempSync(join(tmpdir(), 'faultline-dashboard-program-'));
const { started } = cliIn(dir);
let browser: Browser | undefined;
let cli: ReturnType<typeof started> | undefined;
/** Every process the CLI started (its descendants), as seen while it ran. */
const descendants = new Set<number>();

/** The PIDs of `root`'s descendants, from ps. */
function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const row of execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).trim().split('\n')) {
    const [pid, ppid] = row.trim().split(/\s+/).map(Number);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** Alive and not a zombie (a process that ended whose parent, init once the CLI is gone, has not reaped it yet). */
function running(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const kill = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone already.
  }
};

/** Made ready before the CLI starts (its renderer warm): the run is a few seconds long, and the page must catch it. */
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(20_000);
  await page.addInitScript(() => {
    // Every string the page writes on a canvas.
    (window as unknown as { canvasText: string[] }).canvasText = [];
    const proto = CanvasRenderingContext2D.prototype;
    const fillText = Object.getOwnPropertyDescriptor(proto, 'fillText')!.value as CanvasRenderingContext2D['fillText'];
    proto.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth?: number) {
      (window as unknown as { canvasText: string[] }).canvasText.push(text);
      fillText.call(this, text, x, y, maxWidth);
    };
  });
  await page.setContent('<canvas></canvas>');
}, 30_000);

afterAll(async () => {
  await browser?.close();
  // Failed midway: the CLI is interrupted as a student would (Ctrl-C stops its lab), then whatever is left is killed by PID.
  const pid = cli?.child.pid;
  if (pid !== undefined && alive(pid)) {
    for (const p of descendantsOf(pid)) descendants.add(p);
    kill(pid, 'SIGINT');
    await Promise.race([cli!.child, new Promise((r) => setTimeout(r, 10_000))]);
    kill(pid, 'SIGKILL');
  }
  for (const p of descendants) if (running(p)) kill(p, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('the dashboard while faultline test runs a program', () => {
  it("shows the program's nodes, its own messages labelled with their types, and the nemesis' partition", { timeout: 60_000 }, async () => {
    const t0 = performance.now();
    cli = started(['test', '-w', 'broadcast', '--bin', ...js('broadcast.mjs'), '--node-count', '3', '--time-limit', '3', '--rate', '10', '--nemesis', 'partition', '--nemesis-interval', '1', '--seed', '5']);
    const url = (await cli.until(/^watch it: (http:\/\/127\.0\.0\.1:\d+)\/ /m, 30_000))[1];
    await page.goto(`${url}/`);
    await page.evaluate(() => window.faultline.ready);
    for (const p of descendantsOf(cli.child.pid!)) descendants.add(p);

    // The lab's nodes, each running the program.
    expect(await page.textContent('#error'), 'the page could not start').toBe('');
    await page.waitForSelector('tr[data-node="n3"]');
    expect(await page.$$eval('tr[data-node]', (rows) => rows.map((r) => r.getAttribute('data-node')))).toEqual(['n1', 'n2', 'n3']);

    // The partition the CLI says it made is the one the page shows: the links between its two groups, both ways.
    const groups = (await cli.until(/^ +\d+\.\d s: partition (\S+) \| (\S+)$/m, 30_000)).slice(1, 3).map((g) => g.split(','));
    const crossing = groups[0].flatMap((a) => groups[1].flatMap((b) => [`${a}-${b}`, `${b}-${a}`])).sort();
    const cut = await page.waitForFunction(() => window.faultline.model().cuts.find((c) => c.fault.startsWith('partition'))?.links);
    expect(((await cut.jsonValue()) as string[]).slice().sort()).toEqual(crossing);

    // The program's own messages between nodes: a gossip delivered, and its answer.
    await page.waitForFunction(() => {
      const model = window.faultline.model();
      const delivered = (type: string): boolean => model.lines.some((l) => l.kind === 'receive' && l.msgType === type && /^n\d$/.test(l.from));
      return delivered('gossip') && delivered('gossip_ok');
    });

    // Drawn: the whole run so far, the gossip arrows labelled, the partition shaded.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          document.getElementById('diagram')!.addEventListener('drawn', () => resolve(), { once: true });
          document.getElementById('fit')!.click();
        }),
    );
    const drawn = await page.evaluate(() => window.faultline.view().drawn);
    expect(drawn.zoomedOut).toBe(false);
    expect(drawn.labels.gossip, JSON.stringify(drawn)).toBeGreaterThan(0);
    expect(drawn.arrows.message, JSON.stringify(drawn)).toBeGreaterThan(0);
    expect(drawn.bands).toBeGreaterThanOrEqual(1);
    const text = await page.evaluate(() => (window as unknown as { canvasText: string[] }).canvasText);
    for (const n of ['n1', 'n2', 'n3', 'gossip']) expect(text).toContain(n);
    const svg = await page.evaluate(() => window.faultline.svg());
    expect(svg).toMatch(/<text data-label="[^"]+"[^>]*>gossip<\/text>/);
    await page.screenshot({ path: join(ARTIFACTS, 'program-broadcast.png') });
    expect(errors).toEqual([]);

    // The run ends by itself, valid; its lab, its programs and the dashboard's port go with it.
    const port = Number(new URL(url).port);
    const done = await cli.child;
    expect(done.exitCode, cli.out() + cli.err()).toBe(0);
    expect(cli.out()).toMatch(/^✓ valid: /m);
    await page.close();
    expect([...descendants].filter(running)).toEqual([]);
    expect(await accepts(port)).toBe(false);
    console.log(`dashboard-program: ${((performance.now() - t0) / 1000).toFixed(1)} s from the CLI's start to its exit`);
  });
});
