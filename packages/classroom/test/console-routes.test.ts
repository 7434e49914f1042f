/**
 * The console's routes over real sockets: the page without the key and with no data in it;
 * everything else only with the key; the code, the lessons, the CSV; the class live as
 * server-sent events; bad requests answered in one line while the console goes on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classViewSchema, type ClassView } from '@faultline/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ClassServer, classCsv } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-class-routes-'));
let server: ClassServer;
let base = '';
const lessons = [
  { name: 'ambiguity', title: 'Three timeouts', minutes: 3 },
  { name: 'clock-sync', title: 'Syncing clocks' },
];

beforeAll(async () => {
  server = await ClassServer.start({ host: '127.0.0.1', port: 0, file: join(dir, 'class.json'), lessons, joinHosts: ['192.168.1.20', 'fe80::1'] });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit = {}, key = server.key): Promise<Response> => fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });

/** A reader of `GET /class/events`: waits for a view that satisfies `ok`, bounded. */
async function events(): Promise<{ until: (ok: (v: ClassView) => boolean, what: string) => Promise<ClassView>; close: () => void }> {
  const ctl = new AbortController();
  const res = await api('/class/events', { signal: ctl.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const views: ClassView[] = [];
  return {
    until: async (ok, what) => {
      const timer = setTimeout(() => ctl.abort(new Error(`no view with ${what} within 10 s`)), 10_000);
      try {
        for (;;) {
          const found = views.find(ok);
          if (found) return found;
          const { value, done } = await reader.read();
          if (done) throw new Error(`the stream ended before ${what}`);
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const data = buffer.slice(0, end).split('\n').find((l) => l.startsWith('data: '));
            buffer = buffer.slice(end + 2);
            if (data) views.push(classViewSchema.parse(JSON.parse(data.slice(6))));
          }
        }
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => ctl.abort(),
  };
}

describe("the console's routes", () => {
  it('serves the page without the key: no code, no key, no class in it; strict headers', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toContain(server.key);
    expect(html).not.toContain(server.code);
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers nothing else without the key, in one line', async () => {
    for (const path of ['/class', '/class/code', '/class/lessons', '/class/csv', '/class/events', '/nothing', '/index.html']) {
      for (const key of ['', 'wrong']) {
        const res = await api(path, {}, key);
        expect(res.status, `${path} with key "${key}"`).toBe(401);
        expect(await res.json()).toEqual({ code: 'unauthorized', error: "the class's console needs its key (Authorization: Bearer KEY, as class start printed it)" });
      }
    }
  });

  it('the code with each address students join at, and the lessons offered', async () => {
    expect(await (await api('/class/code')).json()).toEqual({ code: server.code, addresses: [`192.168.1.20:${server.port}`, `[fe80::1]:${server.port}`] });
    expect(await (await api('/class/lessons')).json()).toEqual(lessons);
  });

  it('the class live: the view at once, then again after a lab joins and after a push; the CSV is export.ts’s', async () => {
    const live = await events();
    try {
      await live.until((v) => v.students.length === 0, 'an empty class');
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/join`);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      ws.send(JSON.stringify({ type: 'hello', code: server.code, id: 'ada0000000001', name: 'Ada, "the first"' }));
      await live.until((v) => v.students[0]?.connected === true, 'Ada connected');
      const pushed = await api('/class/assign', { method: 'POST', body: JSON.stringify({ lesson: 'clock-sync' }) });
      expect(pushed.status).toBe(200);
      const view = await live.until((v) => v.assignments.length === 1, 'the push');
      expect(view.assignments[0]).toMatchObject({ id: 1, lesson: 'clock-sync' });
      ws.close();
      await live.until((v) => v.students[0]?.connected === false, 'Ada away');
      const { csv } = (await (await api('/class/csv')).json()) as { csv: string };
      expect(csv).toBe(classCsv(server.view()));
    } finally {
      live.close();
    }
  });

  it('refuses a bad body, a wrong method, an unknown route: one line each, and goes on', async () => {
    const notJson = await api('/class/assign', { method: 'POST', body: '{"lesson":' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: 'bad-request', error: expect.stringMatching(/^body: /) as unknown });
    const extra = await api('/class/assign', { method: 'POST', body: JSON.stringify({ lesson: 'ambiguity', more: 1 }) });
    expect(extra.status).toBe(400);
    const huge = await api('/class/assign', { method: 'POST', body: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(400);
    expect(await huge.json()).toEqual({ code: 'bad-request', error: 'body: expected at most 262144 bytes, got more' });
    expect((await api('/class', { method: 'POST' })).status).toBe(405);
    expect(await (await api('/class/nothing')).json()).toEqual({ code: 'not-found', error: 'no route GET /class/nothing' });
    expect(server.view().assignments.map((a) => a.lesson)).toEqual(['clock-sync']);
    expect((await api('/class')).status).toBe(200);
  });
});
