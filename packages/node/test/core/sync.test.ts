/**
 * Clock synchronisation through real cores, messages delivered by hand with chosen delays: each
 * method's arithmetic, the bound, a round that times out, `correct` stepping the clock, and the
 * requests refused.
 */
import { syncDoneSchema, syncRoundSchema, type BehaviourSpecInput, type SyncRound } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { estimateOffset } from '../../src/behaviours/sync.js';
import { HandNetwork } from '../support/hand-network.js';

/** n1 is the time server, its clock `serverAheadMs` ahead of n2's; n2 asks it. */
function lab(client: Partial<Extract<BehaviourSpecInput, { name: 'sync' }>> = {}, serverAheadMs = 2000): HandNetwork {
  const net = new HandNetwork(['n1', 'n2'], (id) => (id === 'n1' ? { name: 'sync' } : { name: 'sync', server: 'n1', ...client }));
  expect(net.command('n1', { type: 'set_clock', offsetMs: serverAheadMs }).ok).toBe(true);
  return net;
}

/** One round: the request takes `reqMs` to reach the server, the answer `respMs` to come back. */
function round(net: HandNetwork, reqMs: number, respMs: number): void {
  net.advance(reqMs);
  expect(net.deliver({ to: 'n1', type: 'time_req' })).toHaveLength(1);
  net.advance(respMs);
  expect(net.deliver({ to: 'n2', type: 'time_resp' })).toHaveLength(1);
}

const rounds = (net: HandNetwork): SyncRound[] => net.states('n2', 'sync').map((s) => syncRoundSchema.parse(s.value));

describe('estimateOffset: the methods` arithmetic', () => {
  it('NTP and Cristian on four hand-picked readings (the server spends 10 ms between t2 and t3)', () => {
    // Server 1000 ms ahead; 40 ms out, 50 ms back (on the client's clock: t1 = 0, t4 = 100).
    const [t1, t2, t3, t4] = [0, 1040, 1050, 100];
    expect(estimateOffset('ntp', t1, t2, t3, t4)).toEqual({ rttMs: 100, estimateMs: 995, boundMs: 45 });
    expect(estimateOffset('cristian', t1, t2, t3, t4)).toEqual({ rttMs: 100, estimateMs: 1000, boundMs: 50 });
  });

  it('symmetric trips: both estimates are the true offset; one-way delay d: off by d/2, the bound rtt/2', () => {
    expect(estimateOffset('ntp', 0, 520, 520, 40)).toEqual({ rttMs: 40, estimateMs: 500, boundMs: 20 });
    expect(estimateOffset('cristian', 0, 520, 520, 40)).toEqual({ rttMs: 40, estimateMs: 500, boundMs: 20 });
    // 40 ms out, 0 back: d = 40.
    expect(estimateOffset('ntp', 0, 540, 540, 40)).toEqual({ rttMs: 40, estimateMs: 520, boundMs: 20 });
    expect(estimateOffset('cristian', 0, 540, 540, 40)).toEqual({ rttMs: 40, estimateMs: 520, boundMs: 20 });
  });

  it('never claims a negative bound (a client clock stepped back mid-round)', () => {
    expect(estimateOffset('cristian', 100, 50, 50, 60).boundMs).toBe(0);
    expect(estimateOffset('ntp', 100, 50, 50, 60).boundMs).toBe(0);
  });
});

describe('sync through the cores', () => {
  for (const method of ['ntp', 'cristian'] as const) {
    it(`${method}: equal trips give the true offset, a one-way delay of 40 ms an error of 20 ms within the bound`, () => {
      const net = lab({ method });
      expect(net.invoke('n2', 'sync', { rounds: 2 })).toEqual({ ok: true, result: { server: 'n1', rounds: 2 } });
      round(net, 20, 20);
      round(net, 40, 0);
      const [even, skewed] = rounds(net);
      expect(even).toMatchObject({ server: 'n1', method, round: 0, rttMs: 40, estimateMs: 2000, boundMs: 20 });
      expect(skewed).toMatchObject({ round: 1, rttMs: 40, estimateMs: 2020, boundMs: 20 });
      expect(skewed.correctedMs).toBeUndefined();
      // The readings: t1 and t4 on n2's clock, t2 = t3 on n1's.
      expect(skewed.t2).toBe(skewed.t3);
      expect(skewed.t2 - skewed.t1).toBe(2040);
      // `reply` (and the line's msg) is the server's answer; its send carries the server's clocks.
      const answer = net.node('n1').sent().filter((e) => e.type === 'time_resp')[1];
      expect(skewed.reply).toBe(answer.id);
      expect(answer.sentWall).toBe(skewed.t3);
      expect(net.states('n2', 'sync')[1].msg).toBe(answer.id);
      expect(syncDoneSchema.parse(net.states('n2', 'sync_done')[0].value)).toEqual({ rounds: 2, answered: 2 });
      // The server traced no round of its own.
      expect(net.states('n1', 'sync')).toEqual([]);
    });
  }

  it('a server answers time_req with t2 = t3 = its wall time, echoing round and t1', () => {
    const net = lab();
    const h = net.node('n1');
    h.deliver(h.envelope('n2', 'time_req', { id: 'n2-9', body: { round: 4, t1: 123 } }));
    const [answer] = h.sent().filter((e) => e.type === 'time_resp');
    expect(answer).toMatchObject({ to: 'n2', replyTo: 'n2-9', body: { round: 4, t1: 123, t2: h.trueMs + 2000, t3: h.trueMs + 2000 } });
  });

  it('abandons a round not answered in time, starts the next, and ignores the late answer', () => {
    const net = lab({ timeoutMs: 100 });
    net.invoke('n2', 'sync', { rounds: 2 });
    const [first] = net.pending({ type: 'time_req' });
    net.advance(99);
    expect(net.pending({ type: 'time_req' })).toHaveLength(1);
    net.advance(1);
    const labels = (): string[] => net.node('n2').events().flatMap((e) => (e.kind === 'local' ? [e.label] : []));
    expect(labels()).toEqual(['sync: round 0 got no time_resp from n1 within 100 ms; abandoned']);
    const requests = net.pending({ type: 'time_req' });
    expect(requests.map((e) => e.body.round)).toEqual([0, 1]);
    // The first answer comes late, the second in time.
    net.node('n1').deliver(first);
    net.advance(5);
    net.deliver({ to: 'n2', type: 'time_resp' });
    expect(labels()[1]).toMatch(/^sync: time_resp n1-\d+ from n1 answers no round under way \(late or unknown\); ignored$/);
    expect(rounds(net)).toEqual([]);
    net.deliver({ to: 'n1', type: 'time_req' });
    net.deliver({ to: 'n2', type: 'time_resp' });
    expect(rounds(net).map((r) => r.round)).toEqual([1]);
    expect(net.states('n2', 'sync_done').map((s) => s.value)).toEqual([{ rounds: 2, answered: 1 }]);
    // Nothing more to wait for.
    expect(net.node('n2').core.nextWakeMs()).toBeNull();
  });

  it('a round whose request cannot be sent fails at once (the core traced failed_send)', () => {
    const net = lab();
    net.node('n2').step({ kind: 'link', peer: 'n1', up: false });
    expect(net.invoke('n2', 'sync', { rounds: 3 }).ok).toBe(true);
    expect(net.node('n2').events().filter((e) => e.kind === 'failed_send')).toHaveLength(3);
    expect(net.states('n2', 'sync_done').map((s) => s.value)).toEqual([{ rounds: 3, answered: 0 }]);
    // Done: another sync may start.
    expect(net.invoke('n2', 'sync', {}).ok).toBe(true);
  });

  it('correct: steps the clock by the estimate, and the next round (at once, same step) sees the corrected clock', () => {
    const net = lab({ correct: true });
    net.invoke('n2', 'sync', { rounds: 2 });
    round(net, 10, 10);
    const events = net.node('n2').events();
    const stepAt = events.findIndex((e) => e.kind === 'clock_change');
    expect(events[stepAt]).toMatchObject({ kind: 'clock_change', jumpMs: 2000, offsetMs: 2000 });
    // The step comes before the round's `sync` line (a check reads the offset before it at the receive).
    expect(events.findIndex((e) => e.kind === 'state' && e.key === 'sync')).toBeGreaterThan(stepAt);
    round(net, 10, 10);
    const [first, second] = rounds(net);
    expect(first).toMatchObject({ estimateMs: 2000, correctedMs: 2000 });
    // t1 of the second round was read after the step: the clocks now agree.
    expect(second).toMatchObject({ estimateMs: 0, correctedMs: 0 });
    expect(net.node('n2').core.status().offsetMs).toBe(2000);
  });

  it('refuses a sync without a server, while one is under way, and requests only peers make', () => {
    const net = lab();
    const refused = (node: string, msgType: string, body: Record<string, unknown> = {}): string => {
      const answer = net.invoke(node, msgType, body);
      if (answer.ok) throw new Error('not refused');
      return answer.error;
    };
    expect(refused('n1', 'sync')).toBe('n1 has no time server to ask: start its sync behaviour with a server');
    expect(refused('n2', 'sync', { rounds: 0 })).toMatch(/^sync\.rounds: /);
    expect(refused('n2', 'time_req', { round: 0, t1: 0 })).toBe('sync takes only sync as a client request; time_req comes from peers');
    expect(net.invoke('n2', 'sync', { rounds: 1 }).ok).toBe(true);
    expect(refused('n2', 'sync')).toBe('n2 is already syncing (round 1 of 1): wait for its sync_done');
    expect(net.node('n2').events().filter((e) => e.kind === 'send' && e.msgType === 'time_req')).toHaveLength(1);
  });

  it('ignores a bad time_req or time_resp with a local line', () => {
    const net = lab();
    net.node('n1').deliver(net.node('n1').envelope('n2', 'time_req', { id: 'n2-5', body: { round: -1 } }));
    expect(net.node('n1').sent()).toEqual([]);
    expect(net.node('n1').events().at(-1)).toMatchObject({ kind: 'local', label: expect.stringMatching(/^sync: time_req n2-5 from n2 ignored: time_req\.round: /) as string });
    net.invoke('n2', 'sync', {});
    const [request] = net.pending({ type: 'time_req' });
    const h = net.node('n2');
    h.deliver(h.envelope('n1', 'time_resp', { id: 'n1-bad', replyTo: request.id, body: { round: 0, t1: request.body.t1 } }));
    expect(h.events().at(-1)).toMatchObject({ kind: 'local', label: expect.stringMatching(/^sync: time_resp n1-bad from n1 ignored: time_resp\.t2: /) as string });
    // Still waiting for the real answer.
    net.deliver();
    net.deliver();
    expect(rounds(net)).toHaveLength(1);
  });
});
