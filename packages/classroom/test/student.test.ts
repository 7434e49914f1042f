/**
 * A student's `class join` against a real console over real sockets: it joins, reports its lab,
 * runs each pushed assignment once and in order; when the console goes away mid-lesson (a restart,
 * or the Wi-Fi), it keeps what it could not send and delivers it when it is back, each event once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Assignment, ClassView, StudentEvent } from '@faultline/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { ClassServer, joinClass, type JoinedClass } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-student-'));
const classFile = join(dir, 'class.json');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

const BOUND_MS = 10_000;
/** Waits for `ok` on the console's view (each change a student makes is a frame it hears). */
async function until(server: ClassServer, ok: (v: ClassView) => boolean, what: string): Promise<ClassView> {
  const since = performance.now();
  for (;;) {
    const view = server.view();
    if (ok(view)) return view;
    if (performance.now() - since > BOUND_MS) throw new Error(`not within ${BOUND_MS} ms: ${what}; the class: ${JSON.stringify(view)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('class join', () => {
  it('joins, reports its lab, runs each assignment once, and loses nothing when the console restarts mid-lesson', async () => {
    let server = await ClassServer.start({ host: '127.0.0.1', port: 0, file: classFile });
    const port = server.port;
    cleanups.push(() => server.close());
    const ran: number[] = [];
    let release!: () => void;
    const verdictMayGo = new Promise<void>((resolve) => (release = resolve));
    const lines: string[] = [];
    const handle = async (a: Assignment, emit: (e: StudentEvent) => void): Promise<void> => {
      ran.push(a.id);
      emit({ type: 'prediction', assignment: a.id, answer: { choice: 2, text: 'two' } });
      await verdictMayGo;
      emit({ type: 'verdict', assignment: a.id, passed: true, checks: [{ name: 'x', held: true }], correct: true });
    };
    const options = { server: `127.0.0.1:${port}`, code: server.code, name: 'Ada', file: join(dir, 'student.json'), report: () => Promise.resolve({ up: true, nodes: 3, lesson: null }), handle, say: (l: string) => lines.push(l), reportEveryMs: 50 };
    const joined: JoinedClass = joinClass(options);
    cleanups.push(() => joined.stop());
    await until(server, (v) => v.students[0]?.lab?.up === true, 'the lab reported');
    server.assign('ambiguity');
    await until(server, (v) => v.students[0]?.results[0]?.prediction !== null && v.students[0]?.results[0] !== undefined, 'the prediction');
    // The prediction's ack is back (nothing owed); then the console goes away mid-lesson, and the
    // verdict is made while it is gone.
    const ackSince = performance.now();
    while (joined.pending() !== 0 && performance.now() - ackSince < BOUND_MS) await new Promise((r) => setTimeout(r, 10));
    expect(joined.pending()).toBe(0);
    await server.close();
    release();
    const pendingSince = performance.now();
    while (joined.pending() === 0 && performance.now() - pendingSince < BOUND_MS) await new Promise((r) => setTimeout(r, 10));
    expect(joined.pending()).toBe(1);
    server = await ClassServer.start({ host: '127.0.0.1', port, file: classFile });
    const view = await until(server, (v) => v.students[0]?.results[0]?.verdict !== null && v.students[0]?.connected === true, 'the verdict, after the restart');
    expect(view.students).toHaveLength(1);
    expect(view.students[0]).toMatchObject({ name: 'Ada', results: [{ assignment: 1, prediction: { answer: { choice: 2 } }, verdict: { passed: true } }] });
    expect(ran).toEqual([1]);
    // Its ack comes a moment after the console keeps it.
    const ackedSince = performance.now();
    while (joined.pending() !== 0 && performance.now() - ackedSince < BOUND_MS) await new Promise((r) => setTimeout(r, 10));
    expect(joined.pending()).toBe(0);
    expect(lines[0]).toMatch(/^joined the class at 127\.0\.0\.1:\d+ as Ada$/);
    expect(lines).toContain(`back in the class at 127.0.0.1:${port}`);
  });

  it('stops at a wrong code, saying why', async () => {
    const server = await ClassServer.start({ host: '127.0.0.1', port: 0, file: join(dir, 'other.json') });
    cleanups.push(() => server.close());
    const joined = joinClass({ server: `127.0.0.1:${server.port}`, code: server.code === 'AAAA-AAAA' ? 'BBBB-BBBB' : 'AAAA-AAAA', name: 'Bob', file: join(dir, 'bob.json'), report: () => Promise.resolve({ up: false, nodes: 0, lesson: null }), handle: () => Promise.resolve(), say: () => undefined });
    cleanups.push(() => joined.stop());
    expect(await joined.refused).toBe('that is not this class’s join code');
    expect(server.view().students).toEqual([]);
  });
});
