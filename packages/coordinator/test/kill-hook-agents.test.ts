/**
 * The lab's side of `killBy: 'pod'`, on one machine without Kubernetes: three real faultline-agent
 * processes on 127.0.0.1, the real proxy, the real nodes, and a lab whose `kill` goes through a
 * killer (the hook a pod deletion uses) instead of SIGKILL through the agent.
 *
 * No pod is deleted here and no Kubernetes API is called. The killer is a stand-in for what a
 * cluster does once it accepted a deletion: it answers at once, then the agent's process is
 * stopped as the kubelet would stop it (SIGTERM, by its PID; the agent kills its node and goes)
 * and a new agent starts at the same address, as the StatefulSet's new pod would. What this
 * shows for real: the lab calls the hook; it counts the node dead only once the agent's
 * connection dropped, and stamps the crash then; `revive` dials the new agent (the lab's redial
 * path, while that agent is still starting) and the node comes back on every link. And with the
 * real pod killer and an API that does not answer (nothing listens on its port), `kill` is a
 * one-line error naming the pod, and the node and the lab go on.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FaultlineError, type NodeId, type TraceLine } from '@faultline/protocol';
import { execa, type ResultPromise } from 'execa';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/index.js';
import type { Lab } from '../src/lab.js';
import { podKiller } from '../src/kubernetes/pod-killer.js';
import type { NodeKiller } from '../src/node-supervisor.js';

const AGENT = fileURLToPath(new URL('../src/agent/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BOUND_MS = 60_000;
const runsDir = mkdtempSync(join(tmpdir(), 'faultline-kill-hook-'));
const logger = pino({ level: 'silent' });

interface Agent {
  readonly proc: ResultPromise;
  readonly port: number;
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A port nothing listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

let agents: Agent[] = [];
let lab: Lab | undefined;
/** The killer the lab calls: each test sets what it does. */
let killer: NodeKiller = () => Promise.reject(new Error('no killer set'));
const called: NodeId[] = [];

beforeAll(async () => {
  agents = await Promise.all([startAgent(), startAgent(), startAgent()]);
  lab = await startLab(
    { seed: '13', runsDir, agents: agents.map((a) => `127.0.0.1:${a.port}`) },
    {
      logger,
      killer: (id) => {
        called.push(id);
        return killer(id);
      },
    },
  );
}, BOUND_MS);

afterAll(async () => {
  await lab?.stop();
  for (const a of agents) a.proc.kill('SIGTERM');
  await Promise.all(agents.map((a) => a.proc));
  rmSync(runsDir, { recursive: true, force: true });
}, BOUND_MS);

describe("a lab whose kill goes through a killer (killBy 'pod''s hook), with a stand-in for the cluster", () => {
  it("kills through the hook: dead once the agent's connection dropped, stamped then; revive dials the new agent", async () => {
    const l = lab!;
    expect((await l.rpc('n1', 'n2', 'ping', {}, 5_000)).result.outcome).toBe('ok');
    const oldAgent = agents[1];
    const oldNode = (await oldAgent.health()).node!;
    let sentAfterAccepted: TraceLine | undefined;
    let replaced: Promise<Agent> | undefined;
    killer = (id) => {
      expect(id).toBe('n2');
      const accepted = l.lastSeq;
      // Accepted at once. The cluster acts a moment later: here, once n2 has sent something
      // more (it still runs), the kubelet's SIGTERM to the agent, then the StatefulSet's new pod.
      replaced = (async () => {
        sentAfterAccepted = await l.waitForTrace((line) => line.kind === 'send' && line.node === 'n2', { since: accepted, timeoutMs: BOUND_MS / 2, what: 'a send of n2 after the deletion was accepted' });
        oldAgent.proc.kill('SIGTERM');
        await oldAgent.proc;
        const fresh = await startAgent(oldAgent.port);
        agents[1] = fresh;
        return fresh;
      })();
      return Promise.resolve();
    };
    const since = l.lastSeq;
    await l.kill('n2');
    expect(called).toEqual(['n2']);
    expect(l.state('n2')).toBe('killed');
    // The agent SIGKILLs its node before it goes, and exits once the node has.
    await oldAgent.proc;
    expect(alive(oldNode)).toBe(false);
    const crash = l.trace({ since, node: 'n2', kinds: ['crash'] });
    expect(crash).toHaveLength(1);
    expect(crash[0]).toMatchObject({ node: 'n2', signal: 'SIGKILL' });
    // Dead once its agent's connection dropped, not when the deletion was accepted: what it sent
    // in between comes before its crash, in the trace and in true time.
    expect(sentAfterAccepted).toBeDefined();
    expect(crash[0].seq).toBeGreaterThan(sentAfterAccepted!.seq);
    expect(crash[0].trueMs).toBeGreaterThanOrEqual(sentAfterAccepted!.trueMs);
    // The kill's own exit is not an exit of the node's own.
    expect(l.trace({ since, node: 'n2', kinds: ['exit'] })).toEqual([]);

    // Revive at once, while the new agent may still be starting: the lab dials until it answers.
    await l.revive('n2');
    const fresh = await replaced!;
    expect(l.state('n2')).toBe('running');
    const health = await fresh.health();
    expect(health).toMatchObject({ ok: true, coordinator: true });
    expect(health.node).not.toBe(oldNode);
    expect(l.trace({ since, node: 'n2', kinds: ['node_start'] }).at(-1)).toMatchObject({ incarnation: 2 });
    expect((await l.rpc('n1', 'n2', 'ping', {}, 5_000)).result.outcome).toBe('ok');
    expect((await l.rpc('n2', 'n3', 'ping', {}, 5_000)).result.outcome).toBe('ok');
  }, BOUND_MS);

  it('with the real pod killer and an API that does not answer: one line naming the pod, and the node and the lab go on', async () => {
    const l = lab!;
    const port = await closedPort();
    killer = podKiller({
      pods: new Map([['n3', 'node-2']]),
      access: { apiUrl: `https://127.0.0.1:${port}`, ca: 'unused: no connection is made', namespace: 'faultline', token: () => 'token' },
      logger,
    });
    const before = (await agents[2].health()).node!;
    const since = l.lastSeq;
    let error: unknown;
    try {
      await l.kill('n3');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FaultlineError);
    expect((error as FaultlineError).code).toBe('failed');
    expect((error as FaultlineError).message).toBe(
      `could not ask the Kubernetes API at https://127.0.0.1:${port} to delete pod faultline/node-2 (connect ECONNREFUSED 127.0.0.1:${port}); n3 was not killed`,
    );
    expect(l.state('n3')).toBe('running');
    expect(alive(before)).toBe(true);
    expect(l.trace({ since, node: 'n3', kinds: ['crash', 'exit'] })).toEqual([]);
    expect((await l.rpc('n1', 'n3', 'ping', {}, 5_000)).result.outcome).toBe('ok');
    // And a kill may be tried again (here with the same answer).
    await expect(l.kill('n3')).rejects.toThrow(/n3 was not killed/);
  }, BOUND_MS);

  it('pauses and resumes by signals through the agent, as ever: the killer is for kill only', async () => {
    const l = lab!;
    const before = called.length;
    await l.pause('n1');
    expect(l.state('n1')).toBe('paused');
    await l.resume('n1');
    expect((await l.rpc('n1', 'n3', 'ping', {}, 5_000)).result.outcome).toBe('ok');
    expect(called.length).toBe(before);
  }, BOUND_MS);
});
