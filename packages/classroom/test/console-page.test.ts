/**
 * The console page's pure helpers, run as the page runs them (its script's own text, in a fresh
 * context): the cells `class status` prints, the server-sent events out of any chunking, the key
 * in a fragment. And the page itself: its CSP names the very script and style it serves, and it
 * holds no data.
 */
import { createHash } from 'node:crypto';
import { runInNewContext, Script } from 'node:vm';
import type { ClassView, LabReport, StudentView } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { CONSOLE_PAGE, CONSOLE_PAGE_HEADERS } from '../src/console-page/page.js';
import { PAGE_HELPERS } from '../src/console-page/page-helpers.js';
import { PAGE_SCRIPT } from '../src/console-page/page-script.js';
import { PAGE_STYLE } from '../src/console-page/page-style.js';

interface Cell {
  text: string;
  title: string;
  state: string;
}
interface Helpers {
  clockOf(iso: string): string;
  keyFromHash(hash: string): string;
  connectionCell(s: Pick<StudentView, 'connected' | 'lastSeen'>): Cell;
  labCell(lab: LabReport | null): Cell;
  resultCell(view: ClassView, s: StudentView, assignment: number): Cell;
  summaryOf(view: ClassView): string;
  takeEvents(buffer: string): { data: string[]; rest: string };
  errorLine(status: number, body: unknown): string;
}

const h = runInNewContext(`${PAGE_HELPERS}\n;({ clockOf, keyFromHash, connectionCell, labCell, resultCell, summaryOf, takeEvents, errorLine })`, { URLSearchParams }) as Helpers;
// Values made in the other context compare by shape.
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const at = '2026-03-02T10:00:00.000Z';
const view = (results: StudentView['results']): { v: ClassView; s: StudentView } => {
  const s: StudentView = { id: 'ada0000000001', name: 'Ada', connected: true, lastSeen: at, lab: null, results };
  return { v: { started: at, students: [s], assignments: [{ id: 1, at, lesson: 'ambiguity' }] }, s };
};
const verdict = { passed: true, checks: [{ name: 'lens', held: true }, { name: 'two', held: false }], correct: true };

describe("the console page's cells", () => {
  it('a lesson: …/–/the choice/"words" → waiting or the verdict, as class status prints it', () => {
    const cell = (results: StudentView['results'], id = 1): Cell => {
      const { v, s } = view(results);
      return plain(h.resultCell(v, s, id));
    };
    expect(cell([])).toEqual({ text: '… → waiting', title: 'no prediction yet', state: 'waiting' });
    expect(cell([{ assignment: 1, prediction: { answer: { choice: 2, text: 'No' } }, verdict: null }])).toEqual({ text: '2 → waiting', title: 'predicted 2: No', state: 'predicted' });
    expect(cell([{ assignment: 1, prediction: { answer: { text: 'it hangs' } }, verdict: null }]).text).toBe('"it hangs" → waiting');
    expect(cell([{ assignment: 1, prediction: { answer: null, unanswered: 'no terminal' }, verdict: null }])).toMatchObject({ text: '– → waiting', title: 'no prediction: no terminal' });
    expect(cell([{ assignment: 1, prediction: { answer: { choice: 2, text: 'No' } }, verdict }])).toEqual({ text: '2 → passed, right', title: 'predicted 2: No; 1 of 2 expectations held', state: 'passed' });
    expect(cell([{ assignment: 1, prediction: { answer: { choice: 1, text: 'Yes' } }, verdict: { ...verdict, passed: false, correct: false } }])).toMatchObject({ text: '1 → failed, wrong', state: 'failed' });
    expect(cell([{ assignment: 1, prediction: null, verdict: { passed: false, checks: [], error: 'too few nodes' } }])).toEqual({ text: '… → error', title: 'no prediction yet; 0 of 0 expectations held; error: too few nodes', state: 'error' });
    // An assignment the class does not have: no "waiting".
    expect(cell([], 9).text).toBe('… → ');
  });

  it('a lab: up with its nodes and lesson, down with why, unknown before its first report', () => {
    expect(plain(h.labCell(null))).toMatchObject({ text: '?', state: 'unknown' });
    expect(plain(h.labCell({ up: true, nodes: 3, lesson: null }))).toMatchObject({ text: '3 nodes', state: 'up' });
    expect(plain(h.labCell({ up: true, url: 'http://127.0.0.1:4000', nodes: 5, lesson: { name: 'ambiguity', state: 'running' } }))).toEqual({ text: '5 nodes, ambiguity running', title: 'the lab at http://127.0.0.1:4000', state: 'up' });
    expect(plain(h.labCell({ up: false, nodes: 0, lesson: null, error: 'no lab answers' }))).toMatchObject({ text: 'down: no lab answers', state: 'down' });
  });

  it('connected, or away since when (local time)', () => {
    const t = new Date(2026, 2, 2, 9, 5, 7).toISOString();
    expect(h.clockOf(t)).toBe('09:05:07');
    expect(h.clockOf('not a time')).toBe('?');
    expect(plain(h.connectionCell({ connected: true, lastSeen: t }))).toEqual({ text: 'connected', title: 'last heard from at 09:05:07', state: 'connected' });
    expect(plain(h.connectionCell({ connected: false, lastSeen: t }))).toMatchObject({ text: 'away since 09:05:07', state: 'away' });
  });

  it('the class in a line', () => {
    const { v } = view([]);
    expect(h.summaryOf(v)).toBe('1 student, 1 connected; 1 lesson pushed');
    expect(h.summaryOf({ ...v, students: [], assignments: [] })).toBe('0 students, 0 connected; 0 lessons pushed');
  });
});

describe("the console page's plumbing", () => {
  it('server-sent events: the same data however the stream is cut', () => {
    const stream = 'id: 1\ndata: {"a":1}\n\n: keep-alive\n\nid: 2\r\ndata: {"b":\r\ndata: 2}\r\n\r\nid: 3\ndata:{"c":3}\n\nid: 4\ndata: {"d"';
    const want = ['{"a":1}', '{"b":\n2}', '{"c":3}'];
    for (let i = 0; i <= stream.length; i++) {
      for (const j of [i, Math.min(stream.length, i + 7)]) {
        const got: string[] = [];
        let buffer = '';
        for (const chunk of [stream.slice(0, i), stream.slice(i, j), stream.slice(j)]) {
          const taken = h.takeEvents(buffer + chunk);
          got.push(...taken.data);
          buffer = taken.rest;
        }
        expect(got, `cut at ${i} and ${j}`).toEqual(want);
        expect(buffer.replace(/\r\n/g, '\n')).toBe('id: 4\ndata: {"d"');
      }
    }
  });

  it('the key from a fragment; an error in one line', () => {
    expect(h.keyFromHash('#key=Ab3_-x')).toBe('Ab3_-x');
    expect(h.keyFromHash('#other=1&key=k%2Bey')).toBe('k+ey');
    expect(h.keyFromHash('')).toBe('');
    expect(h.keyFromHash('#key=')).toBe('');
    expect(h.errorLine(401, { code: 'unauthorized', error: 'needs its key\nmore' })).toBe('needs its key');
    expect(h.errorLine(502, null)).toBe('the console answered 502');
  });
});

describe('the console page', () => {
  const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

  it('is one document whose CSP allows exactly its own script and style, and nothing from elsewhere', () => {
    const scripts = [...CONSOLE_PAGE.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    const styles = [...CONSOLE_PAGE.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    expect(scripts).toEqual([PAGE_SCRIPT]);
    expect(styles).toEqual([PAGE_STYLE]);
    const csp = CONSOLE_PAGE_HEADERS['content-security-policy'];
    expect(csp).toContain(`script-src ${sha256(PAGE_SCRIPT)};`);
    expect(csp).toContain(`style-src ${sha256(PAGE_STYLE)};`);
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).not.toContain('unsafe');
    expect(CONSOLE_PAGE).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(CONSOLE_PAGE).not.toMatch(/ style="/);
    expect(CONSOLE_PAGE_HEADERS).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  });

  it('its script is valid JavaScript, and puts nothing in as HTML', () => {
    expect(() => new Script(PAGE_SCRIPT)).not.toThrow();
    expect(PAGE_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });
});
