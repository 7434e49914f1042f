/**
 * A node's wall clock under the coordinator's control, and input that is not what it should be:
 * bad frames on the peer server, bad messages on the control channel. The node records each as a
 * `malformed` event and goes on answering.
 */
import { clockStampSchema, type Envelope } from '@faultline/protocol';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { BOUND_MS, FakeCoordinator, sleep } from './support/fake-coordinator.js';

let lab: FakeCoordinator | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe('the wall clock', () => {
  it('set_clock and jump_clock change wallMs in later events, never trueMs', async () => {
    lab = await FakeCoordinator.start();
    await lab.spawn('n1', ['--heartbeat-ms', '0']);
    const mark = async (label: string) => clockStampSchema.parse((await lab!.command('n1', { type: 'local', label })).result);

    const before = await mark('before');
    expect(before.wallMs).toBe(before.trueMs);

    const set = await lab.command('n1', { type: 'set_clock', offsetMs: 60_000 });
    expect(set).toMatchObject({ ok: true, result: { offsetMs: 60_000, driftPpm: 0 } });
    const ahead = await mark('ahead');
    expect(ahead.wallMs - ahead.trueMs).toBe(60_000);
    expect(Math.abs(ahead.trueMs - Date.now())).toBeLessThan(5_000);

    await lab.command('n1', { type: 'jump_clock', deltaMs: -120_000 });
    const behind = await mark('behind');
    expect(behind.wallMs - behind.trueMs).toBe(-60_000);
    expect(behind.trueMs).toBeGreaterThanOrEqual(ahead.trueMs);
    // The wall clock went back; the logical clocks did not.
    expect(behind.wallMs).toBeLessThan(ahead.wallMs);
    expect(behind.lamport).toBeGreaterThan(ahead.lamport);
    expect(behind.hlc.wallMs).toBeGreaterThanOrEqual(ahead.hlc.wallMs);

    await lab.command('n1', { type: 'set_clock', driftPpm: 200_000 });
    const start = await mark('drift start');
    await sleep(500);
    const end = await mark('drift end');
    const gained = end.wallMs - end.trueMs - (start.wallMs - start.trueMs);
    expect(gained).toBeCloseTo((end.trueMs - start.trueMs) * 0.2, 0);

    const changes = lab.events('n1', 'clock_change');
    expect(changes.map((e) => e.jumpMs)).toEqual([undefined, -120_000, undefined]);
    expect(changes[1]).toMatchObject({ offsetMs: -60_000, driftPpm: 0 });

    const bad = await lab.command('n1', { type: 'set_clock', driftPpm: -2_000_000 });
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/driftPpm/);
    expect(lab.violations).toEqual([]);
  });
});

describe('malformed input', () => {
  it('bad frames on the peer server are malformed events; the connection and the node go on', async () => {
    lab = await FakeCoordinator.start();
    const n1 = await lab.spawn('n1', ['--heartbeat-ms', '0', '--lab-nodes', 'n1,n2']);
    const ws = await lab.peerSocket(n1);
    try {
      const now = Date.now();
      const envelope: Envelope = { id: 'n2-1', from: 'n2', to: 'n1', type: 'ping', body: {}, lamport: 5, vc: { n2: 5 }, hlc: { wallMs: now, logical: 0 }, sentWall: now };
      ws.send('not json at all');
      ws.send(JSON.stringify({ id: 'n2-0', from: 'n2' }));
      ws.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
      ws.send(JSON.stringify({ ...envelope, to: 'n3' }));
      ws.send(JSON.stringify({ ...envelope, hlc: { wallMs: -5, logical: 0 } }));
      ws.send(JSON.stringify(envelope));
      await lab.waitForTrace('n1', (t) => t.event.kind === 'receive' && t.event.msg === 'n2-1');
      const malformed = lab.events('n1', 'malformed');
      expect(malformed.map((e) => e.source)).toEqual(['peer', 'peer', 'peer', 'peer', 'peer']);
      expect(malformed[0].error).toMatch(/^envelope: not JSON/);
      expect(malformed[1].error).toMatch(/^envelope\./);
      expect(malformed[3].error).toBe('envelope.to: expected n1, got "n3"');
      expect(malformed[4].error).toMatch(/^envelope\.hlc\.wallMs/);
      expect(ws.readyState).toBe(WebSocket.OPEN);

      // The valid ping was handled: its pong could not go out (no link to n2), and the clocks merged.
      const failed = await lab.waitForTrace('n1', (t) => t.event.kind === 'failed_send' && t.event.msgType === 'pong');
      expect(failed.event).toMatchObject({ to: 'n2', reason: 'link to n2 is down' });
      expect(failed.clocks.vc).toMatchObject({ n2: 5 });
      expect((await lab.command('n1', { type: 'status' })).ok).toBe(true);
    } finally {
      ws.terminate();
    }
    expect(lab.violations).toEqual([]);
  });

  it('bad control messages are malformed events; a bad command with an id gets ok: false; the node keeps answering', async () => {
    lab = await FakeCoordinator.start();
    await lab.spawn('n1', ['--heartbeat-ms', '0']);
    lab.raw('n1', 'garbage');
    lab.raw('n1', JSON.stringify({ kind: 'command', id: 9_999, command: { type: 'self_destruct' } }));
    lab.raw('n1', JSON.stringify({ kind: 'hello' }));
    await lab.until(() => lab!.reply('n1', 9_999) !== undefined, BOUND_MS, 'the answer to command 9999');
    expect(lab.reply('n1', 9_999)).toMatchObject({ ok: false, error: expect.stringMatching(/^control\.command\.type/) as unknown });
    const status = await lab.command('n1', { type: 'status' });
    expect(status.ok).toBe(true);
    const malformed = lab.events('n1', 'malformed');
    expect(malformed).toHaveLength(3);
    expect(malformed.every((e) => e.source === 'control')).toBe(true);
    expect(malformed[0].error).toMatch(/^control: not JSON/);
    expect(lab.violations).toEqual([]);
  });
});
