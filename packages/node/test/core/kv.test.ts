/**
 * The replicated key-value store through real cores, messages delivered by hand and time moved by
 * hand: n1, n2, n3 are the replicas, n4 a client that is not one (its calls are the lab's `rpc`).
 * Each mode's answers, versions and traces; a primary that goes on without a backup and the stale
 * read that follows; quorums with replicas unreachable, write-back, concurrent operations, late
 * answers; and bad bodies.
 */
import {
  behaviourSpecSchema,
  commandSchema,
  kvApplyEventSchema,
  kvBackupMissedEventSchema,
  kvReadEventSchema,
  rpcResultSchema,
  type BehaviourSpecInput,
  type Envelope,
  type NodeId,
} from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { KvBehaviour, type KvSpec } from '../../src/behaviours/kv.js';
import { Harness } from '../support/core-harness.js';
import { HandNetwork } from '../support/hand-network.js';

type Settings = Omit<Extract<BehaviourSpecInput, { name: 'kv' }>, 'name'>;

const REPLICAS: NodeId[] = ['n1', 'n2', 'n3'];

/** n1 … n3 run kv with `settings` (replicas n1, n2, n3 unless said); n4 runs nothing: a client. */
function lab(settings: Settings): HandNetwork {
  return new HandNetwork(['n1', 'n2', 'n3', 'n4'], (id) => (id === 'n4' ? undefined : { name: 'kv', replicas: REPLICAS, ...settings }));
}

interface Call {
  /** The request as sent. */
  readonly request: Envelope;
  /** Its reply, once it reached the caller. */
  reply(): { type: string; body: Record<string, unknown>; replyTo?: string } | undefined;
}

/** `from` (n4 unless said) calls `to`: an `rpc` with a timeout long enough never to matter here. */
function call(net: HandNetwork, to: NodeId, msgType: string, body: Record<string, unknown>, from: NodeId = 'n4'): Call {
  const h = net.node(from);
  const id = h.command(commandSchema.parse({ type: 'rpc', to, msgType, body, timeoutMs: 600_000 }));
  const request = h.sent().at(-1)!;
  expect(request).toMatchObject({ to, type: msgType });
  return {
    request,
    reply: () => {
      const answer = h.reply(id);
      if (!answer) return undefined;
      const result = rpcResultSchema.parse(answer.result);
      expect(result.outcome).toBe('ok');
      const { type, body: replyBody, replyTo } = result.reply!;
      return { type, body: replyBody, replyTo };
    },
  };
}

/** Delivers what is in flight, and what it causes, except what goes to or comes from `lost`. */
function settleWithout(net: HandNetwork, lost: NodeId[]): void {
  for (;;) {
    for (const node of lost) {
      net.drop({ to: node });
      net.drop({ from: node });
    }
    if (net.pending().length === 0) return;
    net.deliver();
  }
}

/** A call made and settled: its reply. */
function done(net: HandNetwork, to: NodeId, msgType: string, body: Record<string, unknown>, lost: NodeId[] = []): ReturnType<Call['reply']> {
  const c = call(net, to, msgType, body);
  settleWithout(net, lost);
  return c.reply();
}

const applies = (net: HandNetwork, node: NodeId) => net.states(node, 'kv_apply').map((s) => kvApplyEventSchema.parse(s.value));
const locals = (net: HandNetwork, node: NodeId): string[] => net.node(node).events().flatMap((e) => (e.kind === 'local' ? [e.label] : []));

describe('kv single', () => {
  it('put, get and append on one node, which ignores its replicas setting; versions count the writes', () => {
    const net = lab({ mode: 'single', replicas: ['n2', 'n3'] });
    expect(done(net, 'n1', 'get', { key: 'x' })).toMatchObject({ type: 'get_ok', body: { key: 'x', value: null, version: null } });
    const put = call(net, 'n1', 'put', { key: 'x', value: { a: 1 } });
    net.settle();
    expect(put.reply()).toEqual({ type: 'put_ok', body: { key: 'x', version: { n: 1, node: 'n1' } }, replyTo: put.request.id });
    expect(done(net, 'n1', 'append', { key: 'x', value: 2 })).toMatchObject({ type: 'append_ok', body: { key: 'x', version: { n: 2, node: 'n1' } } });
    expect(done(net, 'n1', 'append', { key: 'x', value: [3] })).toMatchObject({ body: { version: { n: 3, node: 'n1' } } });
    const get = call(net, 'n1', 'get', { key: 'x' });
    net.settle();
    expect(get.reply()).toMatchObject({ type: 'get_ok', body: { key: 'x', value: [{ a: 1 }, 2, [3]], version: { n: 3, node: 'n1' } } });
    expect(done(net, 'n1', 'append', { key: 'y', value: 'a' })).toMatchObject({ body: { version: { n: 1, node: 'n1' } } });
    expect(done(net, 'n1', 'get', { key: 'y' })).toMatchObject({ body: { value: ['a'] } });
    // Nothing went to the other replicas; every change and every read traced, with the request's id.
    expect(net.pending()).toEqual([]);
    expect(applies(net, 'n1').map((a) => [a.key, a.value, a.version.n])).toEqual([
      ['x', { a: 1 }, 1],
      ['x', [{ a: 1 }, 2], 2],
      ['x', [{ a: 1 }, 2, [3]], 3],
      ['y', ['a'], 1],
    ]);
    expect(net.states('n1', 'kv_apply')[0].msg).toBe(put.request.id);
    const reads = net.states('n1', 'kv_read');
    expect(reads.map((s) => kvReadEventSchema.parse(s.value).value)).toEqual([null, [{ a: 1 }, 2, [3]], ['a']]);
    expect(reads[1].msg).toBe(get.request.id);
  });
});

describe('kv primary-backup', () => {
  it('a write at the primary reaches the backups and is answered once both acknowledged', () => {
    const net = lab({ mode: 'primary-backup' });
    const put = call(net, 'n1', 'put', { key: 'x', value: 'a' });
    net.deliver({ to: 'n1' });
    // Applied at the primary at once, then copied.
    expect(applies(net, 'n1')).toEqual([{ key: 'x', value: 'a', version: { n: 1, node: 'n1' } }]);
    expect(net.pending({ from: 'n1' }).map((e) => [e.to, e.type, e.body])).toEqual([
      ['n2', 'kv_replicate', { key: 'x', value: 'a', version: { n: 1, node: 'n1' } }],
      ['n3', 'kv_replicate', { key: 'x', value: 'a', version: { n: 1, node: 'n1' } }],
    ]);
    net.deliver({ type: 'kv_replicate' });
    net.deliver({ from: 'n2', type: 'kv_replicate_ok' });
    net.deliver({ to: 'n4' });
    expect(put.reply()).toBeUndefined();
    net.deliver({ from: 'n3', type: 'kv_replicate_ok' });
    net.deliver({ to: 'n4' });
    expect(put.reply()).toMatchObject({ type: 'put_ok', body: { key: 'x', version: { n: 1, node: 'n1' } } });
    for (const node of ['n2', 'n3']) expect(applies(net, node)).toEqual([{ key: 'x', value: 'a', version: { n: 1, node: 'n1' } }]);
    expect(net.states('n1', 'kv_backup_missed')).toEqual([]);
    expect(done(net, 'n3', 'get', { key: 'x' })).toMatchObject({ type: 'get_ok', body: { value: 'a' } });
    expect(done(net, 'n1', 'append', { key: 'x', value: 'b' })).toMatchObject({ type: 'append_ok', body: { version: { n: 2, node: 'n1' } } });
    expect(done(net, 'n2', 'get', { key: 'x' })).toMatchObject({ body: { value: ['a', 'b'], version: { n: 2, node: 'n1' } } });
  });

  it('a write at a backup is refused, definite, naming the primary (the first replica, or the one set)', () => {
    const net = lab({ mode: 'primary-backup' });
    expect(done(net, 'n3', 'put', { key: 'x', value: 1 })).toMatchObject({ type: 'kv_error', body: { definite: true, reason: 'n3 is a backup: writes go to the primary n1' } });
    const other = lab({ mode: 'primary-backup', primary: 'n2' });
    expect(done(other, 'n1', 'append', { key: 'x', value: 1 })).toMatchObject({ type: 'kv_error', body: { definite: true, reason: 'n1 is a backup: writes go to the primary n2' } });
    expect(done(other, 'n2', 'put', { key: 'x', value: 1 })).toMatchObject({ type: 'put_ok', body: { version: { n: 1, node: 'n2' } } });
    expect(applies(net, 'n3')).toEqual([]);
  });

  it('a backup that never gets the copy: the primary answers ok after timeoutMs, traces the miss, and the backup serves the stale value', () => {
    const net = lab({ mode: 'primary-backup' });
    expect(done(net, 'n1', 'put', { key: 'x', value: 1 })).toMatchObject({ type: 'put_ok' });
    const put = call(net, 'n1', 'put', { key: 'x', value: 2 });
    net.deliver({ to: 'n1' });
    expect(net.drop({ to: 'n3' })).toHaveLength(1);
    settleWithout(net, ['n3']);
    net.advance(999);
    net.settle();
    expect(put.reply()).toBeUndefined();
    net.advance(1);
    net.settle();
    expect(put.reply()).toMatchObject({ type: 'put_ok', body: { key: 'x', version: { n: 2, node: 'n1' } } });
    const [missed] = net.states('n1', 'kv_backup_missed');
    expect(kvBackupMissedEventSchema.parse(missed.value)).toEqual({ key: 'x', version: { n: 2, node: 'n1' }, backups: ['n3'] });
    expect(missed.msg).toBe(put.request.id);
    // The stale read: n3 still answers 1, n2 answers 2.
    expect(done(net, 'n3', 'get', { key: 'x' })).toMatchObject({ type: 'get_ok', body: { value: 1, version: { n: 1, node: 'n1' } } });
    expect(done(net, 'n2', 'get', { key: 'x' })).toMatchObject({ type: 'get_ok', body: { value: 2, version: { n: 2, node: 'n1' } } });
  });

  it('a backup behind a down link is skipped: the primary answers once the others acknowledged', () => {
    const net = lab({ mode: 'primary-backup' });
    net.node('n1').step({ kind: 'link', peer: 'n3', up: false });
    const put = call(net, 'n1', 'put', { key: 'x', value: 1 });
    net.deliver({ to: 'n1' });
    expect(net.node('n1').events().filter((e) => e.kind === 'failed_send')).toHaveLength(1);
    net.settle();
    expect(put.reply()).toMatchObject({ type: 'put_ok' });
    expect(net.states('n1', 'kv_backup_missed').map((s) => s.value)).toEqual([{ key: 'x', version: { n: 1, node: 'n1' }, backups: ['n3'] }]);
    // Its timer is gone: nothing happens later.
    net.advance(5000);
    expect(net.pending()).toEqual([]);
    expect(net.states('n1', 'kv_backup_missed')).toHaveLength(1);
  });

  it('a backup keeps only a newer version, and acknowledges every copy', () => {
    const net = lab({ mode: 'primary-backup' });
    const first = call(net, 'n1', 'put', { key: 'x', value: 'old' });
    const second = call(net, 'n1', 'put', { key: 'x', value: 'new' });
    net.deliver({ to: 'n1' });
    const [toN2Old, toN2New] = net.pending({ to: 'n2', type: 'kv_replicate' });
    net.deliverOne(toN2New);
    net.deliverOne(toN2Old);
    net.settle();
    expect(applies(net, 'n2')).toEqual([{ key: 'x', value: 'new', version: { n: 2, node: 'n1' } }]);
    expect(net.node('n2').sent().filter((e) => e.type === 'kv_replicate_ok')).toHaveLength(2);
    expect(first.reply()).toMatchObject({ type: 'put_ok', body: { version: { n: 1 } } });
    expect(second.reply()).toMatchObject({ type: 'put_ok', body: { version: { n: 2 } } });
    expect(net.states('n1', 'kv_backup_missed')).toEqual([]);
  });
});

describe('kv quorum', () => {
  it('a put at n1 is seen by a get at n3; a majority already agreeing needs no write-back', () => {
    const net = lab({ mode: 'quorum' });
    const put = call(net, 'n1', 'put', { key: 'x', value: 'a' });
    net.deliver({ to: 'n1' });
    expect(net.pending({ from: 'n1' }).map((e) => [e.to, e.type, e.body])).toEqual([
      ['n2', 'kv_query', { op: 1, key: 'x' }],
      ['n3', 'kv_query', { op: 1, key: 'x' }],
    ]);
    net.settle();
    expect(put.reply()).toMatchObject({ type: 'put_ok', body: { key: 'x', version: { n: 1, node: 'n1' } } });
    for (const node of REPLICAS) expect(applies(net, node)).toEqual([{ key: 'x', value: 'a', version: { n: 1, node: 'n1' } }]);
    const get = call(net, 'n3', 'get', { key: 'x' });
    net.settle();
    expect(get.reply()).toMatchObject({ type: 'get_ok', body: { key: 'x', value: 'a', version: { n: 1, node: 'n1' } } });
    expect(net.node('n3').sent().filter((e) => e.type === 'kv_store')).toEqual([]);
    expect(net.states('n3', 'kv_read')).toMatchObject([{ value: { key: 'x', value: 'a', version: { n: 1, node: 'n1' } }, msg: get.request.id }]);
    // An append builds on the highest version a majority holds.
    expect(done(net, 'n2', 'append', { key: 'x', value: 'b' })).toMatchObject({ type: 'append_ok', body: { version: { n: 2, node: 'n2' } } });
    expect(done(net, 'n1', 'get', { key: 'x' })).toMatchObject({ body: { value: ['a', 'b'], version: { n: 2, node: 'n2' } } });
  });

  it('works with one replica unreachable (lost messages, or a down link)', () => {
    const net = lab({ mode: 'quorum' });
    expect(done(net, 'n1', 'put', { key: 'x', value: 1 }, ['n3'])).toMatchObject({ type: 'put_ok', body: { version: { n: 1, node: 'n1' } } });
    expect(applies(net, 'n3')).toEqual([]);
    expect(done(net, 'n2', 'get', { key: 'x' }, ['n3'])).toMatchObject({ type: 'get_ok', body: { value: 1 } });
    net.node('n1').step({ kind: 'link', peer: 'n2', up: false });
    expect(done(net, 'n1', 'put', { key: 'x', value: 2 })).toMatchObject({ type: 'put_ok', body: { version: { n: 2, node: 'n1' } } });
  });

  it('two replicas unreachable: kv_error after timeoutMs, not definite for a put, definite for a get', () => {
    const net = lab({ mode: 'quorum' });
    const put = call(net, 'n1', 'put', { key: 'x', value: 1 });
    const get = call(net, 'n1', 'get', { key: 'x' });
    settleWithout(net, ['n2', 'n3']);
    net.advance(999);
    settleWithout(net, ['n2', 'n3']);
    expect([put.reply(), get.reply()]).toEqual([undefined, undefined]);
    net.advance(1);
    settleWithout(net, ['n2', 'n3']);
    const reason = 'no majority within 1000ms (2 of 3 replicas needed, 1 answered)';
    expect(put.reply()).toMatchObject({ type: 'kv_error', body: { definite: false, reason } });
    expect(get.reply()).toMatchObject({ type: 'kv_error', body: { definite: true, reason } });
    expect(applies(net, 'n1')).toEqual([]);
    expect(net.states('n1', 'kv_read')).toEqual([]);
  });

  it('a get whose majority disagrees writes the highest back before answering', () => {
    const net = lab({ mode: 'quorum' });
    done(net, 'n1', 'put', { key: 'x', value: 'a' }, ['n3']);
    const get = call(net, 'n3', 'get', { key: 'x' });
    net.deliver({ to: 'n3' });
    // Only n1 answers the query: n3 holds nothing, n1 holds version 1: they disagree.
    net.deliver({ to: 'n1', type: 'kv_query' });
    net.deliver({ to: 'n3', type: 'kv_query_ok' });
    expect(net.states('n3', 'kv_apply')).toMatchObject([{ value: { key: 'x', value: 'a', version: { n: 1, node: 'n1' } }, msg: get.request.id }]);
    expect(net.pending({ from: 'n3', type: 'kv_store' }).map((e) => [e.to, e.body])).toEqual([
      ['n1', { op: 1, key: 'x', value: 'a', version: { n: 1, node: 'n1' } }],
      ['n2', { op: 1, key: 'x', value: 'a', version: { n: 1, node: 'n1' } }],
    ]);
    net.deliver({ to: 'n4' });
    expect(get.reply()).toBeUndefined();
    net.deliver({ to: 'n1', type: 'kv_store' });
    net.deliver({ to: 'n3', type: 'kv_store_ok' });
    net.deliver({ to: 'n4' });
    expect(get.reply()).toMatchObject({ type: 'get_ok', body: { key: 'x', value: 'a', version: { n: 1, node: 'n1' } } });
    // n1 held that version already: no change there; n2's late answers change nothing.
    expect(applies(net, 'n1')).toHaveLength(1);
    const sentBefore = net.node('n3').sent().length;
    net.settle();
    expect(net.node('n3').sent()).toHaveLength(sentBefore);
    expect(net.states('n3', 'kv_read')).toHaveLength(1);
  });

  it('concurrent operations at one coordinator each get their own op, answers and version', () => {
    const net = lab({ mode: 'quorum' });
    const a = call(net, 'n1', 'put', { key: 'x', value: 'a' });
    const b = call(net, 'n1', 'put', { key: 'x', value: 'b' });
    const y = call(net, 'n1', 'get', { key: 'y' });
    net.deliver({ to: 'n1' });
    const queries = net.pending({ from: 'n1', type: 'kv_query' });
    expect(queries.map((e) => e.body.op)).toEqual([1, 1, 2, 2, 3, 3]);
    // b's phase 1 ends first, before any store: version 1 is b's.
    net.deliverOne(queries[2]);
    net.deliver({ to: 'n1', type: 'kv_query_ok' });
    expect(applies(net, 'n1')).toEqual([{ key: 'x', value: 'b', version: { n: 1, node: 'n1' } }]);
    // a's phase 1 answers, all from before b's store: a still gets version 2 (n1 counts its own copy).
    net.deliverOne(queries[0]);
    net.deliverOne(queries[1]);
    net.deliver({ to: 'n1', type: 'kv_query_ok' });
    expect(applies(net, 'n1').at(-1)).toEqual({ key: 'x', value: 'a', version: { n: 2, node: 'n1' } });
    net.settle();
    expect(a.reply()).toEqual({ type: 'put_ok', body: { key: 'x', version: { n: 2, node: 'n1' } }, replyTo: a.request.id });
    expect(b.reply()).toEqual({ type: 'put_ok', body: { key: 'x', version: { n: 1, node: 'n1' } }, replyTo: b.request.id });
    expect(y.reply()).toEqual({ type: 'get_ok', body: { key: 'y', value: null, version: null }, replyTo: y.request.id });
    for (const node of ['n2', 'n3']) expect(applies(net, node).at(-1)).toEqual({ key: 'x', value: 'a', version: { n: 2, node: 'n1' } });
  });

  it('ignores late and misdirected answers, and forgets every operation once it ended', () => {
    const kv = new KvBehaviour(behaviourSpecSchema.parse({ name: 'kv', mode: 'quorum', replicas: REPLICAS }) as KvSpec);
    const h = new Harness('n1', { behaviours: [kv] });
    h.command(commandSchema.parse({ type: 'set_peers', peers: { n2: 'ws://127.0.0.1:5002', n3: 'ws://127.0.0.1:5003', n4: 'ws://127.0.0.1:5004' } }));
    h.up('n2', 'n3', 'n4');
    const from = (node: NodeId, type: string, id: string, replyTo: string, body: Record<string, unknown>) => h.envelope(node, type, { id, replyTo, body });
    h.deliver(h.envelope('n4', 'put', { id: 'n4-1', body: { key: 'x', value: 1 } }));
    const [toN2, toN3] = h.sent().filter((e) => e.type === 'kv_query');
    // n3 answering the query sent to n2: not its own, ignored.
    h.deliver(from('n3', 'kv_query_ok', 'n3-1', toN2.id, { op: 1, key: 'x', value: null, version: null }));
    expect(h.sent().filter((e) => e.type === 'kv_store')).toEqual([]);
    h.deliver(from('n2', 'kv_query_ok', 'n2-1', toN2.id, { op: 1, key: 'x', value: null, version: null }));
    const stores = h.sent().filter((e) => e.type === 'kv_store');
    expect(stores.map((e) => e.to)).toEqual(['n2', 'n3']);
    h.deliver(from('n2', 'kv_store_ok', 'n2-2', stores[0].id, { op: 1, key: 'x', version: { n: 1, node: 'n1' } }));
    expect(h.sent().filter((e) => e.to === 'n4')).toMatchObject([{ type: 'put_ok', replyTo: 'n4-1' }]);
    expect(kv.underWay).toBe(0);
    expect(kv.wakeAtMs()).toBeNull();
    const effects = h.effects.length;
    // Late: n3's query answer and store acknowledgement, after the put ended.
    h.deliver(from('n3', 'kv_query_ok', 'n3-2', toN3.id, { op: 1, key: 'x', value: null, version: null }));
    h.deliver(from('n3', 'kv_store_ok', 'n3-3', stores[1].id, { op: 1, key: 'x', version: { n: 1, node: 'n1' } }));
    const after = h.effects.slice(effects);
    expect(after.filter((e) => e.kind === 'send')).toEqual([]);
    expect(after.flatMap((e) => (e.kind === 'trace' ? [e.event.kind] : []))).toEqual(['receive', 'receive']);
    // A get that times out, then its answers come: ignored, nothing left behind.
    h.deliver(h.envelope('n4', 'get', { id: 'n4-2', body: { key: 'x' } }));
    const late = h.sent().filter((e) => e.type === 'kv_query').slice(-2);
    h.advance(1000);
    expect(h.sent().at(-1)).toMatchObject({ type: 'kv_error', replyTo: 'n4-2', body: { definite: true } });
    h.deliver(from('n2', 'kv_query_ok', 'n2-3', late[0].id, { op: 2, key: 'x', value: 1, version: { n: 1, node: 'n1' } }));
    expect(h.sent().at(-1)).toMatchObject({ type: 'kv_error' });
    expect(kv.underWay).toBe(0);
    expect(kv.wakeAtMs()).toBeNull();
  });
});

describe('kv: bad input', () => {
  for (const mode of ['single', 'primary-backup', 'quorum'] as const) {
    it(`${mode}: a bad client body is refused, definite, naming the field`, () => {
      const net = lab({ mode });
      expect(done(net, 'n1', 'put', { value: 1 })).toMatchObject({ type: 'kv_error', body: { definite: true, reason: 'put.key: expected string, got nothing' } });
      expect(done(net, 'n1', 'get', { key: 5 })).toMatchObject({ type: 'kv_error', body: { definite: true, reason: 'get.key: expected string, got 5' } });
      expect(done(net, 'n1', 'append', { key: 'x' })).toMatchObject({ type: 'kv_error', body: { definite: true, reason: 'append.value: expected a value (any JSON), got nothing' } });
      expect(done(net, 'n1', 'put', { key: 'k'.repeat(201), value: 1 })).toMatchObject({ type: 'kv_error', body: { definite: true, reason: expect.stringMatching(/^put\.key: /) as unknown } });
      expect(applies(net, 'n1')).toEqual([]);
    });
  }

  it('a node that is not a replica refuses every request, definite', () => {
    const net = new HandNetwork(['n1', 'n2', 'n3', 'n4'], () => ({ name: 'kv', mode: 'quorum', replicas: REPLICAS }));
    const get = call(net, 'n4', 'get', { key: 'x' }, 'n1');
    net.settle();
    expect(get.reply()).toMatchObject({ type: 'kv_error', body: { definite: true, reason: 'n4 is not a replica of this store (replicas: n1, n2, n3)' } });
  });

  it('a bad message from a replica is noted and ignored, never answered', () => {
    const net = lab({ mode: 'quorum' });
    const h = net.node('n2');
    h.deliver(h.envelope('n1', 'kv_store', { id: 'n1-50', body: { op: 1, key: 'x', value: 1, version: { n: 0, node: 'n1' } } }));
    h.deliver(h.envelope('n1', 'kv_query', { id: 'n1-51', body: { key: 'x' } }));
    h.deliver(h.envelope('n1', 'kv_replicate', { id: 'n1-52', body: { key: 'x', value: 1, version: { n: 1, node: 'n1' } } }));
    expect(locals(net, 'n2')).toEqual([
      expect.stringMatching(/^kv: kv_store n1-50 from n1 ignored: kv_store\.version\.n: /),
      'kv: kv_query n1-51 from n1 ignored: kv_query.op: expected number, got nothing',
      'kv: kv_replicate n1-52 from n1 ignored: this node runs kv in quorum mode',
    ]);
    expect(h.sent()).toEqual([]);
    expect(applies(net, 'n2')).toEqual([]);
  });
});
