/**
 * The control API derives from its registries (protocol's `labApi`, `lessonApi`): every route
 * declared is served by the real coordinator and reachable through the derived client the CLI and
 * the dashboard use; every request is checked against its declaration (a bad param, query or body
 * is a 400 whose one line names the field); anything undeclared is a 404 or 405.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labClient } from '@faultline/cli';
import { startLab, type Lab } from '@faultline/coordinator';
import { lessonRoutes } from '@faultline/lessons';
import { createClient, ERROR_CODES, FaultlineError, labApi, lessonApi, traceLineSchema, type LabApi, type RouteInput } from '@faultline/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftOver } from './support/processes.js';

const runsDir = mkdtempSync(join(tmpdir(), 'faultline-control-api-'));
let lab: Lab;
let base: string;
let resources: { pids: number[]; ports: number[] };

async function raw(method: string, path: string, body?: string): Promise<{ status: number; json: { error?: string; code?: string } }> {
  const res = await fetch(`${base}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body });
  return { status: res.status, json: (await res.json()) as { error?: string; code?: string } };
}

beforeAll(async () => {
  lab = await startLab({ nodes: 3, seed: '5', runsDir, heartbeatMs: 300, rpcTimeoutMs: 400 }, { logger: pino({ level: 'warn' }) });
  base = await lab.serve(0, { routes: lessonRoutes() });
  resources = lab.resources();
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  rmSync(runsDir, { recursive: true, force: true });
  expect(await leftOver(resources)).toEqual({ pids: [], ports: [] });
});

/** A valid call of every route but the stream and `down` (the compiler asks for one per new route). */
const calls: { [K in Exclude<keyof LabApi, 'events' | 'down'>]: RouteInput<LabApi[K]> } = {
  status: {},
  trace: { query: { since: 0, node: 'n1' } },
  clock: { params: { id: 'n3' }, body: { offsetMs: 500 } },
  startBehaviour: { params: { id: 'n2' }, body: { name: 'counter' } },
  partition: { body: { groups: [['n1']] } },
  heal: {},
  block: { body: { from: 'n2', to: 'n3' } },
  link: { params: { from: 'n1', to: 'n2' }, body: { latencyMs: 20, both: true } },
  clearLink: { params: { from: 'n1', to: 'n2' } },
  clearLinks: {},
  hold: { params: { from: 'n1', to: 'n3' } },
  release: { params: { from: 'n1', to: 'n3' } },
  rpc: { body: { from: 'n1', to: 'n2' } },
  send: { body: { from: 'n2', to: 'n1', msgType: 'echo' } },
  invoke: { body: { node: 'n2', msgType: 'read' } },
  pause: { params: { id: 'n3' } },
  resume: { params: { id: 'n3' } },
  kill: { params: { id: 'n2' } },
  revive: { params: { id: 'n2' } },
};

/** For every route with a body: a body with one wrong field, and that field's name. */
const badBodies: Record<string, { body: unknown; field: string }> = {
  clock: { body: { offsetMs: 'soon' }, field: 'offsetMs' },
  startBehaviour: { body: { name: 'counter', delayMs: 'soon' }, field: 'delayMs' },
  partition: { body: { groups: 'n1' }, field: 'groups' },
  block: { body: { from: 'x', to: 'n2' }, field: 'from' },
  link: { body: { dropPct: 400 }, field: 'dropPct' },
  rpc: { body: { from: 'n1', to: 'n2', retries: -1 }, field: 'retries' },
  send: { body: { from: 'n1', to: 7 }, field: 'to' },
  invoke: { body: { node: 'n1', msgType: '' }, field: 'msgType' },
};

describe('the control API, derived from its registry', () => {
  it('serves every route of labApi, each reachable through the CLI client, with answers that match their declared schemas', async () => {
    const client = labClient(base);
    for (const [name, input] of Object.entries(calls)) {
      // Each answer is checked against the route's response schema by the client itself.
      const call = client[name as keyof typeof calls] as (input: unknown) => Promise<unknown>;
      await expect(call(input), name).resolves.toBeDefined();
    }
    expect(lab.state('n2')).toBe('running');
    expect(lab.behaviours('n2')).toMatchObject([{ name: 'counter' }]);
    // A partition answers its groups, the one of the nodes nobody named among them.
    expect(await client.partition({ body: { groups: [['n1']] } })).toMatchObject({ groups: [['n1'], ['n2', 'n3']] });
    await client.heal({});

    // The stream route: its URL from the client, its events the declared TraceLines.
    const res = await fetch(client.url('events', { query: { since: 0 } }));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('\ndata: ')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const first = /\ndata: (.*)\n/.exec(text)?.[1];
    expect(traceLineSchema.parse(JSON.parse(first!)).seq).toBe(1);

    // Every declared route is one the test called: a route added to the registry is served, or this fails.
    expect(Object.keys(labApi).sort()).toEqual([...Object.keys(calls), 'events', 'down'].sort());
  });

  it('serves the lessons\' routes (an extension registry) through the same derived client', async () => {
    const lessons = createClient(lessonApi, { baseUrl: base });
    const list = await lessons.lessons();
    expect(list.length).toBeGreaterThan(0);
    expect(await lessons.currentLesson()).toBeNull();
    const err = await lessons.runLesson({ params: { name: 'no-such-lesson' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FaultlineError);
    expect(err).toMatchObject({ code: 'bad-request', message: 'no lesson called "no-such-lesson"' });
    // A prediction is checked against the lesson's question before anything starts: one line naming the field.
    const bad = await lessons.runLesson({ params: { name: 'ambiguity' }, body: { answer: { choice: 7, text: 'seven' } } }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'bad-request', message: 'body.answer.choice: expected a choice from 1 to 3, got 7' });
    expect(await raw('POST', '/lessons/ambiguity/run', JSON.stringify({ answer: { choice: 3 } }))).toEqual({ status: 400, json: { code: 'bad-request', error: 'body.answer.text: expected string, got nothing' } });
    expect(await lessons.currentLesson()).toBeNull();
  });

  it('checks every request against its declaration: a bad body, param or query is a 400 whose one line names the field', async () => {
    const withBody = Object.entries(labApi).filter(([, r]) => 'body' in r);
    expect(withBody.map(([name]) => name).sort()).toEqual(Object.keys(badBodies).sort());
    for (const [name, route] of withBody) {
      const { body, field } = badBodies[name];
      const path = route.path.replace('{id}', 'n1').replace('{from}', 'n1').replace('{to}', 'n2');
      const r = await raw(route.method, path, JSON.stringify(body));
      expect(r.status, name).toBe(400);
      expect(r.json.code, name).toBe('bad-request');
      expect(r.json.error, name).toMatch(new RegExp(`^body\\.${field}: [^\\n]+$`));
    }
    expect(await raw('POST', '/nodes/x!/kill')).toEqual({ status: 400, json: { code: 'bad-request', error: 'params.id: expected a node id like n1, got "x!"' } });
    expect(await raw('DELETE', '/links/n1/%2F')).toMatchObject({ status: 400, json: { error: 'params.to: expected a node id like n1, got "/"' } });
    expect(await raw('GET', '/trace?since=soon')).toEqual({ status: 400, json: { code: 'bad-request', error: 'query.since: expected a trace seq (an integer ≥ 0), got "soon"' } });
    expect(await raw('GET', '/events?since=-1')).toMatchObject({ status: 400, json: { error: 'query.since: expected a trace seq (an integer ≥ 0), got "-1"' } });
    expect(await raw('POST', '/block', '[')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^body: not JSON/) as string } });
  });

  it('refuses a body over 1 MiB with a one-line 400, reading no more of it, and goes on answering', async () => {
    const big = JSON.stringify({ from: 'n1', to: 'n2', body: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    expect(await raw('POST', '/rpc', big)).toEqual({ status: 400, json: { code: 'bad-request', error: 'body: expected at most 1048576 bytes, got more' } });
    // A body of 64 MiB that keeps coming: refused just the same, the lab still answers after it.
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({ pull: (c) => (sent++ < 64 ? c.enqueue(chunk) : c.close()) });
    const res = await fetch(`${base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: endless, duplex: 'half' } as RequestInit).catch((e: unknown) => e);
    if (res instanceof Response) expect(res.status).toBe(400);
    expect((await raw('GET', '/status')).status).toBe(200);
  });

  it('answers an undeclared route 404 and a declared path with another method 405, with the registry\'s codes', async () => {
    expect(await raw('GET', '/nope')).toEqual({ status: 404, json: { code: 'not-found', error: 'no route GET /nope' } });
    expect(await raw('POST', '/nodes/n1/explode')).toMatchObject({ status: 404, json: { code: 'not-found' } });
    expect(await raw('GET', '/partition')).toEqual({ status: 405, json: { code: 'method-not-allowed', error: 'GET /partition: expected POST' } });
    expect(await raw('PUT', '/links/n1/n2')).toEqual({ status: 405, json: { code: 'method-not-allowed', error: 'PUT /links/n1/n2: expected POST or DELETE' } });
    // A lab error keeps its code through the client, with the status the registry gives it.
    const r = await raw('POST', '/nodes/n9/kill');
    expect(r).toMatchObject({ status: ERROR_CODES['unknown-node'].http, json: { code: 'unknown-node' } });
    const err = await labClient(base).resume({ params: { id: 'n1' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'conflict', message: 'n1 is running, not paused: nothing to resume' });
  });

  it('says `unavailable`, with a hint, when no lab answers', async () => {
    const err = await createClient(labApi, { baseUrl: 'http://127.0.0.1:9', unavailableHint: 'start one' }).status().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', message: 'no lab answers at http://127.0.0.1:9', hint: 'start one' });
  });

  it('POST /down, declared like any route, answers and then stops the lab', async () => {
    expect(await labClient(base).down()).toEqual({ ok: true, stopping: true });
    await lab.stopped;
  });
});
