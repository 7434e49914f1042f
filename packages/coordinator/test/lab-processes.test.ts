import { describe, expect, it } from 'vitest';
import { BOUND_MS, expectSilence, heardAfter } from './support/heard.js';
import { useLab } from './support/lab.js';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('faults on processes', () => {
  const theLab = useLab();

  it('kill n2: its process is gone, n1 cannot reach it, its heartbeats stop; revive brings it back on every link', async () => {
    const lab = theLab();
    const oldPid = (await lab.status()).nodes[1].pid!;
    await lab.kill('n2');
    expect(pidAlive(oldPid)).toBe(false);
    expect(lab.state('n2')).toBe('killed');
    const crash = lab.trace({ kinds: ['crash'] })[0];
    expect(crash).toMatchObject({ node: 'n2', signal: 'SIGKILL' });
    expect(crash.clocks?.trueMs).toBeLessThanOrEqual(crash.trueMs);

    // What n1 sees: no answer. The proxy closes n1's connection when n2's socket dies, so the
    // call usually fails at once ("link to n2 is down"); if n1 sends first, it times out.
    const { result, trace } = await lab.rpc('n1', 'n2', 'ping', {}, 300);
    expect(['timeout', 'failed']).toContain(result.outcome);
    expect(trace.filter((l) => l.node === 'n2')).toEqual([]);

    // Heartbeats from n2 stop arriving (those already in flight when it died may).
    await expectSilence(lab, 'n1', 'n2', crash, ['n1', 'n3']);
    expect((await lab.status()).nodes[1]).toEqual({ id: 'n2', pid: null, state: 'killed' });

    await lab.revive('n2');
    const revived = lab.trace({ kinds: ['revive'] })[0];
    expect(revived).toMatchObject({ node: 'n2' });
    const status = await lab.status();
    const n2 = status.nodes[1];
    expect(n2.state).toBe('running');
    expect(n2.pid).not.toBe(oldPid);
    expect(revived.kind === 'revive' && revived.pid).toBe(n2.pid);
    expect(Object.values(n2.status!.peers).every((p) => p.connected)).toBe(true);
    expect((await lab.rpc('n1', 'n2')).result.outcome).toBe('ok');
    expect((await lab.rpc('n2', 'n3')).result.outcome).toBe('ok');
    await heardAfter(lab, 'n1', 'n2', revived);
  });

  it('pause n2: alive but silent (RPCs time out, heartbeats stop); resume: it answers again', async () => {
    const lab = theLab();
    const pid = (await lab.status()).nodes[1].pid!;
    await lab.pause('n2');
    const pause = lab.trace({ kinds: ['pause'] }).at(-1)!;
    expect(pause).toMatchObject({ node: 'n2' });
    expect(pidAlive(pid)).toBe(true);

    // The connection stays open (the kernel still accepts bytes), so n1 can only time out.
    const { result, trace } = await lab.rpc('n1', 'n2', 'ping', {}, 300);
    expect(result.outcome).toBe('timeout');
    // The call's story includes the pause still in force, though it came before the call.
    expect(trace).toContainEqual(pause);
    await expectSilence(lab, 'n1', 'n2', pause, ['n1', 'n3']);
    const paused = (await lab.status()).nodes[1];
    expect(paused).toEqual({ id: 'n2', pid, state: 'paused' });

    await lab.resume('n2');
    const resume = lab.trace({ kinds: ['resume'] }).at(-1)!;
    // What waited in the socket buffers is handled now: n2 receives the ping that timed out,
    // and its pong reaches n1 too late.
    await lab.waitForTrace((l) => l.kind === 'late_reply' && l.node === 'n1', { since: resume.seq, timeoutMs: BOUND_MS });
    expect((await lab.rpc('n1', 'n2')).result.outcome).toBe('ok');
    await heardAfter(lab, 'n1', 'n2', resume);
  });

  it('a node that dies without the lab (here: SIGKILL by the test) is traced as exit, and can be revived', async () => {
    const lab = theLab();
    const pid = (await lab.status()).nodes[2].pid!;
    const since = lab.trace().at(-1)!.seq;
    process.kill(pid, 'SIGKILL');
    const exit = await lab.waitForTrace((l) => l.kind === 'exit' && l.node === 'n3', { since, timeoutMs: BOUND_MS });
    expect(exit).toMatchObject({ kind: 'exit', code: null, signal: 'SIGKILL' });
    expect(lab.state('n3')).toBe('exited');
    await expect(lab.pause('n3')).rejects.toMatchObject({ code: 'conflict', message: 'n3 is exited: only a running node can be paused' });
    await lab.revive('n3');
    expect((await lab.rpc('n3', 'n1')).result.outcome).toBe('ok');
  });

  it('a clock past the bounds, or one the node refuses, is a bad request', async () => {
    const lab = theLab();
    await expect(lab.clock('n1', { driftPpm: -2_000_000 })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/driftPpm: expected a drift above -1000000 ppm/) as string });
    // Each jump is within the bounds, but they add up past ±1 day: the node refuses the second.
    await lab.clock('n1', { jumpMs: 86_000_000 });
    await expect(lab.clock('n1', { jumpMs: 1_000_000 })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/^n1 refused jump_clock: .*offset after the jump within ±1 day/) as string });
    await lab.clock('n1', { offsetMs: 0 });
  });
});
