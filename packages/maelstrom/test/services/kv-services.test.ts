import type { MaelstromBody, MaelstromMessage } from '@faultline/protocol';
import { createRng } from '@faultline/random';
import { describe, expect, it } from 'vitest';
import { linKvService, type LinKvState } from '../../src/services/lin-kv.js';
import { linTsoService } from '../../src/services/lin-tso.js';
import { lwwKvService, mergeReplicas, type LwwKvState } from '../../src/services/lww-kv.js';
import { SERVICES, serve, startService } from '../../src/services/registry.js';
import { seqKvService, type SeqKvState } from '../../src/services/seq-kv.js';
import { scriptedRng } from '../support/scripted-rng.js';

let msgId = 0;
const req = (src: string, body: Record<string, unknown> & { type: string }): MaelstromMessage => ({ src, dest: 'svc', body: { ...body, msg_id: ++msgId } });

describe('lin-kv (the key-value semantics shared by the kv services)', () => {
  const rng = createRng(1);
  const run = (state: LinKvState, ...msgs: MaelstromMessage[]): { state: LinKvState; replies: MaelstromBody[] } => {
    const replies: MaelstromBody[] = [];
    for (const m of msgs) {
      const h = linKvService.handle(state, m, { rng });
      state = h.state;
      replies.push(h.reply);
    }
    return { state, replies };
  };

  it('reads a missing key as error 20; writes, reads, and answers in reply to the request', () => {
    const r1 = req('n1', { type: 'read', key: 'x' });
    const { replies } = run(linKvService.init(), r1, req('n1', { type: 'write', key: 'x', value: [1] }), req('n2', { type: 'read', key: 'x' }));
    expect(replies[0]).toEqual({ type: 'error', code: 20, text: 'key "x" does not exist', in_reply_to: r1.body.msg_id });
    expect(replies[1]).toMatchObject({ type: 'write_ok' });
    expect(replies[2]).toMatchObject({ type: 'read_ok', value: [1] });
  });

  it('does a cas only from the value held (22 otherwise, 20 on a missing key unless create_if_not_exists)', () => {
    const { replies } = run(
      linKvService.init(),
      req('n1', { type: 'cas', key: 1, from: 0, to: 1 }),
      req('n1', { type: 'cas', key: 1, from: 0, to: 1, create_if_not_exists: true }),
      req('n1', { type: 'cas', key: 1, from: 0, to: 2 }),
      req('n1', { type: 'cas', key: 1, from: 1, to: 2 }),
      req('n1', { type: 'read', key: 1 }),
      req('n1', { type: 'read', key: '1' }),
    );
    expect(replies.map((r) => r.type === 'error' ? r.code : r.type)).toEqual([20, 'cas_ok', 22, 'cas_ok', 'read_ok', 20]);
    expect(replies[2]).toMatchObject({ text: 'current value 1 is not 0' });
    expect(replies[4]).toMatchObject({ value: 2 });
  });

  it('answers a request missing a field with 12, naming it, and an unknown type with 10', () => {
    const { replies } = run(linKvService.init(), req('n1', { type: 'write', key: 1 }), req('n1', { type: 'append', key: 1, value: 2 }));
    expect(replies[0]).toMatchObject({ type: 'error', code: 12, text: 'write.value: expected a value (any JSON), got nothing' });
    expect(replies[1]).toMatchObject({ type: 'error', code: 10, text: 'lin-kv does not support "append": only read, write and cas' });
  });
});

describe('seq-kv: one order, each client forward in it, maybe behind', () => {
  const step = (state: SeqKvState, rngInts: number[], m: MaelstromMessage) => seqKvService.handle(state, m, { rng: scriptedRng(...rngInts) });

  it('may serve a client a past state, never one older than it has seen, and reads its own writes', () => {
    let s = seqKvService.init();
    s = step(s, [0], req('n1', { type: 'write', key: 'x', value: 1 })).state; // state 1
    s = step(s, [0], req('n1', { type: 'write', key: 'x', value: 2 })).state; // state 2
    // n2 has seen nothing: a draw of state 0 answers that x does not exist yet; of state 1, x = 1.
    const stale = step(s, [0], req('n2', { type: 'read', key: 'x' }));
    expect(stale.reply).toMatchObject({ type: 'error', code: 20 });
    const older = step(stale.state, [1], req('n2', { type: 'read', key: 'x' }));
    expect(older.reply).toMatchObject({ type: 'read_ok', value: 1 });
    // Having seen state 1, n2 draws among 1 and 2 only (int(2)): 0 is state 1 again, never state 0.
    expect(step(older.state, [0], req('n2', { type: 'read', key: 'x' })).reply).toMatchObject({ value: 1 });
    // n1 has seen state 2 (its own write): it reads 2, whatever the draw (int(1)).
    expect(step(older.state, [0], req('n1', { type: 'read', key: 'x' })).reply).toMatchObject({ value: 2 });
  });

  it('puts an update on the newest state, even when the client was behind (Maelstrom docs example)', () => {
    let s = seqKvService.init();
    s = step(s, [0], req('n1', { type: 'write', key: 'x', value: 1 })).state; // state 1: x = 1
    const cas = step(s, [1], req('n2', { type: 'cas', key: 'x', from: 1, to: 2 })); // state 2: x = 2
    expect(cas.reply.type).toBe('cas_ok');
    // n1 writes x = 1 again: in its own past (state 1) this changes nothing, so it is ordered there.
    const again = step(cas.state, [0], req('n1', { type: 'write', key: 'x', value: 1 }));
    expect(again.reply.type).toBe('write_ok');
    expect(again.state.newest).toBe(2);
    expect(step(again.state, [0], req('n2', { type: 'read', key: 'x' })).reply).toMatchObject({ value: 2 });
    // A cas from a stale view fails against the newest state.
    const late = step(again.state, [0], req('n1', { type: 'cas', key: 'x', from: 1, to: 3 }));
    expect(late.reply).toMatchObject({ type: 'error', code: 22, text: 'current value 2 is not 1' });
  });

  it('keeps only the last states it was told to, and moves a client too far behind up to the oldest', () => {
    let s = seqKvService.init({ history: 2 });
    for (let v = 1; v <= 4; v++) s = step(s, [0], req('n1', { type: 'write', key: 'k', value: v })).state;
    expect(s.states).toHaveLength(2);
    expect(step(s, [0], req('n9', { type: 'read', key: 'k' })).reply).toMatchObject({ value: 3 });
  });

  it("never goes back in any client's order, for any seed (property)", () => {
    for (let seed = 0; seed < 20; seed++) {
      const rng = createRng(seed, 'seq-kv');
      let s = seqKvService.init({ history: 8 });
      const last = new Map<string, number>();
      for (let i = 0; i < 300; i++) {
        const client = `n${1 + rng.int(3)}`;
        const body = rng.int(2) === 0 ? { type: 'write', key: 'k', value: i } : { type: 'read', key: 'k' };
        const h = seqKvService.handle(s, req(client, body), { rng });
        s = h.state;
        // Values are written increasing: a client's reads never decrease, and follow its writes.
        const seen = body.type === 'write' ? i : h.reply.type === 'read_ok' ? (h.reply.value as number) : -1;
        expect(seen).toBeGreaterThanOrEqual(last.get(client) ?? -1);
        last.set(client, seen);
      }
    }
  });
});

describe('lww-kv: independent replicas, last writer wins', () => {
  it('answers from one replica: a write on one is not seen on the other until they gossip', () => {
    let s: LwwKvState = lwwKvService.init();
    // Each request: merge draw (from, into), then the replica that answers.
    s = lwwKvService.handle(s, req('n1', { type: 'write', key: 'x', value: 1 }), { rng: scriptedRng(0, 0, 0) }).state;
    const stale = lwwKvService.handle(s, req('n2', { type: 'read', key: 'x' }), { rng: scriptedRng(1, 1, 1) });
    expect(stale.reply).toMatchObject({ type: 'error', code: 20 });
    const merged = lwwKvService.handle(stale.state, req('n2', { type: 'read', key: 'x' }), { rng: scriptedRng(0, 1, 1) });
    expect(merged.reply).toMatchObject({ type: 'read_ok', value: 1 });
  });

  it('loses a write to a concurrent one with a higher stamp, and on a tie the incoming one wins', () => {
    let s: LwwKvState = lwwKvService.init();
    s = lwwKvService.handle(s, req('n1', { type: 'write', key: 'x', value: 'a' }), { rng: scriptedRng(0, 0, 0) }).state; // replica 0: a@0
    s = lwwKvService.handle(s, req('n1', { type: 'write', key: 'x', value: 'b' }), { rng: scriptedRng(0, 0, 0) }).state; // replica 0: b@1
    s = lwwKvService.handle(s, req('n2', { type: 'write', key: 'x', value: 'c' }), { rng: scriptedRng(1, 1, 1) }).state; // replica 1: c@0
    expect(s.replicas.map((r) => r.clock)).toEqual([2, 1]);
    const r1 = mergeReplicas(s.replicas[0], s.replicas[1]);
    expect(r1.map.get('"x"')).toMatchObject({ value: 'b', ts: 1 });
    expect(r1.clock).toBe(2);
    const tie = mergeReplicas({ clock: 1, map: new Map([['"x"', { key: 'x', value: 'z', ts: 0 }]]) }, { clock: 1, map: new Map([['"x"', { key: 'x', value: 'y', ts: 0 }]]) });
    expect(tie.map.get('"x"')?.value).toBe('z');
  });
});

describe('lin-tso and the registry', () => {
  it('hands out 0, 1, 2 … and refuses anything but ts', () => {
    let s = linTsoService.init();
    const rng = createRng(0);
    const got: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const h = linTsoService.handle(s, req(`n${1 + (i % 2)}`, { type: 'ts' }), { rng });
      s = h.state;
      got.push(h.reply.ts);
    }
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(linTsoService.handle(s, req('n1', { type: 'read', key: 1 }), { rng }).reply).toMatchObject({ type: 'error', code: 10 });
  });

  it('runs every service by name, each registered under its own name', () => {
    for (const [name, service] of Object.entries(SERVICES)) expect(service.name).toBe(name);
    let running = startService('lin-kv');
    const rng = createRng(3);
    running = serve(running, req('n1', { type: 'write', key: 1, value: 5 }), { rng }).running;
    expect(serve(running, req('n2', { type: 'read', key: 1 }), { rng }).reply).toMatchObject({ type: 'read_ok', value: 5 });
    expect(serve(startService('lin-tso'), req('n1', { type: 'ts' }), { rng }).reply).toMatchObject({ type: 'ts_ok', ts: 0 });
  });
});
