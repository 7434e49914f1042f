import { describe, expect, it } from 'vitest';
import { BOUND_MS, expectSilence, heardAfter } from './support/heard.js';
import { received, useLab } from './support/lab.js';

/** Long enough for a request and its reply on a loaded machine: the RPCs whose whole story is checked. */
const STORY_MS = 2_000;

describe('faults on links and clocks', () => {
  const theLab = useLab();

  it('a partition cuts exactly the links between groups, silently for the sender (the proxy traces each message it swallows); a block cuts one direction; heal ends both', async () => {
    const lab = theLab();
    const cut = await lab.partition([['n1']]);
    expect(cut.map((l) => l.name)).toEqual(['n1-n2', 'n1-n3', 'n2-n1', 'n3-n1']);
    const fault = lab.trace({ kinds: ['fault'] }).at(-1)!;
    expect(fault).toMatchObject({ action: 'set', fault: 'partition n1 n2,n3', links: ['n1-n2', 'n1-n3', 'n2-n1', 'n3-n1'] });
    expect((await lab.status()).links.filter((l) => l.faults.includes('cut')).map((l) => l.name)).toEqual(['n1-n2', 'n1-n3', 'n2-n1', 'n3-n1']);

    // Across the partition the sender cannot tell: the request goes out, nothing comes back.
    const across = await lab.rpc('n1', 'n2', 'ping', {}, 300);
    expect(across.result.outcome).toBe('timeout');
    // The partition that cut the link is part of the story.
    expect(across.trace.map((l) => `${l.node ?? 'lab'} ${l.kind}`)).toEqual(['lab fault', 'n1 send', 'n1 proxy', 'n1 rpc_timeout']);
    expect(across.trace[0]).toMatchObject({ fault: 'partition n1 n2,n3' });
    // The request has a line of its own that tells where it went: into the cut.
    expect(across.trace[2]).toMatchObject({ kind: 'proxy', action: 'dropped', reason: 'cut', link: 'n1-n2', msg: across.result.requestIds[0] });
    expect((await lab.rpc('n3', 'n1', 'ping', {}, 300)).result.outcome).toBe('timeout');
    // Inside a group everything works.
    expect((await lab.rpc('n2', 'n3')).result.outcome).toBe('ok');
    expect((await lab.rpc('n3', 'n2')).result.outcome).toBe('ok');
    // Heartbeats flow inside a group (n2 hears n3), never across (n1 and n2 hear nothing of each other).
    await expectSilence(lab, 'n1', 'n2', fault, ['n2', 'n3']);
    await expectSilence(lab, 'n2', 'n1', fault, ['n2', 'n3']);

    const healed = await lab.heal();
    expect(healed.map((l) => l.name).sort()).toEqual(['n1-n2', 'n1-n3', 'n2-n1', 'n3-n1']);
    expect(lab.trace({ kinds: ['fault'] }).at(-1)).toMatchObject({ action: 'clear', fault: 'heal' });
    expect((await lab.rpc('n1', 'n2')).result.outcome).toBe('ok');
    expect((await lab.rpc('n3', 'n1')).result.outcome).toBe('ok');

    // A block cuts n1 → n2 only: n2's messages still reach n1, n1's never reach n2.
    await lab.block('n1', 'n2');
    const block = lab.trace({ kinds: ['fault'] }).at(-1)!;
    expect(block).toMatchObject({ action: 'set', fault: 'block n1 n2', links: ['n1-n2'] });
    const back = await lab.rpc('n2', 'n1', 'ping', {}, STORY_MS);
    // n1 gets the ping; its pong travels n1 → n2 and vanishes.
    expect(back.result.outcome).toBe('timeout');
    expect(back.trace.map((l) => `${l.node ?? 'lab'} ${l.kind}`)).toEqual(['lab fault', 'n2 send', 'n1 receive', 'n1 send', 'n1 proxy', 'n2 rpc_timeout']);
    expect(back.trace[4]).toMatchObject({ action: 'dropped', reason: 'cut', link: 'n1-n2' });
    expect((await lab.rpc('n1', 'n3')).result.outcome).toBe('ok');
    await heardAfter(lab, 'n1', 'n2', block);
    await expectSilence(lab, 'n2', 'n1', block, ['n2', 'n3']);
    expect((await lab.status()).links.filter((l) => l.faults.length > 0).map((l) => `${l.name} ${l.faults.join()}`)).toEqual(['n1-n2 cut']);

    await lab.heal();
    expect((await lab.rpc('n2', 'n1')).result.outcome).toBe('ok');
  });

  it('drop 100% shows the proxy dropping requests and replies; latency shows in elapsed time; hold and release', async () => {
    const lab = theLab();
    const start = lab.trace().at(-1)!.seq;
    await lab.link('n1', 'n2', { dropPct: 100 });
    expect(lab.trace({ kinds: ['fault'] }).at(-1)).toMatchObject({ action: 'set', fault: 'link n1-n2 drop 100%', links: ['n1-n2'] });
    const lost = await lab.rpc('n1', 'n2', 'ping', {}, STORY_MS);
    expect(lost.result.outcome).toBe('timeout');
    const request = lost.result.requestIds[0];
    expect(lost.trace.map((l) => `${l.node} ${l.kind}`)).toEqual(['n1 send', 'n1 proxy', 'n1 rpc_timeout']);
    expect(lost.trace[1]).toMatchObject({ kind: 'proxy', action: 'dropped', link: 'n1-n2', msg: request });
    // With a retry: two requests, both dropped, and the retry that links them.
    const retried = await lab.rpc('n1', 'n2', 'ping', {}, STORY_MS / 2, 1);
    expect(retried.result).toMatchObject({ outcome: 'timeout', attempts: 2 });
    const [first, second] = retried.result.requestIds;
    expect(retried.trace.map((l) => `${l.kind} ${'msg' in l ? String(l.msg) : ''}`)).toEqual([
      `send ${first}`, `proxy ${first}`, `rpc_timeout ${first}`, `retry ${second}`, `send ${second}`, `proxy ${second}`, `rpc_timeout ${second}`,
    ]);
    // The other way the request arrives, and the proxy drops the reply.
    const reply = await lab.rpc('n2', 'n1', 'ping', {}, STORY_MS);
    expect(reply.result.outcome).toBe('timeout');
    const pong = reply.trace.find((l) => l.kind === 'send' && l.node === 'n1')!;
    expect(reply.trace.find((l) => l.kind === 'proxy')).toMatchObject({ action: 'dropped', link: 'n1-n2', node: 'n1', msg: pong.kind === 'send' ? pong.msg : '' });
    // Heartbeats are dropped too, each one traced.
    expect(lab.trace({ kinds: ['proxy'], since: start }).filter((l) => l.kind === 'proxy' && l.action === 'dropped').length).toBeGreaterThan(2);

    await lab.clearLinks('n1', 'n2');
    expect((await lab.rpc('n1', 'n2')).result.outcome).toBe('ok');

    await lab.link('n1', 'n2', { latencyMs: 250 });
    expect((await lab.status()).links.find((l) => l.name === 'n1-n2')?.faults).toEqual(['latency 250ms']);
    // Latency is a lower bound (a loaded machine only adds to it); on one direction only.
    const slow = await lab.rpc('n1', 'n2');
    expect(slow.result.outcome).toBe('ok');
    expect(slow.result.elapsedMs).toBeGreaterThanOrEqual(245);
    expect((await lab.status()).links.filter((l) => l.faults.length > 0).map((l) => l.name)).toEqual(['n1-n2']);
    await lab.link('n1', 'n3', { latencyMs: 150, both: true });
    const both = await lab.rpc('n1', 'n3');
    expect(both.result.elapsedMs).toBeGreaterThanOrEqual(295);
    await lab.clearLinks();
    expect((await lab.status()).links.every((l) => l.faults.length === 0)).toBe(true);
    expect((await lab.rpc('n1', 'n2')).result.outcome).toBe('ok');

    await lab.hold('n2', 'n3');
    const hold = lab.trace({ kinds: ['fault'] }).at(-1)!;
    for (let i = 0; i < 3; i++) await lab.send('n2', 'n3', 'echo', { i });
    const sent = lab.trace({ node: 'n2', kinds: ['send'], since: hold.seq }).filter((l) => l.kind === 'send' && l.msgType === 'echo');
    expect(sent).toHaveLength(3);
    // The proxy says it holds each of them; held, none has arrived.
    for (const s of sent) {
      await lab.waitForTrace((h) => h.kind === 'proxy' && h.action === 'held' && s.kind === 'send' && h.msg === s.msg, { since: hold.seq, timeoutMs: BOUND_MS });
    }
    expect(received(lab, 'n3', 'n2', 'echo', hold.seq)).toEqual([]);
    await lab.release('n2', 'n3');
    const sentIds = sent.map((l) => (l.kind === 'send' ? l.msg : ''));
    await lab.waitForTrace((l) => l.kind === 'receive' && l.node === 'n3' && l.msg === sentIds[2], { since: hold.seq, timeoutMs: BOUND_MS });
    const arrived = received(lab, 'n3', 'n2', 'echo', hold.seq).map((l) => (l.kind === 'receive' ? l.msg : ''));
    expect(arrived).toEqual(sentIds);
    // The proxy's events come on their own stream: they may trail the nodes' lines a little.
    await lab.waitForTrace((l) => l.kind === 'proxy' && l.action === 'released' && l.link === 'n2-n3', { since: hold.seq, timeoutMs: BOUND_MS });
  });

  it('a reset fault resets the sender\'s connection; clearing it lets the sender reconnect', async () => {
    const lab = theLab();
    const since = lab.trace().at(-1)!.seq;
    await lab.link('n3', 'n1', { resetAfterMs: 0 });
    await lab.waitForTrace((l) => l.kind === 'peer_down' && l.node === 'n3' && l.peer === 'n1', { since, timeoutMs: BOUND_MS });
    expect((await lab.status()).links.find((l) => l.name === 'n3-n1')?.faults).toEqual(['reset after 0ms']);
    await lab.clearLinks('n3', 'n1');
    expect((await lab.rpc('n3', 'n1')).result.outcome).toBe('ok');
  });

  it("an offset shows in the node's wall time, never in true time", async () => {
    const lab = theLab();
    await lab.clock('n1', { offsetMs: 60_000 });
    const set = lab.trace({ kinds: ['fault'] }).at(-1)!;
    expect(set).toMatchObject({ node: 'n1', fault: 'clock n1 offset 60000ms' });
    // The call's own lines: all stamped after n1 took the offset (a heartbeat line may be older).
    const call = await lab.rpc('n1', 'n2');
    const n1 = call.trace.filter((l) => l.node === 'n1' && (l.kind === 'send' || l.kind === 'receive'));
    const n2 = call.trace.filter((l) => l.node === 'n2' && (l.kind === 'send' || l.kind === 'receive'));
    expect(n1.length).toBe(2);
    for (const l of n1) {
      expect(l.clocks!.wallMs - l.clocks!.trueMs).toBeCloseTo(60_000, -1);
      expect(Math.abs(l.trueMs - Date.now())).toBeLessThan(BOUND_MS);
    }
    for (const l of n2) expect(Math.abs(l.clocks!.wallMs - l.clocks!.trueMs)).toBeLessThan(1);
    // n2 sees n1's wall clock a minute ahead on what n1 sends it.
    const fromN1 = n2.find((l) => l.kind === 'receive' && l.from === 'n1')!;
    expect(fromN1.kind === 'receive' && fromN1.sentWall - fromN1.trueMs).toBeGreaterThan(59_000);

    await lab.clock('n1', { jumpMs: -5_000 });
    const change = await lab.waitForTrace((l) => l.kind === 'clock_change' && l.node === 'n1' && l.jumpMs === -5_000, { timeoutMs: BOUND_MS });
    expect(change.kind === 'clock_change' && change.offsetMs).toBeCloseTo(55_000, -1);
    expect((await lab.status()).nodes[0].status?.offsetMs).toBeCloseTo(55_000, -1);
  });
});
