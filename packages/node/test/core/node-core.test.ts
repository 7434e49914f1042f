/**
 * The pure core, step by step, with time fed explicitly: what it sends, traces and replies.
 */
import { compare, compareHlc } from '@faultline/clock';
import { burstResultSchema, commandSchema, FaultlineError, nodeStatusSchema, nodeTraceEventSchema, rpcResultSchema, type RpcResult } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { BURST_STEP, NOT_SUPPORTED, type Behaviour } from '../../src/index.js';
import { Harness, SimNetwork, TRUE_EPOCH_MS } from '../support/core-harness.js';

function rpcResult(h: Harness, id: number): RpcResult {
  const reply = h.reply(id);
  expect(reply?.ok).toBe(true);
  return rpcResultSchema.parse(reply?.result);
}

describe('NodeCore: start, links, sends', () => {
  it('reports node_start first, stamped with every clock', () => {
    const h = new Harness('n3');
    h.step({ kind: 'start' });
    expect(h.traces()).toEqual([
      { kind: 'trace', event: { kind: 'node_start', pid: 4242, port: 5000, incarnation: 1 }, clocks: { trueMs: TRUE_EPOCH_MS, wallMs: TRUE_EPOCH_MS, lamport: 1, vc: { n3: 1 }, hlc: { wallMs: TRUE_EPOCH_MS, logical: 0 } } },
    ]);
    // A second start is nothing new.
    h.step({ kind: 'start' });
    expect(h.traces()).toHaveLength(1);
  });

  it('numbers its messages n1-1, n1-2 … in its first incarnation and n1.2-1 … once revived', () => {
    const ids = (incarnation?: number): string[] => {
      const h = new Harness('n1', { incarnation });
      h.up('n2');
      h.command({ type: 'send', to: 'n2', msgType: 'echo', body: {} });
      h.command({ type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 100, retries: 0 });
      expect(h.events()[0]).toMatchObject({ kind: 'node_start', incarnation: incarnation ?? 1 });
      return h.events().flatMap((e) => (e.kind === 'send' ? [e.msg] : []));
    };
    expect(ids()).toEqual(['n1-1', 'n1-2']);
    expect(ids(2)).toEqual(['n1.2-1', 'n1.2-2']);
    expect(ids(3)).toEqual(['n1.3-1', 'n1.3-2']);
  });

  it('traces peer_up / peer_down on changes only', () => {
    const h = new Harness();
    h.up('n2');
    h.up('n2');
    h.step({ kind: 'link', peer: 'n2', up: false });
    h.step({ kind: 'link', peer: 'n3', up: false });
    expect(h.events().map((e) => e.kind)).toEqual(['node_start', 'peer_up', 'peer_down']);
  });

  it('sends on an open link (stamped envelope, send event) and never queues for a down one (failed_send)', () => {
    const h = new Harness();
    h.up('n2');
    const sendId = h.command({ type: 'send', to: 'n2', msgType: 'echo', body: { a: 1 } });
    const failedId = h.command({ type: 'send', to: 'n3', msgType: 'echo', body: {} });
    const [envelope] = h.sent();
    expect(envelope).toMatchObject({ id: 'n1-1', from: 'n1', to: 'n2', type: 'echo', body: { a: 1 }, lamport: 3, vc: { n1: 3 }, sentWall: TRUE_EPOCH_MS });
    expect(h.sent()).toHaveLength(1);
    // the frame to write is the envelope's JSON, made once (its size is what the trace says)
    expect(h.effects.find((e) => e.kind === 'send')).toMatchObject({ text: JSON.stringify(envelope) });
    expect(h.reply(sendId)).toEqual({ kind: 'reply', id: sendId, ok: true, result: { msg: 'n1-1', sent: true } });
    expect(h.reply(failedId)).toEqual({ kind: 'reply', id: failedId, ok: true, result: { msg: 'n1-2', sent: false, reason: 'link to n3 is down' } });
    const [send, failed] = h.events().slice(2);
    expect(send).toEqual({ kind: 'send', to: 'n2', msg: 'n1-1', msgType: 'echo', size: JSON.stringify(envelope).length });
    expect(failed).toMatchObject({ kind: 'failed_send', to: 'n3', msg: 'n1-2', reason: 'link to n3 is down' });
    for (const event of h.events()) expect(nodeTraceEventSchema.safeParse(event).success).toBe(true);
  });

  it('burst: count ordinary sends in one step, each traced with strictly increasing clocks; failed when the link is down', () => {
    const h = new Harness();
    h.up('n2');
    const before = h.traces().length;
    const id = h.command(commandSchema.parse({ type: 'burst', to: 'n2', count: 50 }));
    expect(burstResultSchema.parse(h.reply(id)?.result)).toEqual({ sent: 50, failed: 0 });
    const sent = h.sent();
    expect(sent).toHaveLength(50);
    expect(new Set(sent.map((e) => e.id)).size).toBe(50);
    expect(sent.every((e) => e.type === 'burst' && e.to === 'n2')).toBe(true);
    const traces = h.traces().slice(before);
    expect(traces.map((t) => t.event.kind)).toEqual(Array(50).fill('send'));
    for (let i = 1; i < traces.length; i++) {
      const [a, b] = [traces[i - 1].clocks, traces[i].clocks];
      expect(b.lamport).toBe(a.lamport + 1);
      expect(compare(a.vc, b.vc)).toBe('before');
      expect(compareHlc(a.hlc, b.hlc)).toBeLessThan(0);
    }
    const down = h.command({ type: 'burst', to: 'n3', count: 3, msgType: 'load' });
    expect(h.reply(down)?.result).toEqual({ sent: 0, failed: 3 });
    expect(h.events().slice(-3).map((e) => e.kind)).toEqual(['failed_send', 'failed_send', 'failed_send']);
  });

  it(`burst: a long one goes on ${BURST_STEP} sends a step, woken at once, answered after the last; bursts queue`, () => {
    const h = new Harness();
    h.up('n2');
    const first = h.command({ type: 'burst', to: 'n2', count: BURST_STEP * 2 + 10, msgType: 'burst' });
    expect(h.sent()).toHaveLength(BURST_STEP);
    expect(h.reply(first)).toBeUndefined();
    expect(h.effects.at(-1)).toEqual({ kind: 'wake', atMonoMs: h.monoMs });
    // any step goes on with it (here the next command's), never more than BURST_STEP sends a step
    const second = h.command({ type: 'burst', to: 'n2', count: 5, msgType: 'load' });
    expect(h.sent()).toHaveLength(BURST_STEP * 2);
    expect(h.reply(first)).toBeUndefined();
    expect(h.reply(second)).toBeUndefined();
    h.step({ kind: 'tick' });
    expect(h.reply(first)?.result).toEqual({ sent: BURST_STEP * 2 + 10, failed: 0 });
    expect(h.reply(second)?.result).toEqual({ sent: 5, failed: 0 });
    expect(h.effects.at(-1)?.kind).not.toBe('wake');
    const sent = h.sent();
    expect(sent.map((e) => e.type)).toEqual([...new Array<string>(BURST_STEP * 2 + 10).fill('burst'), ...new Array<string>(5).fill('load')]);
    expect(sent.every((e, i) => i === 0 || e.lamport > sent[i - 1].lamport)).toBe(true);
    expect(new Set(sent.map((e) => e.id)).size).toBe(sent.length);
  });

  it('set_peers asks the shell for exactly those links, never one to itself', () => {
    const h = new Harness();
    const id = h.command({ type: 'set_peers', peers: { n1: 'ws://x/', n2: 'ws://127.0.0.1:1/', n10: 'ws://127.0.0.1:2/' } });
    expect(h.effects.filter((e) => e.kind === 'peers')).toEqual([{ kind: 'peers', peers: { n2: 'ws://127.0.0.1:1/', n10: 'ws://127.0.0.1:2/' } }]);
    expect(h.reply(id)).toMatchObject({ ok: true, result: { peers: ['n2', 'n10'] } });
    const status = nodeStatusSchema.parse(h.reply(h.command({ type: 'status' }))?.result);
    expect(status.peers).toEqual({ n2: { connected: false, lastHeartbeatAgoMs: null }, n10: { connected: false, lastHeartbeatAgoMs: null } });
  });
});

describe('NodeCore: receiving', () => {
  it('answers ping with pong and echo with echo_ok, merging the sender clocks first', () => {
    const h = new Harness();
    h.up('n2');
    h.deliver(h.envelope('n2', 'ping', { id: 'n2-7', lamport: 40, vc: { n2: 40, n3: 2 } }));
    h.deliver(h.envelope('n2', 'echo', { id: 'n2-8', body: { text: 'hi' } }));
    const [pong, echo] = h.sent();
    expect(pong).toMatchObject({ to: 'n2', type: 'pong', replyTo: 'n2-7', lamport: 42, vc: { n1: 4, n2: 40, n3: 2 } });
    expect(echo).toMatchObject({ to: 'n2', type: 'echo_ok', replyTo: 'n2-8', body: { text: 'hi' } });
    const receive = h.events().find((e) => e.kind === 'receive');
    expect(receive).toMatchObject({ from: 'n2', msg: 'n2-7', msgType: 'ping', sentWall: TRUE_EPOCH_MS });
  });

  it('answers a request nobody handles with a not-supported error, and ignores stray replies', () => {
    const h = new Harness();
    h.up('n2');
    h.deliver(h.envelope('n2', 'frobnicate', { id: 'n2-1' }));
    h.deliver(h.envelope('n2', 'pong', { id: 'n2-2', replyTo: 'n1-999' }));
    h.deliver(h.envelope('n2', 'error', { id: 'n2-3' }));
    expect(h.sent()).toHaveLength(1);
    expect(h.sent()[0]).toMatchObject({ type: 'error', replyTo: 'n2-1', body: { ...NOT_SUPPORTED } });
  });

  it('takes in a burst message without a reply: traced as a receive, nothing sent back', () => {
    const h = new Harness();
    h.up('n2');
    h.deliver(h.envelope('n2', 'burst', { id: 'n2-1' }));
    expect(h.events()).toContainEqual(expect.objectContaining({ kind: 'receive', from: 'n2', msg: 'n2-1', msgType: 'burst' }));
    expect(h.sent()).toEqual([]);
  });

  it('records heartbeats: status shows how long ago (monotonic) each peer was heard', () => {
    const h = new Harness();
    h.deliver(h.envelope('n2', 'heartbeat'));
    h.advance(250);
    const status = nodeStatusSchema.parse(h.reply(h.command({ type: 'status' }))?.result);
    expect(status.peers).toEqual({ n2: { connected: false, lastHeartbeatAgoMs: 250 } });
    expect(h.sent()).toEqual([]);
  });

  it('a message for another node, or with stamps the clocks reject, is malformed (an empty vc key: refused); no clock changes', () => {
    const h = new Harness();
    h.deliver(h.envelope('n2', 'ping', { to: 'n3' }));
    h.deliver(h.envelope('n2', 'ping', { hlc: { wallMs: -1, logical: 0 } }));
    h.deliver(h.envelope('n2', 'ping', { vc: { '': 3 } }));
    const events = h.events();
    expect(events.slice(1).map((e) => e.kind)).toEqual(['malformed', 'malformed', 'refused']);
    expect(events[1]).toEqual({ kind: 'malformed', source: 'peer', error: 'envelope.to: expected n1, got "n3"' });
    expect(h.traces().at(-1)?.clocks.vc).toEqual({ n1: 4 });
  });
});

describe('NodeCore: vector clock keys', () => {
  // Found by the node WebSocket fuzzer: a key that names no node was taken into the node's vector
  // clock and spread to every node; the trace then waited for that node's events on every line.
  it('a vector clock with a key that is not a node of the lab is refused and changes no clock', () => {
    const h = new Harness();
    h.deliver(h.envelope('n2', 'ping', { vc: { bogus: 1 } }));
    const events = h.events();
    const last = events.at(-1);
    expect(last).toMatchObject({ kind: 'refused', stage: 'envelope', from: 'n2' });
    expect(last?.kind === 'refused' && last.reason).toMatch(/^vc: key "bogus" is not a node of this lab \(/);
    expect(h.traces().at(-1)?.clocks.vc).toEqual({ n1: 2 });
  });
});

describe('NodeCore: heartbeats', () => {
  it('every interval, a heartbeat to each connected peer, and a wake-up asked for the next one', () => {
    const h = new Harness('n1', { heartbeatMs: 100 });
    const first = h.step({ kind: 'start' });
    expect(first.at(-1)).toEqual({ kind: 'wake', atMonoMs: 1_100 });
    h.up('n2', 'n3');
    h.advance(99);
    expect(h.sent()).toEqual([]);
    h.advance(1);
    expect(h.sent().map((e) => [e.to, e.type])).toEqual([
      ['n2', 'heartbeat'],
      ['n3', 'heartbeat'],
    ]);
    // Paused for 10 intervals: one beat on waking, not ten.
    h.advance(1_000);
    expect(h.sent()).toHaveLength(4);
    expect(h.effects.at(-1)).toEqual({ kind: 'wake', atMonoMs: 2_200 });
  });
});

describe('NodeCore: clocks', () => {
  it('set_clock and jump_clock move wall time (and the HLC physical input), not true time', () => {
    const h = new Harness();
    h.command({ type: 'set_clock', offsetMs: 5_000 });
    h.command({ type: 'jump_clock', deltaMs: -8_000 });
    const local = rpcLessStamp(h, h.command({ type: 'local', label: 'x' }));
    expect(local.trueMs).toBe(TRUE_EPOCH_MS);
    expect(local.wallMs).toBe(TRUE_EPOCH_MS - 3_000);
    // The HLC never goes back with the wall clock.
    expect(local.hlc.wallMs).toBe(TRUE_EPOCH_MS + 5_000);
    expect(h.events().filter((e) => e.kind === 'clock_change')).toEqual([
      { kind: 'clock_change', offsetMs: 5_000, driftPpm: 0 },
      { kind: 'clock_change', offsetMs: -3_000, driftPpm: 0, jumpMs: -8_000 },
    ]);
    const bad = h.reply(h.command({ type: 'set_clock', driftPpm: -1_000_000 }));
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/^set_clock: expected driftPpm above/) as unknown });
  });

  it('jumps add up only to ±1 day of offset: past it the jump is refused and nothing changes', () => {
    const h = new Harness();
    expect(h.reply(h.command({ type: 'jump_clock', deltaMs: 86_000_000 }))?.ok).toBe(true);
    const refused = h.reply(h.command({ type: 'jump_clock', deltaMs: 86_000_000 }));
    expect(refused).toMatchObject({ ok: false, error: 'jump_clock: expected the offset after the jump within ±1 day (±86400000 ms), got 172000000 ms' });
    expect(h.core.status().offsetMs).toBe(86_000_000);
    expect(h.reply(h.command({ type: 'jump_clock', deltaMs: -172_000_000 }))?.ok).toBe(true);
    expect(h.core.status().offsetMs).toBe(-86_000_000);
  });
});

function rpcLessStamp(h: Harness, id: number): { trueMs: number; wallMs: number; hlc: { wallMs: number } } {
  return h.reply(id)?.result as { trueMs: number; wallMs: number; hlc: { wallMs: number } };
}

describe('NodeCore: behaviours', () => {
  it('a behaviour registered by message type handles it, with wake-ups and the peer view', () => {
    const seen: string[] = [];
    const counter: Behaviour = {
      name: 'counter',
      messageTypes: ['add'],
      onMessage(ctx, message) {
        seen.push(`${message.from}:${String(message.body.delta)}@${ctx.monoMs}`);
        ctx.reply(message, 'add_ok', { peers: ctx.connectedPeers() });
      },
      wakeAtMs: () => (seen.length === 1 ? 5_000 : null),
      onWake(ctx) {
        ctx.local('counter woke');
        seen.push('woke');
      },
    };
    const h = new Harness('n1', { behaviours: [counter] });
    h.up('n2');
    h.deliver(h.envelope('n2', 'add', { body: { delta: 3 } }));
    expect(h.sent()[0]).toMatchObject({ type: 'add_ok', body: { peers: ['n2'] } });
    expect(h.effects.at(-1)).toEqual({ kind: 'wake', atMonoMs: 5_000 });
    h.advance(4_000);
    expect(seen).toEqual(['n2:3@1000', 'woke']);
    expect(h.events().at(-1)).toEqual({ kind: 'local', label: 'counter woke' });
  });

  it('two behaviours cannot claim one message type', () => {
    const twin: Behaviour = { name: 'twin', messageTypes: ['ping'] };
    expect(() => new Harness('n1', { behaviours: [twin] })).toThrow(FaultlineError);
    try {
      new Harness('n1', { behaviours: [twin] });
    } catch (err) {
      expect((err as FaultlineError).code).toBe('duplicate-handler');
    }
  });
});

describe('NodeCore: RPC', () => {
  it('a reply in time completes the call with outcome ok', () => {
    const h = new Harness();
    h.up('n2');
    const id = h.command({ type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 500, retries: 0 });
    const [request] = h.sent();
    expect(h.effects.at(-1)).toEqual({ kind: 'wake', atMonoMs: 1_500 });
    h.advance(120);
    h.deliver(h.envelope('n2', 'pong', { id: 'n2-1', replyTo: request.id }));
    expect(rpcResult(h, id)).toMatchObject({ outcome: 'ok', attempts: 1, requestIds: [request.id], elapsedMs: 120, reply: { id: 'n2-1', type: 'pong' } });
    h.advance(1_000);
    expect(h.events().filter((e) => e.kind === 'rpc_timeout')).toEqual([]);
  });

  it('retries with a new id after a timeout; a reply to the timed-out attempt is late and completes nothing', () => {
    const h = new Harness();
    h.up('n2');
    const id = h.command({ type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 500, retries: 1 });
    h.advance(500);
    const [first, second] = h.sent();
    expect(second.id).not.toBe(first.id);
    h.advance(100);
    h.deliver(h.envelope('n2', 'pong', { id: 'n2-1', replyTo: first.id }));
    expect(h.reply(id)).toBeUndefined();
    h.advance(400);
    expect(rpcResult(h, id)).toMatchObject({ outcome: 'timeout', attempts: 2, requestIds: [first.id, second.id], elapsedMs: 1_000 });
    const events = h.events().filter((e) => ['rpc_timeout', 'retry', 'late_reply'].includes(e.kind));
    expect(events).toEqual([
      { kind: 'rpc_timeout', to: 'n2', msg: first.id, msgType: 'ping', attempt: 1, timeoutMs: 500 },
      { kind: 'retry', to: 'n2', msg: second.id, retryOf: first.id, attempt: 2 },
      { kind: 'late_reply', from: 'n2', msg: 'n2-1', replyTo: first.id, lateByMs: 100 },
      { kind: 'rpc_timeout', to: 'n2', msg: second.id, msgType: 'ping', attempt: 2, timeoutMs: 500 },
    ]);
  });

  it('a reply that comes while the node was stalled past the deadline is late, even if it is read first', () => {
    const h = new Harness();
    h.up('n2');
    const id = h.command({ type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 500, retries: 0 });
    const [request] = h.sent();
    h.monoMs += 2_000;
    h.deliver(h.envelope('n2', 'pong', { replyTo: request.id }));
    expect(rpcResult(h, id).outcome).toBe('timeout');
    expect(h.events().at(-1)).toMatchObject({ kind: 'late_reply', lateByMs: 1_500 });
  });

  it('the link down: failed_send; retried when the attempt would have timed out; then outcome failed', () => {
    const h = new Harness();
    const id = h.command({ type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 300, retries: 1 });
    expect(h.reply(id)).toBeUndefined();
    h.advance(299);
    expect(h.events().filter((e) => e.kind === 'retry')).toEqual([]);
    h.advance(1);
    const result = rpcResult(h, id);
    expect(result).toMatchObject({ outcome: 'failed', attempts: 2, elapsedMs: 300, error: 'link to n2 is down' });
    expect(h.events().filter((e) => e.kind === 'failed_send').map((e) => e.msg)).toEqual(result.requestIds);
  });

  it('the link comes back between attempts: the retry goes out and can succeed', () => {
    const h = new Harness();
    const id = h.command({ type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 300, retries: 3 });
    h.up('n2');
    h.advance(300);
    const [request] = h.sent();
    h.deliver(h.envelope('n2', 'pong', { replyTo: request.id }));
    expect(rpcResult(h, id)).toMatchObject({ outcome: 'ok', attempts: 2 });
  });

  it('a reply from someone else than the callee does not complete the call', () => {
    const h = new Harness();
    h.up('n2');
    const id = h.command({ type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 300, retries: 0 });
    h.deliver(h.envelope('n3', 'pong', { replyTo: h.sent()[0].id }));
    expect(h.reply(id)).toBeUndefined();
  });
});

describe('NodeCore on a simulated network', () => {
  it('ping between three nodes: every rpc ok; each receive is causally after its send', () => {
    let seed = 1;
    const net = new SimNetwork(['n1', 'n2', 'n3'], () => ((seed = (seed * 16807) % 2147483647) / 2147483647));
    net.feed('n1', { kind: 'command', id: 1, command: { type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 1_000, retries: 0 } });
    net.feed('n3', { kind: 'command', id: 2, command: { type: 'rpc', to: 'n1', msgType: 'echo', body: { k: 'v' }, timeoutMs: 1_000, retries: 0 } });
    net.run(2_000);
    expect(rpcResult(net.node('n1'), 1).outcome).toBe('ok');
    expect(rpcResult(net.node('n3'), 2).reply?.body).toEqual({ k: 'v' });
    const stampOf = (node: string, kind: 'send' | 'receive', msg: string) => net.node(node).traces().find((t) => t.event.kind === kind && t.event.msg === msg)!.clocks;
    for (const envelope of net.delivered) {
      const sent = stampOf(envelope.from, 'send', envelope.id);
      const received = stampOf(envelope.to, 'receive', envelope.id);
      expect(compare(sent.vc, received.vc)).toBe('before');
      expect(received.lamport).toBeGreaterThan(sent.lamport);
      expect(compareHlc(sent.hlc, received.hlc)).toBe(-1);
    }
  });

  it('a cut link: the request is lost, the call times out', () => {
    const net = new SimNetwork(['n1', 'n2'], () => 0.5);
    net.cut.add('n1-n2');
    net.feed('n1', { kind: 'command', id: 1, command: { type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 200, retries: 2 } });
    net.run(1_000);
    expect(rpcResult(net.node('n1'), 1)).toMatchObject({ outcome: 'timeout', attempts: 3, elapsedMs: 600 });
  });
});
