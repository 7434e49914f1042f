/**
 * How a node process starts and ends: bad flags, no coordinator, the coordinator closing the
 * control channel (every node exits by itself), SIGTERM. Every PID started here is checked gone.
 */
import net from 'node:net';
import { LAB_SECRET_ENV } from '@faultline/protocol/lab-secret';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BOUND_MS, FakeCoordinator, NODE, pidAlive } from './support/fake-coordinator.js';

let lab: FakeCoordinator | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

/** The lab's secret in the environment, as a lab gives it (`env: {}`: none). */
const LAB_ENV = { [LAB_SECRET_ENV]: 'test-secret' };

function run(args: string[], timeout = BOUND_MS, env: Record<string, string> = LAB_ENV) {
  return execa(NODE[0], [NODE[1], ...args], { reject: false, timeout, stdin: 'ignore', env, extendEnv: false });
}

/** A port nothing listens on (opened by the OS, then closed). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// These start their own short-lived processes and share nothing: they run side by side.
describe.concurrent('starting', () => {
  it.each<[string[], RegExp]>([
    [['--control', 'ws://127.0.0.1:1/'], /required option '--id <id>'/],
    [['--id', 'n1'], /required option '--control <url>'/],
    [['--id', 'node1', '--control', 'ws://127.0.0.1:1/'], /--id.*expected a node id like n1, got "node1"/],
    [['--id', 'n1', '--control', 'http://127.0.0.1:1/'], /--control.*expected a ws:\/\/ URL/],
    [['--id', 'n1', '--control', 'ws://127.0.0.1:1/', '--heartbeat-ms', 'often'], /--heartbeat-ms.*got "often"/],
    [['--id', 'n1', '--control', 'ws://127.0.0.1:1/', '--seed', '1.5'], /--seed.*expected an integer seed/],
    [['--id', 'n1', '--control', 'ws://127.0.0.1:1/', '--log-level', 'loud'], /--log-level.*got "loud"/],
    [['--id', 'n1', '--control', 'ws://127.0.0.1:1/', '--frobnicate'], /unknown option '--frobnicate'/],
    [['--id', 'n1', '--control', 'ws://127.0.0.1:1/', '--lab-nodes', 'n1,,n2'], /--lab-nodes.*expected node ids like n1,n2,n3, got "n1,,n2"/],
  ])('%j: exit 2 with one line', async (args, pattern) => {
    const r = await run(args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });

  it("without the lab's secret in its environment: exit 2 with one line", async () => {
    const r = await run(['--id', 'n1', '--control', 'ws://127.0.0.1:1/'], BOUND_MS, {});
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`expected the lab's secret in $${LAB_SECRET_ENV}`);
  });

  it('with no coordinator to dial, it gives up after 10 s and exits 1', async () => {
    const port = await freePort();
    const started = performance.now();
    const r = await run(['--id', 'n1', '--control', `ws://127.0.0.1:${port}/`]);
    const tookMs = performance.now() - started;
    expect(r.exitCode).toBe(1);
    expect(tookMs).toBeGreaterThanOrEqual(10_000);
    expect(r.stderr).toContain('could not open the control channel');
    expect(r.stdout).toBe('');
  }, 2 * BOUND_MS);

  it('SIGTERM while it is still dialing the coordinator: exit 0 at once', async () => {
    const port = await freePort();
    const child = execa(NODE[0], [NODE[1], '--id', 'n1', '--control', `ws://127.0.0.1:${port}/`, '--log-level', 'info'], { reject: false, timeout: BOUND_MS, stdin: 'ignore', buffer: false, env: LAB_ENV });
    try {
      await new Promise<void>((resolve) => child.stderr?.on('data', (b: Buffer) => b.toString().includes('starting') && resolve()));
      process.kill(child.pid!, 'SIGTERM');
      const r = await child;
      expect(r.exitCode).toBe(0);
      expect(pidAlive(child.pid!)).toBe(false);
    } finally {
      if (pidAlive(child.pid!)) process.kill(child.pid!, 'SIGKILL');
    }
  });

  it('--help lists every flag', async () => {
    const r = await run(['--help']);
    expect(r.exitCode).toBe(0);
    for (const flag of ['--id', '--control', '--heartbeat-ms', '--seed', '--log-level', '--lab-nodes']) expect(r.stdout).toContain(flag);
  });
});

describe('the end of a node', () => {
  it('when the coordinator closes the control channel, every node exits 0 by itself', async () => {
    lab = await FakeCoordinator.start();
    const nodes = await Promise.all(['n1', 'n2', 'n3'].map((id) => lab!.spawn(id, ['--heartbeat-ms', '50'])));
    await lab.connectAll(nodes);
    await lab.closeChannels(1000);
    const exits = await Promise.all(nodes.map((n) => n.exited));
    expect(exits.map((e) => e.exitCode)).toEqual([0, 0, 0]);
    for (const node of nodes) expect(pidAlive(node.pid)).toBe(false);
  });

  it.each(['an error close (1011)', 'a broken connection (no close handshake)'])('when the control channel ends with %s, every node exits 1 by itself', async (how) => {
    lab = await FakeCoordinator.start();
    const nodes = await Promise.all(['n1', 'n2'].map((id) => lab!.spawn(id)));
    if (how.startsWith('an error')) await lab.closeChannels(1011);
    else await lab.breakChannels();
    const exits = await Promise.all(nodes.map((n) => n.exited));
    expect(exits.map((e) => e.exitCode)).toEqual([1, 1]);
    for (const node of nodes) expect(pidAlive(node.pid)).toBe(false);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s it closes its sockets and exits 0', async (signal) => {
    lab = await FakeCoordinator.start();
    const nodes = await Promise.all(['n1', 'n2'].map((id) => lab!.spawn(id, ['--heartbeat-ms', '50'])));
    await lab.connectAll(nodes);
    process.kill(nodes[0].pid, signal);
    expect((await nodes[0].exited).exitCode).toBe(0);
    expect(pidAlive(nodes[0].pid)).toBe(false);
    // Its peer saw the link go down, and lives on.
    await lab.waitForTrace('n2', (t) => t.event.kind === 'peer_down' && t.event.peer === 'n1');
    expect((await lab.command('n2', { type: 'status' })).ok).toBe(true);
  });
});
