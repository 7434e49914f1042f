/**
 * The lesson behaviours (service, counter, log) through the pure core, time fed by hand: what they
 * answer, when, and the `state` events a lesson's checks read.
 */
import { behaviourSpecSchema, commandSchema, type Envelope, type NodeTraceEvent } from '@faultline/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Harness } from '../support/core-harness.js';

type State = Extract<NodeTraceEvent, { kind: 'state' }>;

function start(h: Harness, behaviour: unknown): number {
  return h.command(commandSchema.parse({ type: 'start_behaviour', behaviour }));
}
const states = (h: Harness, key?: string): State[] => h.events().filter((e): e is State => e.kind === 'state' && (key === undefined || e.key === key));
const repliesTo = (h: Harness, request: Envelope): Envelope[] => h.sent().filter((e) => e.replyTo === request.id);

describe('start_behaviour', () => {
  it('starts a behaviour, traces its settings, and refuses a second one on the same message types', () => {
    const h = new Harness('n2');
    const id = start(h, { name: 'counter', idempotent: true });
    expect(h.reply(id)).toMatchObject({ ok: true, result: { name: 'counter', messageTypes: ['incr', 'read'] } });
    expect(states(h, 'started')[0]).toMatchObject({ behaviour: 'counter', value: { name: 'counter', idempotent: true, delayMs: 0 } });
    const again = start(h, { name: 'counter' });
    expect(h.reply(again)).toMatchObject({ ok: false, error: 'this node already runs counter (one of a kind a node; start a new lab to change its settings)' });
  });

  it('started among some nodes, a behaviour sees and gossips to those peers only', () => {
    const h = new Harness('n1');
    h.command(commandSchema.parse({ type: 'set_peers', peers: { n2: 'ws://x/2', n3: 'ws://x/3', n4: 'ws://x/4' } }));
    h.up('n2', 'n3', 'n4');
    const id = h.command(commandSchema.parse({ type: 'start_behaviour', behaviour: { name: 'register' }, among: ['n1', 'n2'] }));
    expect(h.reply(id)).toMatchObject({ ok: true });
    h.command(commandSchema.parse({ type: 'invoke', msgType: 'write', body: { key: 'x', value: 1 } }));
    expect(h.sent().filter((e) => e.type === 'reg_put').map((e) => e.to)).toEqual(['n2']);
  });

  it('stop_behaviour traces `stopped`, forgets the behaviour (its types are unhandled again), and refuses one that does not run', () => {
    const h = new Harness('n2');
    start(h, { name: 'counter' });
    const stop = h.command(commandSchema.parse({ type: 'stop_behaviour', name: 'counter' }));
    expect(h.reply(stop)).toMatchObject({ ok: true, result: { name: 'counter' } });
    expect(states(h, 'stopped')).toMatchObject([{ behaviour: 'counter', value: 'counter' }]);
    const incr = h.command(commandSchema.parse({ type: 'invoke', msgType: 'incr', body: {} }));
    expect(h.reply(incr)).toMatchObject({ ok: false });
    const again = h.command(commandSchema.parse({ type: 'stop_behaviour', name: 'counter' }));
    expect(h.reply(again)).toMatchObject({ ok: false, error: 'n2 runs no counter' });
    // And it can be started afresh.
    expect(h.reply(start(h, { name: 'counter' }))).toMatchObject({ ok: true });
  });

  it('rejects unknown behaviours and bad settings with a message naming the field', () => {
    expect(behaviourSpecSchema.safeParse({ name: 'raft' }).success).toBe(false);
    expect(behaviourSpecSchema.safeParse({ name: 'service', delayMs: -1 }).success).toBe(false);
    expect(behaviourSpecSchema.safeParse({ name: 'log', mode: 'magic' }).success).toBe(false);
  });
});

describe('service', () => {
  it('processes a request after its delay, then replies; nothing before', () => {
    const h = new Harness('n2');
    h.up('n1');
    start(h, { name: 'service', delayMs: 300 });
    const request = h.envelope('n1', 'work', { body: { job: 'a' } });
    h.deliver(request);
    expect(h.effects.at(-1)).toEqual({ kind: 'wake', atMonoMs: h.monoMs + 300 });
    h.advance(299);
    expect(states(h, 'processed')).toEqual([]);
    expect(repliesTo(h, request)).toEqual([]);
    h.advance(1);
    expect(states(h, 'processed')).toEqual([expect.objectContaining({ behaviour: 'service', value: 1, msg: request.id })]);
    expect(repliesTo(h, request)).toEqual([expect.objectContaining({ type: 'work_ok', body: { job: 'a' } })]);
  });
});

describe('counter', () => {
  const incr = (h: Harness, key?: string): Envelope => {
    const e = h.envelope('n1', 'incr', { id: `n1-${h.sent().length}-${h.monoMs}`, body: key === undefined ? {} : { key } });
    h.deliver(e);
    h.advance(0);
    return e;
  };

  it('naive: a retried request (same key) is applied twice', () => {
    const h = new Harness('n2');
    h.up('n1');
    start(h, { name: 'counter' });
    const first = incr(h, 'k1');
    h.advance(1);
    const retry = incr(h, 'k1');
    expect(states(h, 'counter').map((s) => s.value)).toEqual([1, 2]);
    expect(repliesTo(h, first)[0].body).toEqual({ value: 1 });
    expect(repliesTo(h, retry)[0].body).toEqual({ value: 2 });
  });

  it('idempotent: the same key is applied once and answered with the first answer', () => {
    const h = new Harness('n2');
    h.up('n1');
    start(h, { name: 'counter', idempotent: true });
    incr(h, 'k1');
    h.advance(1);
    const retry = incr(h, 'k1');
    h.advance(1);
    incr(h, 'k2');
    h.advance(1);
    incr(h);
    expect(states(h, 'counter').map((s) => s.value)).toEqual([1, 2, 3]);
    expect(states(h, 'duplicate').map((s) => s.value)).toEqual(['k1']);
    expect(repliesTo(h, retry)[0].body).toEqual({ value: 1, duplicate: true });
    const read = h.envelope('n1', 'read', { id: 'n1-read' });
    h.deliver(read);
    expect(repliesTo(h, read)[0]).toMatchObject({ type: 'read_ok', body: { value: 3 } });
  });
});

describe('counter: a client on the node', () => {
  it('reads the value; refuses incr, which comes from peers', () => {
    const h = new Harness('n2');
    h.up('n1');
    start(h, { name: 'counter' });
    h.deliver(h.envelope('n1', 'incr', { id: 'n1-1', body: { by: 5 } }));
    const read = h.command(commandSchema.parse({ type: 'invoke', msgType: 'read' }));
    expect(h.reply(read)).toMatchObject({ ok: true, result: { value: 5 } });
    const incr = h.command(commandSchema.parse({ type: 'invoke', msgType: 'incr', body: { by: 1 } }));
    expect(h.reply(incr)).toMatchObject({ ok: false, error: 'counter takes only read as a client request; incr comes from peers' });
    expect(states(h, 'counter').map((s) => s.value)).toEqual([5]);
  });
});

describe('log', () => {
  const feed = (mode: 'naive' | 'sequenced', seqs: number[]): { log: unknown[]; h: Harness } => {
    const h = new Harness('n2');
    start(h, { name: 'log', mode });
    seqs.forEach((seq, i) => h.deliver(h.envelope('n1', 'append', { id: `n1-${i}`, body: { item: `item-${seq}`, seq } })));
    return { log: states(h, 'append').map((s) => s.value), h };
  };

  it('naive: duplicates and reordering go straight into the log', () => {
    expect(feed('naive', [1, 3, 2, 2, 4]).log).toEqual(['item-1', 'item-3', 'item-2', 'item-2', 'item-4']);
  });

  it('sequenced: in order and once each, whatever the arrival order and duplicates', () => {
    const { log, h } = feed('sequenced', [1, 3, 2, 2, 4, 3]);
    expect(log).toEqual(['item-1', 'item-2', 'item-3', 'item-4']);
    expect(states(h, 'duplicate').map((s) => s.value)).toEqual([2, 3]);
    expect(states(h, 'held_back').map((s) => s.value)).toEqual([3]);
  });

  it('sequenced, property: any shuffle with any duplicates of 1..n gives exactly 1..n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()].map((i) => i + 1), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 1, max: n }), { maxLength: 10 })),
        ),
        ([n, order, dups]) => {
          const arrivals = [...order];
          for (const d of dups) arrivals.splice(Math.floor(arrivals.length / 2), 0, d);
          expect(feed('sequenced', arrivals).log).toEqual([...Array(n).keys()].map((i) => `item-${i + 1}`));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('sequenced: a message without a seq is ignored with a local event, not a crash', () => {
    const h = new Harness('n2');
    start(h, { name: 'log', mode: 'sequenced' });
    h.deliver(h.envelope('n1', 'append', { body: { item: 'x' } }));
    expect(states(h, 'append')).toEqual([]);
    expect(h.events().at(-1)).toMatchObject({ kind: 'local' });
  });
});
