/**
 * The instructor's console over real sockets: students join with the code over a WebSocket, the
 * instructor reads the class and pushes a lesson with the key over HTTP, a student who drops and
 * a console that restarts lose nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classFrameSchema, classViewSchema, type ClassFrame, type ClassView } from '@faultline/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ClassServer } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-class-'));
const file = join(dir, 'class.json');
const servers: ClassServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<ClassServer> {
  const server = await ClassServer.start({ host: '127.0.0.1', port: 0, file });
  servers.push(server);
  return server;
}

/** A student's socket: every frame it hears, in order, and a way to wait for the next one. */
async function student(server: ClassServer): Promise<{ ws: WebSocket; heard: ClassFrame[]; next: () => Promise<ClassFrame>; closed: Promise<void> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/join`);
  const heard: ClassFrame[] = [];
  let seen = 0;
  const waiting: (() => void)[] = [];
  ws.on('message', (data: Buffer) => {
    heard.push(classFrameSchema.parse(JSON.parse(data.toString('utf8'))));
    waiting.splice(0).forEach((w) => w());
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const next = async (): Promise<ClassFrame> => {
    while (heard.length <= seen) await new Promise<void>((resolve) => waiting.push(resolve));
    return heard[seen++];
  };
  return { ws, heard, next, closed };
}

async function api(server: ClassServer, path: string, init: RequestInit = {}, key = server.key): Promise<Response> {
  return fetch(`http://127.0.0.1:${server.port}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } });
}

const classView = async (server: ClassServer): Promise<ClassView> => classViewSchema.parse(await (await api(server, '/class')).json());
const ADA = 'ada0000000001';

describe('the class console', () => {
  let code = '';

  it('refuses a lab without the right code, and the console without its key', async () => {
    const server = await start();
    code = server.code;
    const s = await student(server);
    s.ws.send(JSON.stringify({ type: 'hello', code: code === 'AAAA-AAAA' ? 'BBBB-BBBB' : 'AAAA-AAAA', id: ADA, name: 'Ada' }));
    expect(await s.next()).toEqual({ type: 'refused', reason: 'that is not this class’s join code' });
    await s.closed;
    expect((await api(server, '/class', {}, 'wrong')).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${server.port}/class`)).status).toBe(401);
    expect((await classView(server)).students).toEqual([]);
  });

  it('welcomes a lab, pushes a lesson to it, keeps its prediction and verdict; a bad frame changes nothing', async () => {
    const server = servers[0];
    const s = await student(server);
    s.ws.send(JSON.stringify({ type: 'hello', code: code.toLowerCase().replace('-', ''), id: ADA, name: 'Ada' }));
    expect(await s.next()).toEqual({ type: 'welcome', acked: 0, assignments: [] });
    const pushed = await api(server, '/class/assign', { method: 'POST', body: JSON.stringify({ lesson: 'ambiguity' }) });
    expect(pushed.status).toBe(200);
    expect(await s.next()).toMatchObject({ type: 'assign', assignment: { id: 1, lesson: 'ambiguity' } });
    s.ws.send('{"type":"event","seq":"one"}');
    s.ws.send(JSON.stringify({ type: 'lab', report: { up: true, nodes: 3, lesson: { name: 'ambiguity', state: 'running' } } }));
    s.ws.send(JSON.stringify({ type: 'event', seq: 1, event: { type: 'prediction', assignment: 1, answer: { choice: 3, text: 'No' } } }));
    expect(await s.next()).toEqual({ type: 'ack', seq: 1 });
    const before = await classView(server);
    expect(before.students).toMatchObject([{ id: ADA, connected: true, lab: { up: true, lesson: { name: 'ambiguity' } }, results: [{ assignment: 1, prediction: { answer: { choice: 3 } }, verdict: null }] }]);
    s.ws.send(JSON.stringify({ type: 'event', seq: 2, event: { type: 'verdict', assignment: 1, passed: true, checks: [{ name: 'lens', held: true }], correct: true } }));
    expect(await s.next()).toEqual({ type: 'ack', seq: 2 });
    expect((await classView(server)).students[0].results[0].verdict).toMatchObject({ passed: true, correct: true });
    expect((await api(server, '/class/assign', { method: 'POST', body: JSON.stringify({ lesson: '' }) })).status).toBe(400);
    s.ws.close();
    await s.closed;
  });

  it('a console restarted on its file has the same code and class; a lab that comes back resends without counting twice', async () => {
    await servers[0].close();
    servers.length = 0;
    const server = await start();
    expect(server.code).toBe(code);
    expect((await classView(server)).students).toMatchObject([{ id: ADA, connected: false, results: [{ verdict: { passed: true } }] }]);
    const s = await student(server);
    s.ws.send(JSON.stringify({ type: 'hello', code, id: ADA, name: 'Ada' }));
    expect(await s.next()).toMatchObject({ type: 'welcome', acked: 2, assignments: [{ id: 1, lesson: 'ambiguity' }] });
    // Not sure the verdict arrived, it sends it again: acknowledged, not counted twice.
    s.ws.send(JSON.stringify({ type: 'event', seq: 2, event: { type: 'verdict', assignment: 1, passed: false, checks: [], correct: false } }));
    expect(await s.next()).toEqual({ type: 'ack', seq: 2 });
    const view = await classView(server);
    expect(view.students).toHaveLength(1);
    expect(view.students[0]).toMatchObject({ connected: true, results: [{ verdict: { passed: true } }] });
    s.ws.close();
  });
});
