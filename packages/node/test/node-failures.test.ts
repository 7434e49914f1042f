/**
 * Partial failure with real processes: a peer killed (SIGKILL), a peer paused (SIGSTOP) past the
 * RPC timeout and resumed (SIGCONT). What the sender saw, and what its trace shows.
 */
import { rpcResultSchema } from '@faultline/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { BOUND_MS, FakeCoordinator, pidAlive, sleep } from './support/fake-coordinator.js';

let lab: FakeCoordinator | undefined;
let stopped: number[] = [];
afterEach(async () => {
  for (const pid of stopped) if (pidAlive(pid)) process.kill(pid, 'SIGCONT');
  stopped = [];
  await lab?.close();
  lab = undefined;
});

describe('faultline-node when a peer fails', () => {
  it('an rpc to a killed peer fails with failed_send on every attempt (the link is down, nothing is queued)', async () => {
    lab = await FakeCoordinator.start();
    const [n1, n2] = await Promise.all(['n1', 'n2'].map((id) => lab!.spawn(id, ['--heartbeat-ms', '0'])));
    await lab.connectAll([n1, n2]);
    process.kill(n2.pid, 'SIGKILL');
    const exit = await n2.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(pidAlive(n2.pid)).toBe(false);
    await lab.waitForTrace('n1', (t) => t.event.kind === 'peer_down' && t.event.peer === 'n2');

    const reply = await lab.command('n1', { type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 200, retries: 2 });
    const result = rpcResultSchema.parse(reply.result);
    expect(result).toMatchObject({ outcome: 'failed', attempts: 3, error: 'link to n2 is down' });
    expect(new Set(result.requestIds).size).toBe(3);
    // A failed attempt is retried when it would have timed out, not at once.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(400);
    const failed = lab.events('n1', 'failed_send').filter((e) => result.requestIds.includes(e.msg));
    expect(failed.map((e) => e.msg)).toEqual(result.requestIds);
    expect(failed.every((e) => e.reason === 'link to n2 is down' && e.to === 'n2')).toBe(true);
    const retries = lab.events('n1', 'retry').filter((e) => e.retryOf === result.requestIds[0]);
    expect(retries.map((e) => [e.msg, e.attempt])).toEqual([
      [result.requestIds[1], 2],
      [result.requestIds[2], 3],
    ]);
    expect(lab.events('n1', 'send').filter((e) => result.requestIds.includes(e.msg))).toEqual([]);

    const send = await lab.command('n1', { type: 'send', to: 'n2', msgType: 'echo', body: {} });
    expect(send).toMatchObject({ ok: true, result: { sent: false, reason: 'link to n2 is down' } });
    expect((await lab.command('n1', { type: 'status' })).result).toMatchObject({ peers: { n2: { connected: false } } });
    expect(lab.violations).toEqual([]);
  });

  it('a peer paused past the timeout: rpc_timeout, outcome timeout; once resumed its reply is a late_reply', async () => {
    lab = await FakeCoordinator.start();
    const [n1, n2] = await Promise.all(['n1', 'n2'].map((id) => lab!.spawn(id, ['--heartbeat-ms', '0'])));
    await lab.connectAll([n1, n2]);
    process.kill(n2.pid, 'SIGSTOP');
    stopped.push(n2.pid);

    const reply = await lab.command('n1', { type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 300, retries: 1 });
    const result = rpcResultSchema.parse(reply.result);
    expect(result).toMatchObject({ outcome: 'timeout', attempts: 2 });
    expect(result.reply).toBeUndefined();
    expect(result.elapsedMs).toBeGreaterThanOrEqual(600);
    const [first, second] = result.requestIds;
    expect(lab.events('n1', 'rpc_timeout').map((e) => [e.msg, e.attempt, e.timeoutMs])).toEqual([
      [first, 1, 300],
      [second, 2, 300],
    ]);
    expect(lab.events('n1', 'retry')).toEqual([{ kind: 'retry', to: 'n2', msg: second, retryOf: first, attempt: 2 }]);

    await sleep(200);
    process.kill(n2.pid, 'SIGCONT');
    stopped = [];
    await lab.until(() => lab!.events('n1', 'late_reply').length === 2, BOUND_MS, 'two late replies');
    const late = lab.events('n1', 'late_reply');
    expect(late.map((e) => e.replyTo).sort()).toEqual([first, second].sort());
    for (const e of late) {
      expect(e.from).toBe('n2');
      expect(e.lateByMs).toBeGreaterThan(0);
    }
    // The late replies were received (traced) but answered no call: the coordinator got one reply.
    expect(lab.events('n1', 'receive').filter((e) => e.replyTo === first || e.replyTo === second)).toHaveLength(2);

    // n2 is alive again and answers in time.
    const again = rpcResultSchema.parse((await lab.command('n1', { type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 2_000, retries: 0 })).result);
    expect(again.outcome).toBe('ok');
    expect(lab.violations).toEqual([]);
  });

  it('a killed peer revived (new process, new port): set_peers with its new URL brings the link back up', async () => {
    lab = await FakeCoordinator.start();
    const [n1, n2] = await Promise.all(['n1', 'n2'].map((id) => lab!.spawn(id, ['--heartbeat-ms', '0'])));
    await lab.connectAll([n1, n2]);
    process.kill(n2.pid, 'SIGKILL');
    await n2.exited;
    await lab.waitForTrace('n1', (t) => t.event.kind === 'peer_down' && t.event.peer === 'n2');
    const ups = (): number => lab!.events('n1', 'peer_up').filter((e) => e.peer === 'n2').length;
    expect(ups()).toBe(1);

    const revived = await lab.spawn('n2', ['--heartbeat-ms', '0']);
    expect(revived.pid).not.toBe(n2.pid);
    await lab.command('n1', { type: 'set_peers', peers: { n2: `ws://127.0.0.1:${revived.port}/` } });
    await lab.until(() => ups() === 2, BOUND_MS, 'n1 peer_up n2 again');
    await lab.command('n2', { type: 'set_peers', peers: { n1: `ws://127.0.0.1:${n1.port}/` } });
    // The old n2's traces are kept: the new one's peer_up is the second.
    await lab.until(() => lab!.events('n2', 'peer_up').length === 2, BOUND_MS, 'the new n2 peer_up n1');
    const result = rpcResultSchema.parse((await lab.command('n1', { type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 2_000, retries: 0 })).result);
    expect(result.outcome).toBe('ok');
  });
});
