/**
 * The classroom's lab in Docker, for real: the repository's own Dockerfile built, its
 * docker-compose.yml brought up (a container per node, the proxy, the coordinator), and the CLI on
 * this machine driving it through the one published 127.0.0.1 port exactly as it drives a local
 * lab: status, rpc, kill, revive, pause, resume, partition, heal, and a lesson (`lesson run --lab`).
 * Then `down`, and nothing of the project is left: no container, no network, no volume.
 *
 * Needs a Docker engine and Compose (`docker-compose`, or `docker compose`). .ci/run starts one
 * (.ci/docker-setup: Debian's engine, the base image made offline). Without one, the whole file is
 * reported as skipped with the reason, never passed.
 */
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { labStatusSchema, rpcResponseSchema, type LabStatus } from '@faultline/protocol';
import { execa, execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, CLI_ENV } from './support/cli-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROJECT = `faultline-test-${process.pid}`;
/** A build on a cold machine installs the workspace: minutes, not seconds. */
const BUILD_MS = 600_000;
const STEP_MS = 60_000;

/** The Compose command here (v2 plugin or v1), or why there is none. */
function findCompose(): { cmd: string[] } | { why: string } {
  const info = execaSync('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: 20_000 });
  if (info.failed) return { why: `no Docker engine answers (docker info: ${String(info.stderr || info.message).split('\n')[0]})` };
  if (!execaSync('docker', ['compose', 'version'], { reject: false, timeout: 20_000 }).failed) return { cmd: ['docker', 'compose'] };
  if (!execaSync('docker-compose', ['version'], { reject: false, timeout: 20_000 }).failed) return { cmd: ['docker-compose'] };
  return { why: 'no Docker Compose (neither `docker compose` nor `docker-compose`)' };
}

const compose = findCompose();
const skipped = 'why' in compose ? compose.why : undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let port = 0;
let labUrl = '';
const env = (): Record<string, string> => ({
  FAULTLINE_PORT: String(port),
  FAULTLINE_SEED: '7',
  // CI reaches the npm registry from the host's network only (see .ci/docker-setup).
  ...(process.env.FAULTLINE_BUILD_NETWORK ? { FAULTLINE_BUILD_NETWORK: process.env.FAULTLINE_BUILD_NETWORK } : {}),
});

function dc(args: string[], timeout = STEP_MS) {
  const [file, ...pre] = (compose as { cmd: string[] }).cmd;
  return execa(file, [...pre, '-p', PROJECT, ...args], { cwd: ROOT, reject: false, timeout, env: env() });
}

function faultline(...args: string[]) {
  return execa(process.execPath, [...CLI, ...args, '--lab', labUrl], { cwd: ROOT, reject: false, timeout: STEP_MS, env: CLI_ENV });
}

/** The lab's status straight from its API (the CLI's own `status` is run once, in the first test). */
async function status(): Promise<LabStatus> {
  const res = await fetch(`${labUrl}/status`, { signal: AbortSignal.timeout(STEP_MS) });
  expect(res.status).toBe(200);
  return labStatusSchema.parse(await res.json());
}

/** The outcome of an `rpc --json`: what the caller saw. */
const outcomeOf = (stdout: string): string => rpcResponseSchema.parse(JSON.parse(stdout)).result.outcome;

const stateOf = (s: LabStatus, id: string): string | undefined => s.nodes.find((n) => n.id === id)?.state;

/** What is left of the project: containers (any state), networks, volumes. */
async function leftovers(): Promise<string[]> {
  const label = `label=com.docker.compose.project=${PROJECT}`;
  const found = await Promise.all([
    execa('docker', ['ps', '-a', '-q', '--filter', label], { reject: false }),
    execa('docker', ['network', 'ls', '-q', '--filter', label], { reject: false }),
    execa('docker', ['volume', 'ls', '-q', '--filter', label], { reject: false }),
  ]);
  return found.flatMap((r, i) => r.stdout.split('\n').filter(Boolean).map((id) => `${['container', 'network', 'volume'][i]} ${id}`));
}

describe.skipIf(skipped !== undefined)(`the lab in Docker${skipped ? ` (skipped: ${skipped})` : ''}`, () => {
  let up = false;

  beforeAll(async () => {
    port = await freePort();
    labUrl = `http://127.0.0.1:${port}`;
    const built = await dc(['build'], BUILD_MS);
    expect(built.exitCode, built.stderr.slice(-2000)).toBe(0);
    const started = await dc(['up', '-d'], STEP_MS * 2);
    up = true;
    expect(started.exitCode, started.stderr.slice(-2000)).toBe(0);
    // The coordinator answers once every node is up and every link connected (its start-up).
    const deadline = performance.now() + STEP_MS * 2;
    for (;;) {
      // Bounded: a connection to the published port can be held open before the coordinator listens.
      const answer: unknown = await fetch(`${labUrl}/status`, { signal: AbortSignal.timeout(2_000) }).then((r) => (r.ok ? r.json() : undefined), () => undefined);
      if (answer !== undefined) break;
      if (performance.now() > deadline) throw new Error(`the lab did not answer at ${labUrl} in time:\n${(await dc(['logs', '--tail', '40'])).stdout}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, BUILD_MS + STEP_MS * 4);

  afterAll(async () => {
    if (up) await dc(['down', '-v', '--remove-orphans', '--timeout', '10'], STEP_MS * 2);
  }, STEP_MS * 3);

  it('runs five nodes, each in a container of its own, behind the proxy', async () => {
    const r = await faultline('status', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const s = labStatusSchema.parse(JSON.parse(r.stdout));
    expect(s.nodes.map((n) => n.id)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    for (const n of s.nodes) expect(n.state).toBe('running');
    const ps = await dc(['ps', '-q']);
    // five nodes, the proxy, the coordinator
    expect(ps.stdout.split('\n').filter(Boolean)).toHaveLength(7);
    const host = await dc(['exec', '-T', 'n3', 'hostname']);
    expect(host.stdout.trim()).toBe('n3');
  });

  it('carries a call from n1 to n2 through the proxy container', async () => {
    const r = await faultline('rpc', 'n1', 'n2', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(outcomeOf(r.stdout)).toBe('ok');
  });

  it('kills and revives a node in its container, and pauses and resumes another', async () => {
    const pidBefore = (await status()).nodes.find((n) => n.id === 'n2')?.pid;
    expect((await faultline('kill', 'n2')).exitCode).toBe(0);
    expect(stateOf(await status(), 'n2')).toBe('killed');
    expect((await faultline('revive', 'n2')).exitCode).toBe(0);
    const revived = await status();
    expect(stateOf(revived, 'n2')).toBe('running');
    expect(revived.nodes.find((n) => n.id === 'n2')?.pid).not.toBe(pidBefore);
    const call = await faultline('rpc', 'n1', 'n2', '--json');
    expect(outcomeOf(call.stdout)).toBe('ok');
    expect((await faultline('pause', 'n3')).exitCode).toBe(0);
    expect(stateOf(await status(), 'n3')).toBe('paused');
    expect((await faultline('resume', 'n3')).exitCode).toBe(0);
    expect(stateOf(await status(), 'n3')).toBe('running');
  });

  it('partitions and heals: a call across the cut hears nothing, after the heal it gets its reply', async () => {
    const partitioned = await faultline('partition', 'n1', 'n2,n3');
    expect(partitioned.exitCode).toBe(0);
    // n4 and n5, named by nobody, are a group of their own: the output says so.
    expect(partitioned.stdout).toContain('partitioned: {n1} | {n2 n3} | {n4 n5};');
    const cut = await faultline('rpc', 'n1', 'n2', '--timeout', '300ms', '--json');
    expect(outcomeOf(cut.stdout)).toBe('timeout');
    expect((await faultline('heal')).exitCode).toBe(0);
    const healed = await faultline('rpc', 'n1', 'n2', '--json');
    expect(outcomeOf(healed.stdout)).toBe('ok');
  });

  it('runs a lesson on the lab in Docker, unchanged, and gives its verdict', async () => {
    const r = await faultline('lesson', 'run', 'clock-sync', '--no-pause', '--predict', '2', '--json');
    const view = JSON.parse(r.stdout) as { state: string; report?: { passed: boolean; checks: { name: string; held: boolean }[] } };
    expect(view.state, r.stderr).toBe('done');
    expect(view.report?.checks.map((c) => c.name)).toEqual(['symmetric', 'one-way']);
    expect(view.report?.passed, JSON.stringify(view.report?.checks)).toBe(true);
    expect(r.exitCode).toBe(0);
  });

  it('comes down leaving no container, network or volume of the project', async () => {
    const down = await dc(['down', '-v', '--remove-orphans', '--timeout', '10'], STEP_MS * 2);
    expect(down.exitCode, down.stderr).toBe(0);
    up = false;
    expect(await leftovers()).toEqual([]);
  }, STEP_MS * 2);
});
