/**
 * The replicated register through real cores (so every stamp is a node's real clocks), messages
 * delivered by hand: each resolution's decisions and the stamps they carry, siblings, duplicates,
 * anti-entropy when a link comes back, and bad bodies.
 */
import { compare } from '@faultline/clock';
import { registerDecisionSchema, registerReadAnswerSchema, registerWriteAnswerSchema, REGISTER_RESOLUTIONS, writeEventSchema, type RegisterResolution, type RegisterWrite, type WriteStamp } from '@faultline/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HandNetwork, type Answer } from '../support/hand-network.js';

const NODES = ['n1', 'n2', 'n3'];

function lab(resolution: RegisterResolution, nodes = NODES): HandNetwork {
  return new HandNetwork(nodes, () => ({ name: 'register', resolution }));
}

function ok(answer: Answer): Record<string, unknown> {
  if (!answer.ok) throw new Error(`refused: ${answer.error}`);
  return answer.result;
}

const write = (net: HandNetwork, node: string, key: string, value: unknown) => registerWriteAnswerSchema.parse(ok(net.invoke(node, 'write', { key, value })));
const read = (net: HandNetwork, node: string, key: string) => registerReadAnswerSchema.parse(ok(net.invoke(node, 'read', { key })));

/** Every decision `node` traced, as [kind, write id, others' ids]. */
function decisions(net: HandNetwork, node: string): [string, string, string[]][] {
  return net
    .states(node)
    .filter((s) => ['apply', 'overwrite', 'discard', 'sibling'].includes(s.key))
    .map((s) => {
      const d = registerDecisionSchema.parse(s.value);
      return [s.key, d.write.id, d.others.map((o) => o.id)];
    });
}

/** The stamp of `node`'s `write` line for write `id`: that line's clocks, without true time. */
function writeLineStamp(net: HandNetwork, node: string, id: string): WriteStamp {
  const line = net.stateTraces(node, 'write').find((t) => t.event.kind === 'state' && writeEventSchema.parse(t.event.value).id === id);
  if (!line) throw new Error(`no write line for ${id} on ${node}`);
  const { trueMs: _, ...stamp } = line.clocks;
  return stamp;
}

/**
 * The first lesson's story: n3's clock 2 s behind; `first` written on n1 reaches everyone, then a
 * client reads it on n3 and writes `second` there, 100 ms later in true time and causally after.
 */
function skewStory(resolution: RegisterResolution) {
  const net = lab(resolution);
  expect(net.command('n3', { type: 'set_clock', offsetMs: -2000 }).ok).toBe(true);
  net.advance(10);
  const first = write(net, 'n1', 'x', 'first');
  net.deliver();
  net.advance(100);
  expect(read(net, 'n3', 'x')).toEqual({ key: 'x', values: ['first'], ids: ['n1/w1'] });
  const second = write(net, 'n3', 'x', 'second');
  net.deliver();
  return { net, first, second };
}

describe('register: a write and its stamp', () => {
  it('stamps a write with the clocks of its own `write` line, and every copy carries that stamp', () => {
    const { net, first } = skewStory('wall');
    expect(first).toMatchObject({ id: 'n1/w1', kept: true });
    expect(first.stamp).toEqual(writeLineStamp(net, 'n1', 'n1/w1'));
    // The line's value is the write without its stamp.
    expect(net.states('n1', 'write')[0].value).toEqual({ id: 'n1/w1', node: 'n1', key: 'x', value: 'first' });
    // The decision right after it, on n1, and the gossiped copies' decisions carry the same stamp.
    for (const node of NODES) {
      const apply = registerDecisionSchema.parse(net.states(node, 'apply')[0].value);
      expect(apply).toEqual({ key: 'x', resolution: 'wall', write: { id: 'n1/w1', node: 'n1', key: 'x', value: 'first', stamp: first.stamp }, others: [] });
    }
    // The gossip went to both peers, one-way, as `reg_put {write}`.
    const gossip = net.node('n1').sent().filter((e) => e.type === 'reg_put');
    expect(gossip.map((e) => [e.to, e.body])).toEqual([
      ['n2', { write: expect.objectContaining({ id: 'n1/w1', stamp: first.stamp }) as unknown }],
      ['n3', { write: expect.objectContaining({ id: 'n1/w1', stamp: first.stamp }) as unknown }],
    ]);
  });

  it('numbers writes n1/w1, n1/w2 … and answers a peer`s write and read messages', () => {
    const net = lab('lamport', ['n1', 'n2']);
    write(net, 'n1', 'a', 1);
    const request = net.node('n1').envelope('n2', 'write', { id: 'n2-77', body: { key: 'a', value: 2 } });
    net.node('n1').deliver(request);
    const answer = net.node('n1').sent().find((e) => e.replyTo === 'n2-77');
    expect(answer).toMatchObject({ type: 'write_ok', to: 'n2', body: { id: 'n1/w2', kept: true } });
    expect(net.states('n1', 'write').map((s) => [(s.value as { id: string }).id, s.msg])).toEqual([
      ['n1/w1', undefined],
      ['n1/w2', 'n2-77'],
    ]);
    net.node('n1').deliver(net.node('n1').envelope('n2', 'read', { id: 'n2-78', body: { key: 'a' } }));
    expect(net.node('n1').sent().find((e) => e.replyTo === 'n2-78')).toMatchObject({ type: 'read_ok', body: { key: 'a', values: [2], ids: ['n1/w2'] } });
    expect(net.states('n1', 'read').at(-1)).toMatchObject({ value: { key: 'a', values: [2], ids: ['n1/w2'] }, msg: 'n2-78' });
  });
});

describe('register: last writer wins, by which clock', () => {
  it('wall: the later write, stamped 2 s behind, is discarded on every copy (itself included)', () => {
    const { net, first, second } = skewStory('wall');
    expect(second.stamp.wallMs).toBeLessThan(first.stamp.wallMs);
    expect(compare(first.stamp.vc, second.stamp.vc)).toBe('before');
    expect(second).toMatchObject({ id: 'n3/w1', kept: false });
    for (const node of NODES) {
      expect(decisions(net, node)).toEqual([
        ['apply', 'n1/w1', []],
        ['discard', 'n3/w1', ['n1/w1']],
      ]);
      expect(read(net, node, 'x').values).toEqual(['first']);
    }
    const discard = registerDecisionSchema.parse(net.states('n3', 'discard')[0].value);
    expect(discard.write.stamp).toEqual(second.stamp);
    expect(discard.others[0].stamp).toEqual(first.stamp);
  });

  for (const resolution of ['lamport', 'hlc'] as const) {
    it(`${resolution}: the write causally after wins, whatever n3's wall clock says`, () => {
      const { net, first, second } = skewStory(resolution);
      expect(second.stamp.wallMs).toBeLessThan(first.stamp.wallMs);
      if (resolution === 'lamport') expect(second.stamp.lamport).toBeGreaterThan(first.stamp.lamport);
      // The HLC kept n1's wall reading (n3's own is behind it) and counts on.
      else expect(second.stamp.hlc).toEqual({ wallMs: first.stamp.hlc.wallMs, logical: expect.any(Number) as number });
      expect(second.kept).toBe(true);
      for (const node of NODES) {
        expect(decisions(net, node)).toEqual([
          ['apply', 'n1/w1', []],
          ['overwrite', 'n3/w1', ['n1/w1']],
        ]);
        expect(read(net, node, 'x')).toEqual({ key: 'x', values: ['second'], ids: ['n3/w1'] });
      }
    });
  }

  it('hlc: of two concurrent writes, the higher wall reading wins (the skewed clock still decides there)', () => {
    const net = lab('hlc');
    net.command('n3', { type: 'set_clock', offsetMs: -2000 });
    // Past the HLC reading n3 took before its clock went back.
    net.advance(2500);
    const a = write(net, 'n1', 'y', 'a');
    net.advance(100);
    const b = write(net, 'n3', 'y', 'b');
    net.deliver();
    expect(compare(a.stamp.vc, b.stamp.vc)).toBe('concurrent');
    expect(b.stamp.hlc.wallMs).toBeLessThan(a.stamp.hlc.wallMs);
    for (const node of NODES) expect(read(net, node, 'y').values).toEqual(['a']);
    expect(decisions(net, 'n1').at(-1)).toEqual(['discard', 'n3/w1', ['n1/w1']]);
    expect(decisions(net, 'n3').at(-1)).toEqual(['overwrite', 'n1/w1', ['n3/w1']]);
  });

  it('breaks a tie between equal stamps by node id, so every copy decides alike', () => {
    const net = lab('wall');
    // No time passes: both writes read the same wall time.
    const a = write(net, 'n2', 'k', 'from-n2');
    const b = write(net, 'n1', 'k', 'from-n1');
    expect(a.stamp.wallMs).toBe(b.stamp.wallMs);
    net.deliver();
    for (const node of NODES) expect(read(net, node, 'k').ids).toEqual(['n2/w1']);
  });

  it('two writes of one node in one millisecond: the later one wins everywhere, whatever order they arrive in', () => {
    const net = lab('wall');
    write(net, 'n1', 'k', 'one');
    write(net, 'n1', 'k', 'two');
    expect(decisions(net, 'n1')).toEqual([
      ['apply', 'n1/w1', []],
      ['overwrite', 'n1/w2', ['n1/w1']],
    ]);
    // n2 gets them in order, n3 the other way round.
    net.deliver({ to: 'n2' });
    const [one, two] = net.pending({ to: 'n3' });
    net.node('n3').deliver(two);
    net.node('n3').deliver(one);
    net.drop({ to: 'n3' });
    expect(decisions(net, 'n3')).toEqual([
      ['apply', 'n1/w2', []],
      ['discard', 'n1/w1', ['n1/w2']],
    ]);
    for (const node of NODES) expect(read(net, node, 'k').values).toEqual(['two']);
  });
});

describe('register: vector', () => {
  it('keeps two concurrent writes as siblings, and a write that has seen both replaces them', () => {
    const net = lab('vector');
    net.command('n3', { type: 'set_clock', offsetMs: -2000 });
    const y1 = write(net, 'n1', 'y', 'from-n1');
    const y3 = write(net, 'n3', 'y', 'from-n3');
    expect(compare(y1.stamp.vc, y3.stamp.vc)).toBe('concurrent');
    net.deliver({ from: 'n1' });
    net.deliver({ from: 'n3' });
    expect(decisions(net, 'n1')).toEqual([
      ['apply', 'n1/w1', []],
      ['sibling', 'n3/w1', ['n1/w1']],
    ]);
    expect(decisions(net, 'n2')).toEqual([
      ['apply', 'n1/w1', []],
      ['sibling', 'n3/w1', ['n1/w1']],
    ]);
    expect(decisions(net, 'n3')).toEqual([
      ['apply', 'n3/w1', []],
      ['sibling', 'n1/w1', ['n3/w1']],
    ]);
    for (const node of NODES) expect(read(net, node, 'y')).toEqual({ key: 'y', values: ['from-n1', 'from-n3'], ids: ['n1/w1', 'n3/w1'] });
    // A client reads both on n2 and writes one merged value: its stamp has seen both.
    const merged = write(net, 'n2', 'y', 'merged');
    expect([compare(y1.stamp.vc, merged.stamp.vc), compare(y3.stamp.vc, merged.stamp.vc)]).toEqual(['before', 'before']);
    expect(merged.kept).toBe(true);
    net.deliver();
    for (const node of NODES) {
      expect(decisions(net, node).at(-1)).toEqual(['overwrite', 'n2/w1', ['n1/w1', 'n3/w1']]);
      expect(read(net, node, 'y')).toEqual({ key: 'y', values: ['merged'], ids: ['n2/w1'] });
    }
    const overwrite = registerDecisionSchema.parse(net.states('n1', 'overwrite')[0].value);
    expect(overwrite.write.stamp).toEqual(merged.stamp);
    expect(overwrite.others.map((o) => o.stamp)).toEqual([y1.stamp, y3.stamp]);
  });

  it('discards a write that arrives after one that has seen it', () => {
    const net = lab('vector');
    write(net, 'n1', 'k', 'old');
    net.deliver({ to: 'n2' });
    write(net, 'n2', 'k', 'new');
    // n3 hears of n2's write first, then of n1's.
    net.deliver({ from: 'n2', to: 'n3' });
    net.deliver({ from: 'n1', to: 'n3' });
    expect(decisions(net, 'n3')).toEqual([
      ['apply', 'n2/w1', []],
      ['discard', 'n1/w1', ['n2/w1']],
    ]);
    expect(read(net, 'n3', 'k').values).toEqual(['new']);
  });

  it('a write that replaced some siblings and not others: `sibling` naming those it is kept beside (the replaced are gone)', () => {
    const net = lab('vector');
    write(net, 'n1', 'k', 'a');
    write(net, 'n2', 'k', 'b');
    net.deliver({ to: 'n3' });
    // n1 writes again without having heard of b: after a, concurrent with b.
    write(net, 'n1', 'k', 'c');
    net.deliver({ from: 'n1', to: 'n3' });
    expect(decisions(net, 'n3')).toEqual([
      ['apply', 'n1/w1', []],
      ['sibling', 'n2/w1', ['n1/w1']],
      ['sibling', 'n1/w2', ['n2/w1']],
    ]);
    expect(read(net, 'n3', 'k')).toEqual({ key: 'k', values: ['c', 'b'], ids: ['n1/w2', 'n2/w1'] });
  });
});

describe('register: duplicates and anti-entropy', () => {
  it('ignores a write it holds or has decided on, without a trace', () => {
    const net = lab('wall');
    net.command('n3', { type: 'set_clock', offsetMs: -2000 });
    write(net, 'n1', 'x', 'first');
    net.advance(10);
    write(net, 'n3', 'x', 'late'); // discarded everywhere: lower wall stamp
    const copies = net.pending({ to: 'n2' });
    net.deliver();
    const before = net.node('n2').events().length;
    for (const copy of copies) net.node('n2').deliver({ ...copy, id: `${copy.id}-again` });
    const after = net.node('n2').events().slice(before);
    expect(after.map((e) => e.kind)).toEqual(['receive', 'receive']);
    expect(decisions(net, 'n2')).toEqual([
      ['apply', 'n1/w1', []],
      ['discard', 'n3/w1', ['n1/w1']],
    ]);
  });

  it('sends what it holds to a peer whose link comes back; the peer takes what it missed, ignores the rest', () => {
    const net = lab('lamport');
    write(net, 'n1', 'a', 1);
    net.deliver();
    // n3's link from n1 is down during the second write: a failed send, nothing queued.
    net.node('n1').step({ kind: 'link', peer: 'n3', up: false });
    write(net, 'n1', 'b', 2);
    expect(net.node('n1').events().filter((e) => e.kind === 'failed_send')).toEqual([expect.objectContaining({ to: 'n3', msgType: 'reg_put' })]);
    net.deliver();
    expect(read(net, 'n3', 'b').values).toEqual([]);
    net.node('n1').step({ kind: 'link', peer: 'n3', up: true });
    const resent = net.pending({ from: 'n1', to: 'n3' });
    expect(resent.map((e) => (e.body.write as RegisterWrite).id)).toEqual(['n1/w1', 'n1/w2']);
    net.deliver();
    expect(decisions(net, 'n3')).toEqual([
      ['apply', 'n1/w1', []],
      ['apply', 'n1/w2', []],
    ]);
    expect(read(net, 'n3', 'b').values).toEqual([2]);
  });
});

describe('register: a partition that drops the gossip', () => {
  it('resends the writes made here when a link comes back, even one that lost here meanwhile: every copy decides on every write', () => {
    const net = lab('lamport');
    // Cut off: both writes' gossip is lost (sent, as far as the nodes know).
    write(net, 'n1', 'y', 'from-n1');
    write(net, 'n3', 'y', 'from-n3');
    net.drop();
    const bounce = (node: string, peer: string) => {
      net.node(node).step({ kind: 'link', peer, up: false });
      net.node(node).step({ kind: 'link', peer, up: true });
      net.deliver();
    };
    // n3's link to n1 comes back first: n1 takes n3's write (n3 wins the Lamport tie by node id) …
    bounce('n3', 'n1');
    expect(decisions(net, 'n1').at(-1)).toEqual(['overwrite', 'n3/w1', ['n1/w1']]);
    // … so n1 no longer holds its own write when its link to n3 comes back: it sends it anyway.
    bounce('n1', 'n3');
    expect(decisions(net, 'n3').at(-1)).toEqual(['discard', 'n1/w1', ['n3/w1']]);
    bounce('n1', 'n2');
    bounce('n3', 'n2');
    for (const node of NODES) {
      expect(decisions(net, node).map(([, id]) => id).sort()).toEqual(['n1/w1', 'n3/w1']);
      expect(read(net, node, 'y').ids).toEqual(['n3/w1']);
    }
  });
});

describe('register: bad requests', () => {
  it('refuses a client request with a bad body, with one line naming the field', () => {
    const net = lab('wall', ['n1', 'n2']);
    const refusals = [
      net.invoke('n1', 'write', { value: 1 }),
      net.invoke('n1', 'write', { key: '', value: 1 }),
      net.invoke('n1', 'write', { key: 'k' }),
      net.invoke('n1', 'read', { key: 7 }),
      net.invoke('n1', 'reg_put', {}),
    ];
    expect(refusals.every((r) => !r.ok)).toBe(true);
    const errors = refusals.map((r) => (r.ok ? '' : r.error));
    for (const error of errors) expect(error).not.toContain('\n');
    expect(errors[0]).toMatch(/^write\.key: /);
    expect(errors[1]).toMatch(/^write\.key: .*got ""/);
    expect(errors[2]).toMatch(/^write\.value: /);
    expect(errors[3]).toMatch(/^read\.key: .*got 7/);
    expect(errors[4]).toBe('register takes write and read as client requests; reg_put comes from peers');
    // Nothing was written.
    expect(net.states('n1')).toEqual([expect.objectContaining({ key: 'started' })]);
  });

  it('ignores a peer`s bad message with a local line, and answers nothing', () => {
    const net = lab('wall', ['n1', 'n2']);
    const h = net.node('n1');
    h.deliver(h.envelope('n2', 'reg_put', { id: 'n2-1', body: { write: { id: 'n2/w1', node: 'n2', key: 'k', value: 1 } } }));
    h.deliver(h.envelope('n2', 'write', { id: 'n2-2', body: { key: 5 } }));
    const locals = h.events().flatMap((e) => (e.kind === 'local' ? [e.label] : []));
    expect(locals).toEqual([expect.stringMatching(/^register: reg_put n2-1 from n2 ignored: reg_put\.write\.stamp: /), expect.stringMatching(/^register: write n2-2 from n2 ignored: write\.key: /)]);
    expect(h.sent().filter((e) => e.replyTo !== undefined)).toEqual([]);
    expect(decisions(net, 'n1')).toEqual([]);
  });
});

describe('register: convergence', () => {
  it('property: once every write has reached every copy, in any order, all copies hold the same writes', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), node: fc.constantFrom(...NODES), key: fc.constantFrom('a', 'b') }),
      fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...REGISTER_RESOLUTIONS), fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 3, maxLength: 3 }), fc.array(op, { maxLength: 25 }), (resolution, offsets, ops) => {
        const net = lab(resolution);
        NODES.forEach((node, i) => net.command(node, { type: 'set_clock', offsetMs: offsets[i] }));
        let n = 0;
        for (const o of ops) {
          if (o.kind === 'write') write(net, o.node, o.key, `v${++n}`);
          else if (o.kind === 'advance') net.advance(o.ms);
          else {
            // Any message in flight, even out of its link's order (a lab can reorder them).
            const pending = net.pending();
            if (pending.length > 0) net.deliverOne(pending[o.pick % pending.length]);
          }
        }
        net.settle();
        for (const key of ['a', 'b']) {
          const held = NODES.map((node) => read(net, node, key).ids);
          expect(held[1]).toEqual(held[0]);
          expect(held[2]).toEqual(held[0]);
        }
      }),
      { numRuns: 60 },
    );
  });
});
