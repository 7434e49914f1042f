/**
 * The instructor's console page in real Chromium against a real class console (ClassServer on
 * 127.0.0.1) and a real student's connection (`joinClass`, over its WebSocket), whose lesson runs
 * are faked: the student predicts, and later gives its verdict, when the test says so. The page is
 * opened with the key in its fragment; every wait is for something the page or the server shows,
 * and bounded.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassServer, classCsv, joinClass, type JoinedClass } from '@faultline/classroom';
import { classViewSchema, type Assignment, type StudentEvent } from '@faultline/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './support/chromium.js';

const WAIT_MS = 15_000;
const dir = mkdtempSync(join(tmpdir(), 'faultline-class-console-'));
const file = join(dir, 'class.json');
const lessons = [
  { name: 'ambiguity', title: 'Three timeouts, three different stories', minutes: 3 },
  { name: 'clock-sync', title: 'Syncing clocks', minutes: 4 },
];
/** A name with markup in it: the page must show it as text. */
const NAME = 'Ada <i>Lovelace</i>';

let server: ClassServer | undefined;
let student: JoinedClass | undefined;
let browser: Browser | undefined;
let page: Page;
let base = '';
/** What the page said went wrong in its console (a CSP refusal, a script error). */
const complaints: string[] = [];
/** The page's window, as the init script below watches it. */
type Watched = { violations: string[] };

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
const received = deferred<Assignment>();
const predictNow = deferred();
const verdictNow = deferred();

/** `promise`, or an error naming `what` after WAIT_MS. */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${WAIT_MS} ms: ${what}`)), WAIT_MS)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const startServer = (port: number): Promise<ClassServer> => ClassServer.start({ host: '127.0.0.1', port, file, lessons });

function join_(): JoinedClass {
  return joinClass({
    server: `127.0.0.1:${server!.port}`,
    code: server!.code,
    name: NAME,
    file: join(dir, 'class-join.json'),
    report: () => Promise.resolve({ up: true, url: 'http://127.0.0.1:4000', nodes: 3, lesson: null }),
    say: () => undefined,
    reportEveryMs: 500,
    // The student's side, not what is tested: a prediction, then a verdict, each when the test says.
    handle: async (assignment, emit: (e: StudentEvent) => void) => {
      received.resolve(assignment);
      await predictNow.promise;
      emit({ type: 'prediction', assignment: assignment.id, answer: { choice: 2, text: 'No' } });
      await verdictNow.promise;
      emit({ type: 'verdict', assignment: assignment.id, passed: true, checks: [{ name: 'symmetric', held: true }], correct: true });
    },
  });
}

const row = (): string => `tr[data-student="${student!.id}"]`;
const resultCell = (): string => `${row()} td.result[data-assignment="1"]`;

describe.skipIf(!existsSync(CHROMIUM))(`the class console page in Chromium${existsSync(CHROMIUM) ? '' : ` (skipped: no Chromium at ${CHROMIUM})`}`, () => {
  beforeAll(async () => {
    server = await startServer(0);
    base = `http://127.0.0.1:${server.port}`;
    browser = await launchChromium();
    page = await browser.newPage({ acceptDownloads: true });
    page.setDefaultTimeout(WAIT_MS);
    // Every refusal of the page's CSP, counted from before its first script (not subject to the CSP).
    await page.addInitScript(() => {
      const w = window as unknown as Watched;
      w.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    });
    page.on('pageerror', (e) => complaints.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') complaints.push(`console ${m.type()}: ${m.text()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await student?.stop();
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('opened with the key in its fragment: the join code and the command students type; the key leaves the address bar', async () => {
    await page.goto(`${base}/#key=${server!.key}`);
    await page.waitForSelector('#conn[data-state="live"]');
    expect(page.url()).toBe(`${base}/`);
    expect(await page.isHidden('#key-form')).toBe(true);
    expect(await page.isHidden('#error')).toBe(true);
    expect(await page.textContent('#code')).toBe(server!.code);
    expect(await page.textContent('#join-commands')).toBe(`npx faultline class join 127.0.0.1:${server!.port} ${server!.code}`);
    expect(await page.isVisible('#empty')).toBe(true);
    expect(await page.$$eval('#lesson option', (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]))).toEqual([
      ['ambiguity', 'ambiguity — Three timeouts, three different stories (3 min)'],
      ['clock-sync', 'clock-sync — Syncing clocks (4 min)'],
    ]);
  });

  it('a student who joins appears, connected, with their lab; their name is text, not markup', async () => {
    student = join_();
    await page.waitForSelector(`${row()}[data-connected="true"] td.lab[data-state="up"]`);
    expect(await page.textContent(`${row()} td.name`)).toBe(NAME);
    expect(await page.$$(`${row()} td.name i`)).toHaveLength(0);
    expect(await page.textContent(`${row()} td.conn`)).toBe('connected');
    expect(await page.textContent(`${row()} td.lab`)).toBe('3 nodes');
    expect(await page.isHidden('#empty')).toBe(true);
  });

  it("pushes a lesson with the page's select and button: the console has it, the student receives it", async () => {
    await page.selectOption('#lesson', 'clock-sync');
    await page.click('#push');
    const assignment = await within(received.promise, 'the student receiving the lesson');
    expect(assignment).toMatchObject({ id: 1, lesson: 'clock-sync' });
    expect(server!.view().assignments).toMatchObject([{ id: 1, lesson: 'clock-sync' }]);
    await page.waitForSelector('#pushed[data-state="ok"]');
    expect(await page.textContent('#pushed')).toBe('pushed #1 clock-sync to every lab');
    expect(await page.textContent('th[data-assignment="1"]')).toBe('#1 clock-sync');
    await page.waitForSelector(`${resultCell()}[data-state="waiting"]`);
    expect(await page.textContent(resultCell())).toBe('… → waiting');
  });

  it("shows the student's prediction before the reveal, then the verdict", async () => {
    predictNow.resolve();
    await page.waitForSelector(`${resultCell()}[data-state="predicted"]`);
    expect(await page.textContent(resultCell())).toBe('2 → waiting');
    expect(server!.view().students[0].results[0].verdict).toBeNull();
    verdictNow.resolve();
    await page.waitForSelector(`${resultCell()}[data-state="passed"]`);
    expect(await page.textContent(resultCell())).toBe('2 → passed, right');
  });

  it('downloads the class as CSV (export.ts’s) and as JSON (the class view), the student in both', async () => {
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    expect(csv.suggestedFilename()).toMatch(/^class-\d{4}-\d{2}-\d{2}\.csv$/);
    const csvText = readFileSync(await csv.path(), 'utf8');
    expect(csvText).toBe(classCsv(server!.view()));
    expect(csvText.split('\r\n')[1]).toBe(`${student!.id},${NAME},1,clock-sync,2 (No),true,true,1,1,`);
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#json')]);
    expect(json.suggestedFilename()).toMatch(/^class-\d{4}-\d{2}-\d{2}\.json$/);
    const view = classViewSchema.parse(JSON.parse(readFileSync(await json.path(), 'utf8')));
    expect(view.students).toMatchObject([{ id: student!.id, name: NAME, results: [{ assignment: 1, prediction: { answer: { choice: 2 } }, verdict: { passed: true, correct: true } }] }]);
    expect(view.assignments).toEqual(server!.view().assignments);
  });

  it('a console that goes away: one line on the page; back on the same port, the page is live again', async () => {
    const port = server!.port;
    await server!.close();
    await page.waitForSelector('#conn[data-state="gone"]');
    const error = (await page.textContent('#error'))!;
    expect(error).toMatch(/trying again$/);
    expect(error).not.toContain('\n');
    server = await startServer(port);
    await page.waitForSelector('#conn[data-state="live"]');
    await page.waitForSelector('#error', { state: 'hidden' });
    // The same class (the same file): the student's results are still there.
    expect(await page.textContent(resultCell())).toBe('2 → passed, right');
  });

  it('with a wrong key: one line, no data; the right key typed in opens it', async () => {
    const other = await browser!.newPage();
    other.setDefaultTimeout(WAIT_MS);
    try {
      await other.goto(`${base}/#key=not-the-key`);
      await other.waitForSelector('#conn[data-state="refused"]');
      expect(await other.textContent('#error')).toBe("the console refused this key: the class's console needs its key (Authorization: Bearer KEY, as class start printed it)");
      expect(await other.isHidden('#console')).toBe(true);
      expect(await other.textContent('#code')).toBe('');
      expect(await other.$$('tr[data-student]')).toHaveLength(0);
      expect(await other.content()).not.toContain(server!.code);
      expect(await other.isVisible('#key-form')).toBe(true);
      await other.fill('#key', server!.key);
      await other.press('#key', 'Enter');
      await other.waitForSelector(`${row()} td.result[data-state="passed"]`);
      expect(await other.textContent('#code')).toBe(server!.code);
      expect(await other.isHidden('#error')).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('the page broke no rule of its CSP and threw nothing; a script injected into it would not run', async () => {
    // The console gone (the test above) is a failed fetch, which Chromium may log as a network error.
    expect(complaints.filter((c) => !/Failed to load resource|ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|ERR_INCOMPLETE_CHUNKED_ENCODING|network error/i.test(c))).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as Watched).violations)).toEqual([]);
    const injected = await page.evaluate(() => {
      try {
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.body.append(script);
      } catch (err) {
        return `refused: ${(err as Error).message}`;
      }
      return (window as unknown as { injected?: boolean }).injected === true ? 'ran' : 'did not run';
    });
    expect(injected).not.toBe('ran');
  });
});
