import { MAX_BATCH, type BatchedMessage } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { Outbox, type PeerFrame } from '../../src/shell/outbox.js';

const stamp = { trueMs: 1, wallMs: 1, lamport: 1, vc: { n1: 1 }, hlc: { wallMs: 1, logical: 0 } };
const trace = (i: number): BatchedMessage => ({ kind: 'trace', clocks: stamp, event: { kind: 'send', to: 'n2', msg: `n1-${i}`, msgType: 'burst', size: 10 } });

function harness(closedPeers: string[] = []) {
  const writes: string[] = [];
  const lost: string[] = [];
  const scheduled: (() => void)[] = [];
  const outbox = new Outbox({
    control: (messages) => {
      writes.push(`control ${messages.map((m) => (m.kind === 'trace' && 'msg' in m.event ? m.event.msg : m.kind)).join(',')}`);
      return true;
    },
    peers: (frames: readonly PeerFrame[]) => {
      for (const f of frames) if (!closedPeers.includes(f.peer)) writes.push(`${f.peer} ${f.text}`);
      return frames.filter((f) => closedPeers.includes(f.peer));
    },
    lost: (peer, msg) => lost.push(`${peer} ${msg}`),
    schedule: (flush) => scheduled.push(flush),
  });
  return { outbox, writes, lost, scheduled };
}

describe('Outbox', () => {
  it('holds a turn\'s writes, then sends the control messages as one frame before the peer frames', () => {
    const { outbox, writes, scheduled } = harness();
    outbox.peer('n2', 'env-1', 'n1-1');
    outbox.control(trace(1));
    outbox.peer('n3', 'env-2', 'n1-2');
    outbox.control(trace(2));
    outbox.control({ kind: 'reply', id: 7, ok: true });
    expect(writes).toEqual([]);
    expect(scheduled).toHaveLength(1);
    scheduled[0]();
    expect(writes).toEqual(['control n1-1,n1-2,reply', 'n2 env-1', 'n3 env-2']);
    outbox.control(trace(3));
    expect(scheduled).toHaveLength(2);
  });

  it(`splits a long turn into frames of at most ${MAX_BATCH} messages, in order`, () => {
    const { outbox, writes, scheduled } = harness();
    for (let i = 0; i < MAX_BATCH * 2 + 5; i++) outbox.control(trace(i));
    scheduled[0]();
    expect(writes.map((w) => w.split(',').length)).toEqual([MAX_BATCH, MAX_BATCH, 5]);
    expect(writes.join(',').replaceAll('control ', '').split(',')).toEqual(Array.from({ length: MAX_BATCH * 2 + 5 }, (_, i) => `n1-${i}`));
  });

  it('flush writes at once (before the node closes), and reports frames whose link had closed', () => {
    const { outbox, writes, lost } = harness(['n3']);
    outbox.control(trace(1));
    outbox.peer('n3', 'env-1', 'n1-1');
    outbox.flush();
    expect(writes).toEqual(['control n1-1']);
    expect(lost).toEqual(['n3 n1-1']);
    outbox.flush();
    expect(writes).toHaveLength(1);
  });
});
