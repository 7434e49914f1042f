import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { labStatusSchema, rpcResponseSchema, traceLineSchema, type TraceLine } from '@faultline/protocol';
import { startLab } from '../src/index.js';
import { discardRun, expectNothingLeft, expectValidTraceFile, logger, testConfig } from './support/lab.js';

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** A raw request with a forged Host header (fetch does not let us set one). */
function withHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/status`, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads `GET /events` until `enough` says so. */
async function readEvents(url: string, enough: (lines: TraceLine[]) => boolean, during?: () => Promise<unknown>): Promise<TraceLine[]> {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 5_000);
  const res = await fetch(url, { signal: controller.signal });
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const lines: TraceLine[] = [];
  let buf = '';
  const pending = during?.();
  while (!enough(lines)) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    for (let sep = buf.indexOf('\n\n'); sep >= 0; sep = buf.indexOf('\n\n')) {
      const block = buf.slice(0, sep);
      buf = buf.slice(sep + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      const id = block.split('\n').find((l) => l.startsWith('id: '));
      if (!data) continue;
      const line = traceLineSchema.parse(JSON.parse(data.slice(6)));
      expect(id).toBe(`id: ${line.seq}`);
      lines.push(line);
    }
  }
  clearTimeout(deadline);
  controller.abort();
  await pending;
  return lines;
}

describe('the control API', () => {
  it('implements the routes of lab-api.ts, validates bodies, refuses other origins, and POST /down stops the lab', async () => {
    const lab = await startLab(testConfig({ controlPort: 0 }), { logger });
    const base = lab.controlUrl!;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
    const resources = lab.resources();
    try {
      const status = await call(base, 'GET', '/status');
      expect(status.status).toBe(200);
      expect(labStatusSchema.parse(status.json)).toMatchObject({ controlUrl: base, messageFaults: true, seed: lab.seed });

      // Bad bodies: one line naming the field, code bad-request, 400.
      expect(await call(base, 'POST', '/partition', { groups: 'n1' })).toEqual({ status: 400, json: { code: 'bad-request', error: 'body.groups: expected array, got "n1"' } });
      expect(await call(base, 'POST', '/links/n1/n2', { latencyMs: -5 })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^body\.latencyMs: /) as string } });
      expect(await call(base, 'POST', '/block', '{"from": "n1",')).toMatchObject({ status: 400, json: { code: 'bad-request', error: expect.stringMatching(/^body: not JSON/) as string } });
      expect(await call(base, 'POST', '/nodes/n1/clock', {})).toMatchObject({ status: 400, json: { error: 'body: expected offsetMs, driftPpm or jumpMs, got an object' } });
      // Clock values past the bounds would pin every hybrid clock: refused before they reach a node.
      expect(await call(base, 'POST', '/nodes/n1/clock', { offsetMs: 1e300 })).toMatchObject({ status: 400, json: { code: 'bad-request', error: expect.stringMatching(/^body\.offsetMs: expected a clock offset or jump within ±1 day \(±86400000 ms\), got 1e\+300 ms/) as string } });
      expect(await call(base, 'POST', '/nodes/n1/clock', { jumpMs: -1e23 })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^body\.jumpMs: expected a clock offset or jump within ±1 day/) as string } });
      expect(await call(base, 'POST', '/nodes/n1/clock', { driftPpm: 1e300 })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^body\.driftPpm: expected a drift above -1000000 ppm and at most 1000000 ppm/) as string } });
      expect(await call(base, 'GET', '/trace?since=x')).toMatchObject({ status: 400 });
      // Unknown nodes 404, impossible now 409, no such route 404, wrong method 405.
      expect(await call(base, 'POST', '/nodes/n9/kill')).toMatchObject({ status: 404, json: { code: 'unknown-node' } });
      expect(await call(base, 'POST', '/nodes/n1/resume')).toMatchObject({ status: 409, json: { code: 'conflict', error: 'n1 is running, not paused: nothing to resume' } });
      expect(await call(base, 'POST', '/links/n1/n2/release')).toMatchObject({ status: 409 });
      expect(await call(base, 'GET', '/nope')).toMatchObject({ status: 404, json: { code: 'not-found' } });
      expect(await call(base, 'GET', '/partition')).toMatchObject({ status: 405 });

      // Other origins and hosts are refused; its own origin is welcome.
      expect(await call(base, 'GET', '/status', undefined, { origin: 'http://evil.example' })).toMatchObject({ status: 403, json: { code: 'forbidden' } });
      expect(await call(base, 'POST', '/nodes/n1/kill', undefined, { origin: 'null' })).toMatchObject({ status: 403 });
      expect(lab.state('n1')).toBe('running');
      expect((await call(base, 'GET', '/status', undefined, { origin: base })).status).toBe(200);
      expect(await withHost(base, 'evil.example:80')).toBe(403);

      // Faults and messages.
      expect(await call(base, 'POST', '/links/n1/n2', { latencyMs: 50, both: true })).toEqual({ status: 200, json: { ok: true } });
      expect(labStatusSchema.parse((await call(base, 'GET', '/status')).json).links.filter((l) => l.faults.length > 0).map((l) => l.name)).toEqual(['n1-n2', 'n2-n1']);
      expect(await call(base, 'DELETE', '/links/n1/n2')).toEqual({ status: 200, json: { ok: true, cleared: ['n1-n2'] } });
      expect(await call(base, 'DELETE', '/links/n1/n2?both=yes')).toMatchObject({ status: 400, json: { code: 'bad-request', error: expect.stringMatching(/^query\.both: .*, got "yes"$/) as string } });
      expect(await call(base, 'POST', '/links/n1/n2', { latencyMs: 50, both: true })).toEqual({ status: 200, json: { ok: true } });
      expect(await call(base, 'DELETE', '/links/n2/n1?both=true')).toEqual({ status: 200, json: { ok: true, cleared: ['n1-n2', 'n2-n1'] } });
      expect(labStatusSchema.parse((await call(base, 'GET', '/status')).json).links.filter((l) => l.faults.length > 0)).toEqual([]);
      expect(await call(base, 'DELETE', '/links')).toMatchObject({ status: 200 });
      expect(await call(base, 'POST', '/links/n1/n2/hold')).toEqual({ status: 200, json: { ok: true } });
      expect(await call(base, 'POST', '/links/n1/n2/release')).toEqual({ status: 200, json: { ok: true } });
      expect(await call(base, 'POST', '/partition', { groups: [['n1']] })).toEqual({ status: 200, json: { ok: true, cut: ['n1-n2', 'n1-n3', 'n2-n1', 'n3-n1'], groups: [['n1'], ['n2', 'n3']] } });
      expect(await call(base, 'POST', '/block', { from: 'n2', to: 'n3' })).toEqual({ status: 200, json: { ok: true } });
      expect(await call(base, 'POST', '/heal')).toMatchObject({ status: 200, json: { ok: true } });
      expect(await call(base, 'POST', '/nodes/n2/clock', { offsetMs: 1000 })).toEqual({ status: 200, json: { ok: true } });
      const rpc = await call(base, 'POST', '/rpc', { from: 'n1', to: 'n2' });
      expect(rpc.status).toBe(200);
      expect(rpcResponseSchema.parse(rpc.json).result.outcome).toBe('ok');
      expect(await call(base, 'POST', '/send', { from: 'n3', to: 'n1', msgType: 'echo', body: { hello: 1 } })).toEqual({ status: 200, json: { ok: true } });
      expect(await call(base, 'POST', '/nodes/n3/pause')).toEqual({ status: 200, json: { ok: true, node: 'n3', state: 'paused' } });
      expect(await call(base, 'POST', '/nodes/n3/resume')).toEqual({ status: 200, json: { ok: true, node: 'n3', state: 'running' } });

      // The trace, filtered; and the live stream with replay.
      const trace = await call(base, 'GET', '/trace?since=5&node=n1');
      const lines = (trace.json as unknown[]).map((l) => traceLineSchema.parse(l));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((l) => l.seq > 5 && l.node === 'n1')).toBe(true);
      const replayed = await readEvents(`${base}/events?since=0`, (ls) => ls.length >= 3);
      expect(replayed.slice(0, 3).map((l) => l.seq)).toEqual([1, 2, 3]);
      expect(replayed[0].kind).toBe('run_start');
      const live = await readEvents(
        `${base}/events`,
        (ls) => ls.some((l) => l.kind === 'send' && l.node === 'n1' && l.msgType === 'echo'),
        () => lab.send('n1', 'n2', 'echo'),
      );
      expect(live.every((l) => l.seq > replayed[0].seq)).toBe(true);
      expect(live.some((l) => l.kind === 'send' && l.node === 'n1' && l.msgType === 'echo')).toBe(true);

      expect(await call(base, 'POST', '/down')).toEqual({ status: 200, json: { ok: true, stopping: true } });
      await lab.stopped;
    } finally {
      await lab.stop();
    }
    await expectNothingLeft(resources);
    expectValidTraceFile(lab.traceFile);
    discardRun(lab);
  });
});
