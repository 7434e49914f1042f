/**
 * Real `faultline-node` processes and a fake coordinator: hello, peer links, heartbeats, RPC.
 * Peers point straight at each other's servers (no proxy).
 */
import { compare } from '@faultline/clock';
import { nodeStatusSchema, rpcResultSchema } from '@faultline/protocol';
import { envelopeSchema } from '@faultline/protocol';
import { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { BOUND_MS, FakeCoordinator } from './support/fake-coordinator.js';

let lab: FakeCoordinator | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe('faultline-node with its peers', () => {
  it('says hello with its pid and port, then reports node_start with its clocks', async () => {
    lab = await FakeCoordinator.start();
    const n1 = await lab.spawn('n1');
    expect(n1.pid).toBeGreaterThan(0);
    expect(n1.port).toBeGreaterThan(0);
    const start = await lab.waitForTrace('n1', (t) => t.event.kind === 'node_start');
    expect(start.event).toEqual({ kind: 'node_start', pid: n1.pid, port: n1.port, incarnation: 1 });
    expect(Math.abs(start.clocks.trueMs - Date.now())).toBeLessThan(10_000);
    expect(start.clocks.lamport).toBe(1);
    expect(start.clocks.vc).toEqual({ n1: 1 });
    const status = await lab.command('n1', { type: 'status' });
    expect(status.ok).toBe(true);
    const parsed = nodeStatusSchema.parse(status.result);
    expect(parsed).toMatchObject({ node: 'n1', pid: n1.pid, offsetMs: 0, driftPpm: 0, peers: {} });
    expect(lab.violations).toEqual([]);
  });

  it('connects to its peers (peer_up), sends and receives heartbeats', async () => {
    lab = await FakeCoordinator.start();
    const nodes = await Promise.all(['n1', 'n2', 'n3'].map((id) => lab!.spawn(id, ['--heartbeat-ms', '100'])));
    await lab.connectAll(nodes);
    for (const node of ['n1', 'n2', 'n3']) {
      await lab.waitForTrace(node, (t) => t.event.kind === 'send' && t.event.msgType === 'heartbeat');
      await lab.waitForTrace(node, (t) => t.event.kind === 'receive' && t.event.msgType === 'heartbeat');
    }
    const heard = lab.events('n1', 'receive').filter((e) => e.msgType === 'heartbeat').map((e) => e.from);
    await lab.until(() => new Set(lab!.events('n1', 'receive').filter((e) => e.msgType === 'heartbeat').map((e) => e.from)).size === 2, BOUND_MS, 'heartbeats from n2 and n3');
    expect(heard.every((from) => from === 'n2' || from === 'n3')).toBe(true);
    const status = nodeStatusSchema.parse((await lab.command('n1', { type: 'status' })).result);
    expect(Object.keys(status.peers)).toEqual(['n2', 'n3']);
    for (const peer of Object.values(status.peers)) {
      expect(peer.connected).toBe(true);
      expect(peer.lastHeartbeatAgoMs).not.toBeNull();
      expect(peer.lastHeartbeatAgoMs!).toBeLessThan(2_000);
    }
    expect(lab.violations).toEqual([]);
  });

  it('an rpc ping n1 → n2 comes back ok with a pong, and the trace shows the four events in causal order', async () => {
    lab = await FakeCoordinator.start();
    const nodes = await Promise.all(['n1', 'n2'].map((id) => lab!.spawn(id, ['--heartbeat-ms', '0'])));
    await lab.connectAll(nodes);
    const reply = await lab.command('n1', { type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 2_000, retries: 0 });
    expect(reply.ok).toBe(true);
    const result = rpcResultSchema.parse(reply.result);
    expect(result).toMatchObject({ outcome: 'ok', attempts: 1 });
    expect(result.requestIds).toHaveLength(1);
    const [request] = result.requestIds;
    expect(request).toMatch(/^n1-[0-9]+$/);
    expect(result.reply).toMatchObject({ from: 'n2', to: 'n1', type: 'pong', replyTo: request });

    const sent = await lab.waitForTrace('n1', (t) => t.event.kind === 'send' && t.event.msg === request);
    const received = await lab.waitForTrace('n2', (t) => t.event.kind === 'receive' && t.event.msg === request);
    const answered = await lab.waitForTrace('n2', (t) => t.event.kind === 'send' && t.event.replyTo === request);
    const back = await lab.waitForTrace('n1', (t) => t.event.kind === 'receive' && t.event.replyTo === request);
    const chain = [sent, received, answered, back];
    for (let i = 1; i < chain.length; i++) {
      expect(chain[i].clocks.lamport).toBeGreaterThan(chain[i - 1].clocks.lamport);
      expect(compare(chain[i - 1].clocks.vc, chain[i].clocks.vc)).toBe('before');
    }
    expect(received.event).toMatchObject({ kind: 'receive', from: 'n1', msgType: 'ping', sentWall: sent.clocks.wallMs });

    const echo = await lab.command('n1', { type: 'rpc', to: 'n2', msgType: 'echo', body: { text: 'hi', n: 3 }, timeoutMs: 2_000, retries: 0 });
    expect(rpcResultSchema.parse(echo.result).reply).toMatchObject({ type: 'echo_ok', body: { text: 'hi', n: 3 } });

    const unknown = await lab.command('n1', { type: 'rpc', to: 'n2', msgType: 'frobnicate', body: {}, timeoutMs: 2_000, retries: 0 });
    expect(rpcResultSchema.parse(unknown.result).reply).toMatchObject({ type: 'error', body: { code: 10 } });

    const send = await lab.command('n2', { type: 'send', to: 'n1', msgType: 'echo', body: { x: 1 } });
    expect(send).toMatchObject({ ok: true, result: { sent: true } });
    expect(lab.violations).toEqual([]);
  });

  it('set_peers with a new URL for a peer replaces that link: peer_down, then peer_up on the new one', async () => {
    lab = await FakeCoordinator.start();
    const nodes = await Promise.all(['n1', 'n2'].map((id) => lab!.spawn(id, ['--heartbeat-ms', '0'])));
    await lab.connectAll(nodes);
    // A stand-in for a new proxy of the link n1 → n2: it records what arrives.
    const tap = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    try {
      await new Promise<void>((resolve) => tap.once('listening', resolve));
      const frames: string[] = [];
      tap.on('connection', (ws) => ws.on('message', (data: Buffer) => frames.push(data.toString('utf8'))));
      const { port } = tap.address() as { port: number };
      await lab.command('n1', { type: 'set_peers', peers: { n2: `ws://127.0.0.1:${port}/` } });
      await lab.waitForTrace('n1', (t) => t.event.kind === 'peer_down' && t.event.peer === 'n2');
      await lab.until(() => lab!.events('n1', 'peer_up').length === 2, BOUND_MS, 'peer_up on the new link');
      expect(lab.events('n1', 'peer_up').map((e) => e.peer)).toEqual(['n2', 'n2']);
      const send = await lab.command('n1', { type: 'send', to: 'n2', msgType: 'echo', body: { via: 'tap' } });
      expect(send).toMatchObject({ ok: true, result: { sent: true } });
      await lab.until(() => frames.length === 1, BOUND_MS, 'the message at the new link');
      expect(envelopeSchema.parse(JSON.parse(frames[0]))).toMatchObject({ from: 'n1', to: 'n2', type: 'echo', body: { via: 'tap' } });
      expect(lab.events('n2', 'receive').filter((e) => e.msgType === 'echo')).toEqual([]);
    } finally {
      for (const ws of tap.clients) ws.terminate();
      await new Promise<void>((resolve) => tap.close(() => resolve()));
    }
  });
});
