/**
 * The leader lease through real cores, messages delivered by hand: five nodes all connected elect
 * n1; a partition {n1,n2} | {n3,n4,n5} gives two leaders without quorum (and loses the minority's
 * writes on healing), and never two with it (n1's lease ends before n3 leads, the minority refuses
 * writes, asks in pre-votes without raising its term, and follows n3 on healing); a quorum append waits for a majority; a live leader keeps its voters; bad input.
 */
import {
  commandSchema,
  LEADER_MAX_VALUES,
  LEASE_EXPIRED,
  leaderAdoptEventSchema,
  leaderStepDownEventSchema,
  leaderTermEventSchema,
  rpcResultSchema,
  type NodeId,
  type RpcResult,
} from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { TRUE_EPOCH_MS } from '../support/core-harness.js';
import { HandNetwork } from '../support/hand-network.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const STEP_MS = 50;

/**
 * Five nodes running `leader` (defaults: leaseMs 1000, heartbeatMs 200), every message delivered
 * the moment it is sent, except across a partition: there it is lost.
 */
class Lab {
  readonly net: HandNetwork;
  private groups: NodeId[][] = [];

  constructor(quorum: boolean, nodes = NODES, members?: (id: NodeId) => NodeId[]) {
    this.net = new HandNetwork(nodes, (id) => ({ name: 'leader', quorum, ...(members ? { members: members(id) } : {}) }));
  }

  partition(...groups: NodeId[][]): this {
    this.groups = groups;
    return this;
  }

  heal(): this {
    this.groups = [];
    return this;
  }

  /** Lets `ms` pass in steps of 50 ms (every timer here falls on one), delivering after each step. */
  run(ms: number): this {
    for (let t = 0; t < ms; t += STEP_MS) {
      this.net.advance(STEP_MS);
      this.flush();
    }
    return this;
  }

  /** Delivers what is in flight, and what that causes, dropping what crosses the partition. */
  flush(): this {
    for (;;) {
      for (const a of this.groups) for (const b of this.groups) if (a !== b) for (const from of a) for (const to of b) this.net.drop({ from, to });
      if (this.net.deliver().length === 0) return this;
    }
  }

  /** A client on `from` calls `to` (an rpc): the answer, once it came. */
  call(from: NodeId, to: NodeId, msgType: string, body: Record<string, unknown>): () => RpcResult | undefined {
    const h = this.net.node(from);
    const id = h.command(commandSchema.parse({ type: 'rpc', to, msgType, body, timeoutMs: 60_000 }));
    return () => {
      const reply = h.reply(id);
      return reply ? rpcResultSchema.parse(reply.result) : undefined;
    };
  }

  /** The answer of `call` once everything it causes was delivered: `[type, body]`. */
  ask(from: NodeId, to: NodeId, msgType: string, body: Record<string, unknown>): [string, Record<string, unknown>] {
    const answer = this.call(from, to, msgType, body);
    this.flush();
    const result = answer();
    if (!result?.reply) throw new Error(`no answer from ${to} to ${msgType}`);
    return [result.reply.type, result.reply.body];
  }

  /** The `state` lines of `key` on `node`: [ms since the start (true = monotonic here), value]. */
  lines(node: NodeId, key: string): [number, unknown][] {
    return this.net.stateTraces(node, key).map((t) => [t.clocks.trueMs - TRUE_EPOCH_MS, t.event.kind === 'state' ? t.event.value : null]);
  }

  /** Every term of office from the traces: [node, term, from, to (null: still leading)]. */
  offices(): [NodeId, number, number, number | null][] {
    const offices: [NodeId, number, number, number | null][] = [];
    for (const node of this.net.nodes.keys()) {
      const steps = this.lines(node, 'step_down').map(([at, v]) => [at, leaderStepDownEventSchema.parse(v)] as const);
      for (const [at, v] of this.lines(node, 'leader')) {
        const { term } = leaderTermEventSchema.parse(v);
        const end = steps.find(([, s]) => s.term === term && s.was === 'leader');
        offices.push([node, term, at, end ? end[0] : null]);
      }
    }
    return offices;
  }
}

/** Whether two terms of office overlap in time (half-open: one may start the instant another ends). */
function overlaps(offices: [NodeId, number, number, number | null][]): boolean {
  return offices.some(([a, , fromA, toA], i) => offices.some(([b, , fromB, toB], j) => i !== j && a !== b && fromA < (toB ?? Infinity) && fromB < (toA ?? Infinity)));
}

describe('leader: five nodes, all connected', () => {
  for (const quorum of [false, true]) {
    it(`${quorum ? 'with' : 'without'} quorum: n1 leads first (its timer is the shortest), the others follow, one leader for good`, () => {
      const lab = new Lab(quorum).run(10_000);
      // n1's timeout: 2 × leaseMs (+ rank 0 × heartbeatMs) after its start.
      expect(lab.lines('n1', 'leader')).toEqual([[2000, quorum ? { term: 1, quorum: true, votes: ['n1', 'n2', 'n3'], leaseMs: 1000, leftMs: 1000 } : { term: 1, quorum: false }]]);
      expect(lab.lines('n1', 'candidate')).toEqual(quorum ? [[2000, { term: 1 }]] : []);
      for (const node of NODES.slice(1)) {
        expect(lab.lines(node, 'follow')).toEqual([[2000, { leader: 'n1', term: 1 }]]);
        expect(lab.lines(node, 'leader')).toEqual([]);
      }
      expect(NODES.flatMap((n) => lab.lines(n, 'step_down'))).toEqual([]);
      // With quorum the lease is renewed by every round a majority acknowledged: a full lease left.
      const leases = lab.lines('n1', 'lease');
      if (quorum) expect(leases.length).toBeGreaterThan(30);
      for (const [, lease] of leases) expect(lease).toEqual({ term: 1, leftMs: 1000 });
      if (!quorum) expect(leases).toEqual([]);
    });
  }
});

describe('leader: members', () => {
  it('two groups in one lab elect apart: each its own leader, majorities of its own, the other group unheard', () => {
    const groups = [['n1', 'n2', 'n3'], ['n4', 'n5', 'n6']];
    const lab = new Lab(true, groups.flat(), (id) => groups.find((g) => g.includes(id))!).run(5000);
    // Each group's first member leads after 2 × leaseMs: its rank among its members is 0.
    expect(lab.lines('n1', 'leader').map(([at, v]) => [at, (v as { votes: string[] }).votes])).toEqual([[2000, ['n1', 'n2']]]);
    expect(lab.lines('n4', 'leader').map(([at, v]) => [at, (v as { votes: string[] }).votes])).toEqual([[2000, ['n4', 'n5']]]);
    for (const node of ['n2', 'n3']) expect(lab.lines(node, 'follow')).toEqual([[2000, { leader: 'n1', term: 1 }]]);
    for (const node of ['n5', 'n6']) expect(lab.lines(node, 'follow')).toEqual([[2000, { leader: 'n4', term: 1 }]]);
    expect(['n1', 'n2', 'n3', 'n4', 'n5', 'n6'].flatMap((n) => lab.lines(n, 'step_down'))).toEqual([]);
    // A member of the other group cannot lead this one: its append is refused there.
    expect(lab.ask('n4', 'n2', 'append', { key: 'k', value: 'v' })[0]).toBe('kv_error');
    expect(lab.ask('n4', 'n1', 'append', { key: 'k', value: 'v' })).toEqual(['append_ok', { key: 'k', term: 1 }]);
  });
});

describe('leader: a partition {n1,n2} | {n3,n4,n5} without quorum', () => {
  it('leaves n1 leading while n3 leads a higher term; both take writes; healing loses n1`s', () => {
    const lab = new Lab(false).run(3000).partition(['n1', 'n2'], ['n3', 'n4', 'n5']);
    lab.run(500);
    expect(lab.ask('n2', 'n1', 'append', { key: 'k', value: 'a1' })).toEqual(['append_ok', { key: 'k', term: 1 }]);
    lab.run(2500);
    // n3 heard n1 last at 3000: its timeout is 2 × 1000 + 2 × 200 ms.
    expect(lab.lines('n3', 'leader')).toEqual([[5400, { term: 2, quorum: false }]]);
    expect(lab.lines('n4', 'follow').at(-1)).toEqual([5400, { leader: 'n3', term: 2 }]);
    expect(lab.lines('n5', 'follow').at(-1)).toEqual([5400, { leader: 'n3', term: 2 }]);
    // n1 never steps down by itself: two leaders at once, each taking writes.
    expect(lab.lines('n1', 'step_down')).toEqual([]);
    expect(lab.ask('n4', 'n3', 'append', { key: 'k', value: 'b1' })).toEqual(['append_ok', { key: 'k', term: 2 }]);
    expect(lab.ask('n2', 'n1', 'append', { key: 'k', value: 'a2' })).toEqual(['append_ok', { key: 'k', term: 1 }]);
    expect(lab.lines('n1', 'accepted').map(([, v]) => v)).toEqual([
      { key: 'k', value: 'a1', term: 1 },
      { key: 'k', value: 'a2', term: 1 },
    ]);
    expect(overlaps(lab.offices())).toBe(true);

    lab.heal().run(500);
    const [[, stepDown]] = lab.lines('n1', 'step_down');
    expect(stepDown).toMatchObject({ term: 1, was: 'leader', reason: expect.stringMatching(/^n3 (leads|answered with) term 2$/) as unknown });
    const lost = [
      { key: 'k', value: 'a1', term: 1 },
      { key: 'k', value: 'a2', term: 1 },
    ];
    expect(lab.lines('n1', 'adopt').map(([, v]) => v)).toEqual([{ leader: 'n3', term: 2, dropped: lost }]);
    expect(lab.lines('n2', 'adopt').map(([, v]) => leaderAdoptEventSchema.parse(v).dropped)).toEqual([lost]);
    for (const node of NODES) expect(lab.ask(node === 'n1' ? 'n2' : 'n1', node, 'get', { key: 'k' })).toEqual(['get_ok', { key: 'k', value: ['b1'] }]);
    expect(lab.offices().filter(([, , , to]) => to === null)).toEqual([['n3', 2, 5400, null]]);
  });
});

describe('leader: a partition {n1,n2} | {n3,n4,n5} with quorum', () => {
  it('ends n1`s lease before n3 leads, refuses writes in the minority, and never has two leaders', () => {
    const lab = new Lab(true).run(3000).partition(['n1', 'n2'], ['n3', 'n4', 'n5']);
    // The last round a majority acknowledged went at 3000: the lease ends at 4000.
    expect(lab.lines('n1', 'lease').at(-1)).toEqual([3000, { term: 1, leftMs: 1000 }]);
    lab.run(500);
    // Taken while the lease is valid, but only n2 acknowledges it: no answer yet …
    const indefinite = lab.call('n2', 'n1', 'append', { key: 'k', value: 'maybe' });
    lab.run(400);
    expect(indefinite()).toBeUndefined();
    lab.run(200);
    // … and when the lease ends, n1 steps down at once and answers that it may or may not have happened.
    expect(lab.lines('n1', 'step_down')).toEqual([[4000, { term: 1, reason: LEASE_EXPIRED, was: 'leader' }]]);
    expect(indefinite()?.reply).toMatchObject({ type: 'kv_error', body: { definite: false, reason: expect.stringContaining('n1 stepped down') as unknown } });
    // The minority refuses writes for certain.
    expect(lab.ask('n2', 'n1', 'append', { key: 'k', value: 'no' })).toEqual(['kv_error', { definite: true, reason: 'n1 is not the leader (no leader known)' }]);
    expect(lab.ask('n1', 'n2', 'append', { key: 'k', value: 'no' })).toEqual(['kv_error', { definite: true, reason: 'n2 is not the leader (n1 leads term 1)' }]);
    expect(lab.lines('n2', 'refused')).toEqual([[expect.any(Number), { key: 'k', value: 'no', reason: 'n2 is not the leader (n1 leads term 1)' }]]);

    lab.run(1500);
    // n3 stands only once its timer ran out, well after n1's lease ended.
    const [[n3At, n3Leads]] = lab.lines('n3', 'leader');
    expect(n3At).toBe(5400);
    expect(n3At).toBeGreaterThanOrEqual(4000);
    expect(n3Leads).toEqual({ term: 2, quorum: true, votes: ['n3', 'n4', 'n5'], leaseMs: 1000, leftMs: 1000 });
    expect(lab.ask('n4', 'n3', 'append', { key: 'k', value: 'kept' })).toEqual(['append_ok', { key: 'k', term: 2 }]);
    // The minority asks again and again whether it could win (pre-votes), never stands, and its term never moves.
    lab.run(3000);
    const since = (node: NodeId, key: string) => lab.lines(node, key).filter(([at]) => at > 3000);
    expect(since('n1', 'pre_vote').length + since('n2', 'pre_vote').length).toBeGreaterThan(1);
    for (const node of ['n1', 'n2']) for (const [, v] of since(node, 'pre_vote')) expect(v).toEqual({ term: 2 });
    expect([...since('n1', 'candidate'), ...since('n2', 'candidate')]).toEqual([]);
    expect(lab.lines('n1', 'leader')).toHaveLength(1);
    expect(lab.lines('n2', 'leader')).toEqual([]);

    lab.heal().run(10_000);
    const offices = lab.offices();
    expect(overlaps(offices)).toBe(false);
    // Healing does not unseat n3: the minority follows it at its next round and takes its entries.
    expect(offices.filter(([, , , to]) => to === null)).toEqual([['n3', 2, 5400, null]]);
    expect(lab.lines('n3', 'step_down')).toEqual([]);
    for (const node of ['n1', 'n2']) expect(lab.lines(node, 'follow').at(-1)?.[1]).toEqual({ leader: 'n3', term: 2 });
    for (const node of NODES) expect(lab.ask(node === 'n1' ? 'n2' : 'n1', node, 'get', { key: 'k' })).toEqual(['get_ok', { key: 'k', value: ['kept'] }]);
    // n1's unacknowledged value is what it dropped.
    expect(lab.lines('n1', 'adopt').flatMap(([, v]) => leaderAdoptEventSchema.parse(v).dropped)).toEqual([{ key: 'k', value: 'maybe', term: 1 }]);
  });
});

describe('leader: a quorum append', () => {
  it('is applied at once, carried in a round, and answered only once a majority acknowledged that round', () => {
    const lab = new Lab(true).run(2500);
    const answer = lab.call('n5', 'n1', 'append', { key: 'k', value: 1 });
    const [request] = lab.net.deliver({ to: 'n1', type: 'append' });
    expect(lab.net.pending({ from: 'n1', type: 'lead' }).map((e) => e.to)).toEqual(['n2', 'n3', 'n4', 'n5']);
    const acks = (to: NodeId) => {
      lab.net.deliver({ from: 'n1', to, type: 'lead' });
      lab.net.deliver({ from: to, to: 'n1', type: 'lead_ack' });
    };
    acks('n2');
    // n1 and n2: two of five.
    expect(lab.net.pending({ from: 'n1', type: 'append_ok' })).toEqual([]);
    expect(lab.lines('n1', 'accepted')).toEqual([]);
    acks('n3');
    expect(lab.net.pending({ from: 'n1', type: 'append_ok' })).toHaveLength(1);
    expect(lab.net.stateTraces('n1', 'accepted').map((t) => t.event)).toEqual([{ kind: 'state', behaviour: 'leader', key: 'accepted', value: { key: 'k', value: 1, term: 1 }, msg: request.id }]);
    lab.flush();
    expect(answer()?.reply).toMatchObject({ type: 'append_ok', body: { key: 'k', term: 1 } });
    expect(lab.ask('n1', 'n4', 'get', { key: 'k' })).toEqual(['get_ok', { key: 'k', value: [1] }]);
  });

  it('in a lab of one node is answered at once (a majority of one)', () => {
    const lab = new Lab(true, ['n1']).run(2100);
    const h = lab.net.node('n1');
    h.deliver(h.envelope('n2', 'append', { id: 'n2-1', body: { key: 'k', value: 'solo' } }));
    expect(lab.net.stateTraces('n1', 'accepted').map((t) => t.event)).toEqual([expect.objectContaining({ value: { key: 'k', value: 'solo', term: 1 }, msg: 'n2-1' })]);
    // (n2 is not in this lab: the answer finds no link.)
    expect(h.events().at(-1)).toMatchObject({ kind: 'failed_send', to: 'n2', msgType: 'append_ok' });
  });
});

describe('leader: votes', () => {
  it('refuses a vote while it hears a live leader, and its term does not move', () => {
    const lab = new Lab(true).run(2500);
    const n2 = lab.net.node('n2');
    n2.deliver(n2.envelope('n5', 'vote_req', { id: 'n5-900', body: { term: 7, entriesTerm: 1, entriesCount: 0 } }));
    expect(n2.sent().find((e) => e.replyTo === 'n5-900')).toMatchObject({ type: 'vote', body: { term: 1, granted: false, reason: expect.stringMatching(/^n2 heard leader n1 \(term 1\) \d+ ms ago$/) as unknown } });
    lab.run(2000);
    expect(n2.sent().filter((e) => e.type === 'lead_ack').every((e) => e.body.term === 1)).toBe(true);
    expect(NODES.flatMap((n) => lab.lines(n, 'step_down'))).toEqual([]);
  });

  it('refuses a candidate whose entries are older than its own, and votes once a term', () => {
    const lab = new Lab(true).run(2500);
    lab.ask('n5', 'n1', 'append', { key: 'k', value: 1 });
    // Long after n1 went silent (nothing delivered), n2 is free to vote.
    lab.partition(['n1'], ['n2'], ['n3'], ['n4'], ['n5']).run(1500);
    const n2 = lab.net.node('n2');
    n2.deliver(n2.envelope('n5', 'vote_req', { id: 'n5-901', body: { term: 3, entriesTerm: 1, entriesCount: 0 } }));
    n2.deliver(n2.envelope('n4', 'vote_req', { id: 'n4-902', body: { term: 3, entriesTerm: 1, entriesCount: 1 } }));
    n2.deliver(n2.envelope('n3', 'vote_req', { id: 'n3-903', body: { term: 3, entriesTerm: 1, entriesCount: 1 } }));
    const vote = (id: string) => n2.sent().find((e) => e.replyTo === id)?.body;
    expect(vote('n5-901')).toEqual({ term: 3, granted: false, reason: "n5's entries (term 1, 0 values) are older than n2's (term 1, 1 values)" });
    expect(vote('n4-902')).toEqual({ term: 3, granted: true });
    // A granted vote is a promise for a lease's time; after that, still one vote a term.
    expect(vote('n3-903')).toEqual({ term: 3, granted: false, reason: 'n2 voted for n4 (term 3) 0 ms ago' });
    lab.run(1000);
    n2.deliver(n2.envelope('n3', 'vote_req', { id: 'n3-904', body: { term: 3, entriesTerm: 1, entriesCount: 1 } }));
    expect(vote('n3-904')).toEqual({ term: 3, granted: false, reason: 'n2 voted for n4 in term 3' });
  });
});

describe('leader: bounds and bad input', () => {
  it('answers a bad client body with a definite kv_error naming the field', () => {
    const lab = new Lab(false).run(2500);
    expect(lab.ask('n2', 'n1', 'append', { value: 1 })).toEqual(['kv_error', { definite: true, reason: expect.stringMatching(/^append\.key: /) as unknown }]);
    expect(lab.ask('n2', 'n1', 'append', { key: 'k', value: 1, ttl: 5 })).toEqual(['kv_error', { definite: true, reason: 'append.ttl: unknown field' }]);
    expect(lab.ask('n2', 'n1', 'append', { key: 'k', value: 'x'.repeat(300) })[1]).toMatchObject({ definite: true, reason: expect.stringMatching(/^append\.value: expected a value \(any JSON, at most 200 characters\)/) as unknown });
    expect(lab.ask('n2', 'n1', 'get', { key: 7 })).toEqual(['kv_error', { definite: true, reason: expect.stringMatching(/^get\.key: .*got 7$/) as unknown }]);
    expect(lab.ask('n2', 'n1', 'get', { key: 'none' })).toEqual(['get_ok', { key: 'none', value: null }]);
    expect(lab.net.invoke('n3', 'get', { key: 'none' })).toEqual({ ok: true, result: { key: 'none', value: null } });
    expect(lab.net.invoke('n1', 'append', { key: 'k', value: 1 })).toMatchObject({ ok: false, error: expect.stringContaining('only from another node') as unknown });
  });

  it('ignores a peer`s bad message with a local line, and never throws', () => {
    const lab = new Lab(true).run(2500);
    const h = lab.net.node('n3');
    h.deliver(h.envelope('n1', 'lead', { id: 'n1-900', body: { term: 'one', round: 1, entries: [] } }));
    h.deliver(h.envelope('n1', 'lead', { id: 'n1-901', body: { term: 9, round: 1, entries: [{ key: 'k', values: [] }, { key: 'k', values: [] }] } }));
    h.deliver(h.envelope('n1', 'vote', { id: 'n1-902', body: { granted: 'yes' } }));
    const locals = h.events().flatMap((e) => (e.kind === 'local' ? [e.label] : []));
    expect(locals).toEqual([
      expect.stringMatching(/^leader: lead n1-900 from n1 ignored: lead\.term: /),
      expect.stringMatching(/^leader: lead n1-901 from n1 ignored: lead\.entries: expected each key once/),
      expect.stringMatching(/^leader: vote n1-902 from n1 ignored: vote\.term: /),
    ]);
    lab.run(1000);
    expect(NODES.flatMap((n) => lab.lines(n, 'step_down'))).toEqual([]);
  });

  it(`keeps at most ${LEADER_MAX_VALUES} values: the next append is refused`, () => {
    const lab = new Lab(false, ['n1']).run(2100);
    const h = lab.net.node('n1');
    for (let i = 0; i <= LEADER_MAX_VALUES; i++) h.deliver(h.envelope('n2', 'append', { id: `n2-${i + 1}`, body: { key: `k${i % 7}`, value: i } }));
    // (n2 is not in this lab: the answers find no link; the trace says what they were.)
    expect(lab.lines('n1', 'accepted')).toHaveLength(LEADER_MAX_VALUES);
    expect(lab.lines('n1', 'refused').map(([, v]) => v)).toEqual([{ key: 'k6', value: LEADER_MAX_VALUES, reason: `n1 holds ${LEADER_MAX_VALUES} values, the most it keeps` }]);
    expect(h.events().at(-1)).toMatchObject({ kind: 'failed_send', to: 'n2', msgType: 'kv_error' });
  });
});
