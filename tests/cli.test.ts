/**
 * The `faultline` command as a student uses it: `up` in one process, the other commands from
 * another, all real processes (proxy, nodes, CLI). Leaves no process and no lab file behind.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labStatusSchema, rpcResponseSchema, traceLineSchema } from '@faultline/protocol';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive } from './support/processes.js';
import { expectCausalTrace } from './support/trace-order.js';
import { CLI, CLI_ENV } from './support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
let up: ResultPromise;
let upOut = '';

function faultline(...args: string[]) {
  return execa(process.execPath, [...CLI, ...args], { cwd: dir, reject: false, timeout: 30_000, env: CLI_ENV });
}


beforeAll(async () => {
  up = execa(process.execPath, [...CLI, 'up', '--nodes', '3', '--seed', '42'], { cwd: dir, reject: false, buffer: false, env: CLI_ENV });
  up.stdout?.on('data', (b: Buffer) => (upOut += b.toString()));
  const deadline = Date.now() + 40_000;
  while (!existsSync(join(dir, '.faultline', 'lab.json'))) {
    if (Date.now() > deadline) throw new Error(`faultline up did not come up: ${upOut}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);

afterAll(async () => {
  if (up.pid && alive(up.pid)) up.kill('SIGTERM');
  await up;
  rmSync(dir, { recursive: true, force: true });
});

describe('faultline, from a second terminal', () => {
  it('status --json lists three running nodes and six links', async () => {
    const r = await faultline('status', '--json');
    expect(r.exitCode).toBe(0);
    const status = labStatusSchema.parse(JSON.parse(r.stdout));
    expect(status.seed).toBe('42');
    expect(status.nodes.map((n) => [n.id, n.state])).toEqual([['n1', 'running'], ['n2', 'running'], ['n3', 'running']]);
    expect(status.links).toHaveLength(6);
    expect(upOut).toContain('faultline: 3 nodes up in');
  });

  it('dashboard: up printed its address, and the page answers there', async () => {
    const printed = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(upOut)?.[1];
    expect(printed, upOut).toBeDefined();
    const r = await faultline('dashboard', '--no-open', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const { url } = JSON.parse(r.stdout) as { url: string };
    expect(url).toBe(printed);
    const page = await fetch(url);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<canvas id="diagram">');
    // Another origin is refused, page or API.
    expect((await fetch(`${url}status`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('rpc shows what the caller saw and what really happened; a partition makes it time out', async () => {
    const ok = rpcResponseSchema.parse(JSON.parse((await faultline('rpc', 'n1', 'n2', '--json')).stdout));
    expect(ok.result.outcome).toBe('ok');
    expect(ok.trace.map((l) => l.kind)).toEqual(expect.arrayContaining(['send', 'receive']));
    expect((await faultline('partition', 'n1', 'n2,n3')).exitCode).toBe(0);
    const cut = await faultline('rpc', 'n1', 'n3', '--timeout', '300ms');
    expect(cut.exitCode).toBe(0);
    expect(cut.stdout).toContain('n1 saw: heard nothing in time');
    // The ambiguity lens beside it: what really happened to the request.
    expect(cut.stdout).toMatch(/attempt 1: n1 saw no reply within 300ms; request never arrived: the link n1→n3 was cut \(partition n1 n2,n3\)/);
    expect((await faultline('heal')).exitCode).toBe(0);
  });

  it('kill and revive change the node and its pid; the trace says so', async () => {
    const before = labStatusSchema.parse(JSON.parse((await faultline('status', '--json')).stdout));
    const pid = before.nodes[1].pid!;
    expect((await faultline('kill', 'n2')).stdout).toContain('n2 killed (SIGKILL)');
    expect(alive(pid)).toBe(false);
    expect((await faultline('revive', 'n2')).exitCode).toBe(0);
    const after = labStatusSchema.parse(JSON.parse((await faultline('status', '--json')).stdout));
    expect(after.nodes[1].pid).not.toBe(pid);
    const trace = (await faultline('trace', '--json', '--last', '400')).stdout.trim().split('\n').map((l) => traceLineSchema.parse(JSON.parse(l)));
    expect(trace.some((l) => l.kind === 'crash' && l.node === 'n2')).toBe(true);
    expect(trace.some((l) => l.kind === 'revive' && l.node === 'n2')).toBe(true);
  });

  it('link faults, clocks, diagram and order work from the command line', async () => {
    expect((await faultline('link', 'n1', 'n3', '--latency', '100ms')).exitCode).toBe(0);
    const slow = rpcResponseSchema.parse(JSON.parse((await faultline('rpc', 'n1', 'n3', '--json')).stdout));
    expect(slow.result.elapsedMs).toBeGreaterThanOrEqual(99);
    expect((await faultline('link', 'clear', 'n1', 'n3')).exitCode).toBe(0);
    expect((await faultline('clock', 'n3', '--offset', '+2s')).stdout).toContain('n3 clock: offset +2s');
    const diagram = await faultline('diagram', '--last', '10');
    expect(diagram.stdout.split('\n')[0].trim()).toBe('n1          n2          n3');
    const rpc = rpcResponseSchema.parse(JSON.parse((await faultline('rpc', 'n1', 'n2', '--json')).stdout));
    const send = rpc.trace.find((l) => l.kind === 'send')!;
    const receive = rpc.trace.find((l) => l.kind === 'receive' && l.node === 'n2')!;
    const order = JSON.parse((await faultline('order', String(send.seq), String(receive.seq), '--json')).stdout) as { order: string };
    expect(order.order).toBe('before');
  });

  it('behaviour and invoke: a register on every node, a client writes on n1 and reads on n3; bad requests are one line', async () => {
    for (const n of ['n1', 'n2', 'n3']) {
      const started = await faultline('behaviour', n, 'register', 'resolution=lamport');
      expect(started.exitCode, started.stderr).toBe(0);
      expect(started.stdout).toContain(`${n} runs register (resolution=lamport)`);
    }
    const wrote = await faultline('invoke', 'n1', 'write', 'key=x', 'value=hello');
    expect(wrote.exitCode, wrote.stderr).toBe(0);
    expect(wrote.stdout).toMatch(/^n1 wrote "x" = "hello": write n1\/w1, kept$/m);
    const { answer } = JSON.parse((await faultline('invoke', 'n1', 'write', 'key=y', 'value=42', '--json')).stdout) as { answer: { id: string; kept: boolean; stamp: { lamport: number } } };
    expect(answer).toMatchObject({ id: 'n1/w2', kept: true });
    expect(answer.stamp.lamport).toBeGreaterThan(0);
    // n3 has the write once its trace shows the decision (the gossip is a message like any other).
    for (let tries = 0; ; tries++) {
      const out = (await faultline('trace', '--node', 'n3', '--last', '500', '--json')).stdout.trim();
      const lines = out === '' ? [] : out.split('\n').map((l) => JSON.parse(l) as { kind: string; key?: string });
      if (lines.some((l) => l.kind === 'state' && l.key === 'apply')) break;
      expect(tries, 'n3 never applied the write').toBeLessThan(50);
    }
    const read = await faultline('invoke', 'n3', 'read', 'key=x');
    expect(read.stdout.trim()).toBe('n3 holds "x" = "hello"');
    for (const [args, want] of [
      [['invoke', 'n1', 'write', 'value=1'], /^faultline: n1 refused invoke: write\.key: expected string, got nothing$/],
      [['invoke', 'n1', 'frobnicate'], /^faultline: n1 refused invoke: n1 takes no client request of type "frobnicate" \(no behaviour here handles it\)$/],
      [['invoke', 'n1', 'read', 'key'], /^faultline: expected FIELD=VALUE like key=x, got "key"$/],
      [['behaviour', 'n1', 'register', 'resolutoin=vector'], /^faultline: behaviour\.resolutoin: unknown field$/],
      [['behaviour', 'n1', 'kv', 'mode=quorm'], /^faultline: behaviour\.mode: Invalid option: expected one of "single"\|"primary-backup"\|"quorum", got "quorm"$/],
      [['behaviour', 'n1', 'register'], /^faultline: n1 refused start_behaviour: this node already runs register \(one of a kind a node; start a new lab to change its settings\)$/],
      [['behaviour', 'n1', 'raft'], /^faultline: expected a behaviour \(service, counter, log, register, sync, kv, detector, leader\), got "raft"$/],
      [['behaviour', 'n2', 'sync', 'server=n9'], /^faultline: behaviour\.server: n9 is not a node of this lab \(n1, n2, n3\)$/],
      [['behaviour', 'n2', 'sync', 'server=n2'], /^faultline: behaviour\.server: n2 cannot be its own time server$/],
      [['order', '1', '2', '--trace', join(dir, 'no-such-trace.ndjson')], /^faultline: --trace .*no-such-trace\.ndjson: no such file$/],
    ] as const) {
      const r = await faultline(...args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trim(), args.join(' ')).toMatch(want);
    }
  }, 120_000); // about fifteen commands, each a new Node.js process: slow on a loaded machine

  it('link clear A B --both clears both directions', async () => {
    const faulty = async (): Promise<string[]> => labStatusSchema.parse(JSON.parse((await faultline('status', '--json')).stdout)).links.filter((l) => l.faults.length > 0).map((l) => l.name);
    expect((await faultline('link', 'n1', 'n2', '--latency', '50ms', '--both')).exitCode).toBe(0);
    expect(await faulty()).toEqual(['n1-n2', 'n2-n1']);
    const cleared = await faultline('link', 'clear', 'n1', 'n2', '--both');
    expect(cleared.exitCode, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain('link n1 → n2 (and back): faults cleared');
    expect(await faulty()).toEqual([]);
  });

  it('bad usage is one line and exit 2', async () => {
    for (const args of [['kill', 'n9'], ['link', 'n1', 'n2', '--latency', 'fast'], ['clock', 'n1'], ['clock', 'n1', '--offset', '+99999999999999999999s'], ['clock', 'n1', '--drift', '2000000ppm'], ['partition', 'n1,x'], ['frobnicate']]) {
      const r = await faultline(...args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(args[0] === 'frobnicate' ? 2 : 1);
    }
  });

  it('down stops the lab: the up process exits, its children are gone, the lab file too', async () => {
    const status = labStatusSchema.parse(JSON.parse((await faultline('status', '--json')).stdout));
    const pids = status.nodes.map((n) => n.pid!);
    expect((await faultline('down')).exitCode).toBe(0);
    const result = await up;
    expect(result.exitCode).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(existsSync(join(dir, '.faultline', 'lab.json'))).toBe(false);
    expect(readFileSync(join(status.runDir, 'trace.ndjson'), 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(10);
    expect((await faultline('status')).exitCode).toBe(1);
    expectCausalTrace(join(status.runDir, 'trace.ndjson'));
  });
});
