/**
 * A lab whose nodes run under faultline-agents (as in the Docker classroom: one agent per node's
 * container), here on one machine: three real agent processes on 127.0.0.1, the real proxy, the
 * real node processes the agents start. The lab drives them as it drives its own children: rpc
 * through the proxy, kill, revive, pause and resume, partition and heal; and when the lab stops,
 * each agent stops its node and nothing is left but the agents, which the test stops by PID.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLab, type Lab } from '@faultline/coordinator';
import { WebSocket } from 'ws';
import { execa, type ResultPromise } from 'execa';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { js } from './support/maelstrom-programs.js';
import { alive, childrenOf, stateOf } from './support/processes.js';

const AGENT = fileURLToPath(new URL('../packages/coordinator/src/agent/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BOUND_MS = 60_000;
const runsDir = mkdtempSync(join(tmpdir(), 'faultline-agents-'));

interface Agent {
  readonly proc: ResultPromise;
  readonly port: number;
  /** The node PIDs it reported starting (from its log). */
  health(): Promise<{ ok: boolean; coordinator: boolean; node: number | null }>;
}

async function startAgent(at = 0): Promise<Agent> {
  const proc = execa(process.execPath, ['--import', TSX, AGENT, '--port', String(at)], { reject: false, buffer: false, stdin: 'ignore' });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    void proc.then(() => reject(new Error('the agent exited before it listened')));
  });
  const { port } = JSON.parse(line) as { port: number };
  return {
    proc,
    port,
    health: async () => (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { ok: boolean; coordinator: boolean; node: number | null },
  };
}

let agents: Agent[] = [];
let lab: Lab | undefined;

beforeAll(async () => {
  agents = await Promise.all([startAgent(), startAgent(), startAgent()]);
  lab = await startLab(
    { seed: '13', runsDir, agents: agents.map((a) => `127.0.0.1:${a.port}`) },
    { logger: pino({ level: 'silent' }) },
  );
}, BOUND_MS);

afterAll(async () => {
  await lab?.stop();
  for (const a of agents) a.proc.kill('SIGTERM');
  await Promise.all(agents.map((a) => a.proc));
  rmSync(runsDir, { recursive: true, force: true });
}, BOUND_MS);

/** Opens a WebSocket to an agent; resolves with it and its messages so far, or with the refusal's status. */
function dial(port: number): Promise<{ ws: WebSocket; messages: string[] } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    const messages: string[] = [];
    ws.on('message', (data: Buffer) => messages.push(data.toString('utf8')));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', reject);
  });
}

/** The next message after the `count` already seen. */
async function nextMessage(conn: { ws: WebSocket; messages: string[] }, count: number): Promise<string> {
  while (conn.messages.length <= count) await new Promise((r) => conn.ws.once('message', r));
  return conn.messages[count];
}

describe('a lab of agents', () => {
  it('has one node per agent, each started by its agent (not by the lab)', async () => {
    const l = lab!;
    expect(l.nodes).toEqual(['n1', 'n2', 'n3']);
    const healths = await Promise.all(agents.map((a) => a.health()));
    for (const h of healths) expect(h).toMatchObject({ ok: true, coordinator: true });
    // The nodes are the agents' children, not the lab's: the lab lists none of them as its own.
    expect(l.resources().pids).not.toEqual(expect.arrayContaining(healths.map((h) => h.node)));
    for (const h of healths) expect(alive(h.node!)).toBe(true);
  });

  it('carries a call through the proxy, and kills, revives, pauses and resumes through the agents', async () => {
    const l = lab!;
    const first = await l.rpc('n1', 'n2', 'ping', {}, 5_000);
    expect(first.result.outcome).toBe('ok');
    const before = (await agents[1].health()).node!;
    await l.kill('n2');
    expect(alive(before)).toBe(false);
    expect((await l.status()).nodes.find((n) => n.id === 'n2')?.state).toBe('killed');
    await l.revive('n2');
    const after = (await agents[1].health()).node!;
    expect(after).not.toBe(before);
    expect((await l.rpc('n1', 'n2', 'ping', {}, 5_000)).result.outcome).toBe('ok');
    await l.pause('n3');
    expect((await l.status()).nodes.find((n) => n.id === 'n3')?.state).toBe('paused');
    await l.resume('n3');
    expect((await l.rpc('n3', 'n1', 'ping', {}, 5_000)).result.outcome).toBe('ok');
  }, BOUND_MS);

  it('cuts and heals links on the proxy between agents’ nodes', async () => {
    const l = lab!;
    await l.partition([['n1'], ['n2', 'n3']]);
    const cut = await l.rpc('n1', 'n2', 'ping', {}, 500);
    expect(cut.result.outcome).not.toBe('ok');
    await l.heal();
    expect((await l.rpc('n1', 'n2', 'ping', {}, 5_000)).result.outcome).toBe('ok');
  }, BOUND_MS);

  it("revives a node whose agent restarted (its container did): the lab dials the agent again", async () => {
    const l = lab!;
    const old = agents[2];
    old.proc.kill('SIGTERM');
    await old.proc;
    await l.waitForTrace((line) => line.kind === 'exit' && line.node === 'n3', { timeoutMs: BOUND_MS / 2, what: "n3's exit" });
    expect((await l.status()).nodes.find((n) => n.id === 'n3')?.state).toBe('exited');
    agents[2] = await startAgent(old.port);
    await l.revive('n3');
    expect((await l.status()).nodes.find((n) => n.id === 'n3')?.state).toBe('running');
    expect((await l.rpc('n1', 'n3', 'ping', {}, 5_000)).result.outcome).toBe('ok');
  }, BOUND_MS);

  it('refuses a second coordinator while one is connected', async () => {
    const second = await dial(agents[0].port);
    expect(second).toEqual({ status: 409 });
  });

  it('stops every node when the lab stops, and the agents wait for the next lab', async () => {
    const l = lab!;
    const nodes = (await Promise.all(agents.map((a) => a.health()))).map((h) => h.node!);
    await l.stop();
    lab = undefined;
    for (const pid of nodes) expect(alive(pid)).toBe(false);
    // Each agent hears the lab's connection close (its own event, a moment after the stop).
    for (const a of agents) {
      const since = performance.now();
      while ((await a.health()).coordinator) {
        if (performance.now() - since > BOUND_MS / 2) throw new Error(`the agent on ${a.port} still has a coordinator`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }, BOUND_MS);

  it('answers a malformed command, a program of its own and a foreign variable with an error line, and goes on', async () => {
    const conn = await dial(agents[2].port);
    if ('status' in conn) throw new Error(`refused: ${conn.status}`);
    expect(JSON.parse(await nextMessage(conn, 0))).toMatchObject({ type: 'ready', version: 1 });
    const tries = ['{not json', JSON.stringify({ type: 'run', file: '/bin/sh' }), JSON.stringify({ type: 'start', args: [], env: { NODE_OPTIONS: '--require /tmp/x.js' } })];
    for (const [i, frame] of tries.entries()) {
      conn.ws.send(frame);
      const answer = JSON.parse(await nextMessage(conn, i + 1)) as { type: string; message: string };
      expect(answer.type).toBe('error');
      expect(answer.message.split('\n')).toHaveLength(1);
    }
    expect((await agents[2].health()).node).toBeNull();
    conn.ws.close();
  }, BOUND_MS);
});

describe('a lab of agents whose nodes host a program', () => {
  it('a pause freezes the program with its node, a kill kills both: the agent signals the process group', async () => {
    const mine = await Promise.all([startAgent(), startAgent()]);
    const programLab = await startLab(
      { seed: '14', runsDir, heartbeatMs: 10_000, agents: mine.map((a) => `127.0.0.1:${a.port}`), program: js('js/echo.mjs') },
      { logger: pino({ level: 'silent' }) },
    );
    try {
      expect(await programLab.programReady('n1', BOUND_MS / 2)).toBe(true);
      const [program] = childrenOf((await mine[0].health()).node!);
      expect(program).toBeGreaterThan(0);
      await programLab.pause('n1');
      expect(stateOf(program)).toBe('T');
      await programLab.resume('n1');
      expect(stateOf(program)).not.toBe('T');
      await programLab.kill('n1');
      const deadline = performance.now() + BOUND_MS / 2;
      while (alive(program) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(alive(program)).toBe(false);
    } finally {
      await programLab.stop();
      for (const a of mine) a.proc.kill('SIGTERM');
      await Promise.all(mine.map((a) => a.proc));
    }
  }, BOUND_MS);
});
