/**
 * Honest answers and exit codes (issue 10, section 4), on a real lab started by `faultline up`:
 * bad usage is refused up front with one line and exit 2; a caller killed mid-call is an outcome;
 * every message sent into a cut link has a trace line of its own that says so.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, labApi, rpcResponseSchema, type TraceLine } from '@faultline/protocol';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive } from './support/processes.js';
import { CLI, CLI_ENV } from './support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-honest-'));
let up: ResultPromise;
let upOut = '';
let lab: ReturnType<typeof createClient<typeof labApi>>;

function faultline(...args: string[]) {
  return execa(process.execPath, [...CLI, ...args], { cwd: dir, reject: false, timeout: 30_000, env: CLI_ENV });
}

/** The first trace line after `since` that `match` accepts (polling the lab's trace route). */
async function traceLine(match: (l: TraceLine) => boolean, since = 0, timeoutMs = 10_000): Promise<TraceLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await lab.trace({ query: { since } })).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error('the awaited trace line did not come');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const lastSeq = async (): Promise<number> => (await lab.trace()).at(-1)?.seq ?? 0;

beforeAll(async () => {
  up = execa(process.execPath, [...CLI, 'up', '--nodes', '3', '--seed', '10'], { cwd: dir, reject: false, buffer: false, env: CLI_ENV });
  up.stdout?.on('data', (b: Buffer) => (upOut += b.toString()));
  const file = join(dir, '.faultline', 'lab.json');
  const deadline = Date.now() + 40_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`faultline up did not come up: ${upOut}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  lab = createClient(labApi, { baseUrl: (JSON.parse(readFileSync(file, 'utf8')) as { controlUrl: string }).controlUrl });
}, 60_000);

afterAll(async () => {
  if (up.pid && alive(up.pid)) up.kill('SIGTERM');
  await up;
  rmSync(dir, { recursive: true, force: true });
});

describe('bad usage: one line, exit 2, nothing done', () => {
  it('--lab that is not a URL', async () => {
    const r = await faultline('status', '--lab', 'not-a-url');
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('faultline: expected a URL like http://127.0.0.1:4000 for --lab, got "not-a-url"');
  });

  it('trace --node of a node the lab does not have', async () => {
    const r = await faultline('trace', '--node', 'n99');
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')[0]).toBe('faultline: no node n99 in this lab (it has n1, n2, n3)');
  });

  it('rpc --type longer than an envelope allows: refused before anything is sent', async () => {
    const since = await lastSeq();
    const long = 'x'.repeat(101);
    const r = await faultline('rpc', 'n1', 'n2', '--type', long);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(`faultline: expected a message type of 1 to 100 characters for --type, got 101 characters`);
    // The API refuses it too, by the same schema.
    await expect(lab.rpc({ body: { from: 'n1', to: 'n2', msgType: long } })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(lab.send({ body: { from: 'n1', to: 'n2', msgType: long } })).rejects.toMatchObject({ code: 'bad-request' });
    // Nothing went out: a later message is the next send in the trace.
    await lab.send({ body: { from: 'n1', to: 'n2', msgType: 'marker' } });
    const next = await traceLine((l) => l.kind === 'send' && l.node === 'n1' && l.msgType !== 'heartbeat', since);
    expect(next).toMatchObject({ msgType: 'marker' });
  });
});

describe('a caller killed mid-call', () => {
  it('is an outcome of the call (200, caller-died), printed plainly; not a server error', async () => {
    try {
      // n2 paused: the request waits there, and n1 waits for the reply until it is killed.
      expect((await faultline('pause', 'n2')).exitCode).toBe(0);
      const since = await lastSeq();
      const call = faultline('rpc', 'n1', 'n2', '--timeout', '20s');
      await traceLine((l) => l.kind === 'send' && l.node === 'n1' && l.msgType === 'ping', since, 20_000);
      expect((await faultline('kill', 'n1')).exitCode).toBe(0);
      const r = await call;
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^n1 saw: nothing \(n1 was killed before the call ended\) after \S+, 1 attempt$/m);
      expect(r.stdout).toMatch(/n1 +✗ killed \(SIGKILL\)/);
      expect(r.stdout).not.toMatch(/^hint:/m);
      // The API answers the same outcome (200, declared in the route's response); here the request
      // waits on a blocked link.
      await lab.resume({ params: { id: 'n2' } });
      await lab.revive({ params: { id: 'n1' } });
      await lab.block({ body: { from: 'n1', to: 'n2' } });
      const since2 = await lastSeq();
      const answer = lab.rpc({ body: { from: 'n1', to: 'n2', timeoutMs: 20_000 } });
      const sent = await traceLine((l) => l.kind === 'send' && l.node === 'n1' && l.msgType === 'ping', since2, 20_000);
      await lab.kill({ params: { id: 'n1' } });
      const { result, trace } = rpcResponseSchema.parse(await answer);
      expect(result.outcome).toBe('caller-died');
      expect(result.requestIds).toEqual([(sent as { msg: string }).msg]);
      expect(trace.map((l) => l.kind)).toEqual(expect.arrayContaining(['send', 'crash']));
    } finally {
      // Leave the lab as the next test expects it: every node running, no cut.
      const status = await lab.status();
      for (const n of status.nodes) {
        if (n.state === 'paused') await lab.resume({ params: { id: n.id } });
        if (n.state === 'killed' || n.state === 'exited') await lab.revive({ params: { id: n.id } });
      }
      await lab.heal();
    }
  }, 90_000);
});

describe('messages sent into a cut link', () => {
  it('each has a trace line of its own: the proxy dropped it, by the cut', async () => {
    const since = await lastSeq();
    await lab.partition({ body: { groups: [['n1'], ['n2', 'n3']] } });
    for (let i = 0; i < 3; i++) await lab.send({ body: { from: 'n1', to: 'n2', msgType: 'into-cut' } });
    const r = await lab.rpc({ body: { from: 'n3', to: 'n1', msgType: 'ping', timeoutMs: 300 } });
    expect(r.result.outcome).toBe('timeout');
    await lab.heal();
    const lines = await lab.trace({ query: { since } });
    const sends = lines.filter((l): l is Extract<TraceLine, { kind: 'send' }> => l.kind === 'send' && (l.msgType === 'into-cut' || l.msg === r.result.requestIds[0]));
    expect(sends).toHaveLength(4);
    for (const s of sends) {
      const drop = await traceLine((l) => l.kind === 'proxy' && String(l.msg) === s.msg, since);
      expect(drop).toMatchObject({ kind: 'proxy', action: 'dropped', reason: 'cut', link: `${s.node}-${s.to}`, msgType: s.msgType });
    }
    // The lens reads it from that line, with no need of the fault's window.
    expect(r.trace.some((l) => l.kind === 'proxy' && l.action === 'dropped')).toBe(true);
  }, 60_000);
});
