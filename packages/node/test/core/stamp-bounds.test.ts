/**
 * What a node accepts of a peer's stamps: a transcript of envelopes and the answer to each (null:
 * accepted). Every refusal names the field, what came and the bound.
 */
import { MAX_COUNTER, MAX_HLC_OFFSET_MS } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { refusalOf, type PeerStamps, type StampBoundsContext } from '../../src/core/stamp-bounds.js';
import { Harness, TRUE_EPOCH_MS } from '../support/core-harness.js';

const NOW = 1_800_000_000_000;
const ctx: StampBoundsContext = { self: 'n1', lab: new Set(['n1', 'n2', 'n3']), wallMs: NOW };
const ok: PeerStamps = { lamport: 5, vc: { n2: 5, n3: 1 }, hlc: { wallMs: NOW, logical: 0 }, sentWall: NOW - 10 };

describe('refusalOf', () => {
  it.each<[string, string, Partial<PeerStamps>, string | null]>([
    ['an envelope of the lab', 'n2', {}, null],
    ['every counter at the bound', 'n2', { lamport: MAX_COUNTER, vc: { n1: MAX_COUNTER }, hlc: { wallMs: NOW, logical: MAX_COUNTER } }, null],
    ['an HLC exactly the max offset ahead', 'n2', { hlc: { wallMs: NOW + MAX_HLC_OFFSET_MS, logical: 0 } }, null],
    ['a sentWall more than 7 days behind', 'n2', { hlc: { wallMs: 0, logical: 0 }, sentWall: 0 }, 'sentWall: 0 is 1800000000000 ms behind this node\'s wall clock; at most 604800000 ms (7 days, MAX_HLC_OFFSET_MS) is accepted'],
    ['an HLC and sentWall a day behind', 'n2', { hlc: { wallMs: NOW - 86_400_000, logical: 0 }, sentWall: NOW - 86_400_000 }, null],
    ['a sentWall ahead of its own HLC', 'n2', { sentWall: NOW + 1 }, `sentWall: ${NOW + 1} is ahead of the message's own hlc.wallMs ${NOW}`],
    ['a sentWall of -1e300', 'n2', { sentWall: -1e300 }, expect.stringMatching(/^sentWall: -1e\+300 is 1e\+300 ms behind/)],
    ['from itself', 'n1', {}, 'from: n1 is this node itself'],
    ['from a node not in the lab', 'n9', {}, 'from: "n9" is not a node of this lab (n1, n2, n3)'],
    ['lamport 2^53 - 1', 'n2', { lamport: Number.MAX_SAFE_INTEGER }, 'lamport: 9007199254740991 is past the bound 281474976710656 (2^48)'],
    ['a vc key not in the lab', 'n2', { vc: { n2: 1, x: 1 } }, 'vc: key "x" is not a node of this lab (n1, n2, n3)'],
    ['a vc entry past the bound', 'n2', { vc: { n3: MAX_COUNTER + 1 } }, 'vc.n3: 281474976710657 is past the bound 281474976710656 (2^48)'],
    ['more vc keys than nodes', 'n2', { vc: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`n${i + 1}`, 1])) }, 'vc: 20000 entries, but this lab has 3 nodes'],
    ['an HLC logical past the bound', 'n2', { hlc: { wallMs: NOW, logical: 2 ** 52 } }, 'hlc.logical: 4503599627370496 is past the bound 281474976710656 (2^48)'],
    ['an HLC 1 ms past the max offset', 'n2', { hlc: { wallMs: NOW + MAX_HLC_OFFSET_MS + 1, logical: 0 } }, "hlc.wallMs: 1800604800001 is 604800001 ms ahead of this node's wall clock; at most 604800000 ms (7 days, MAX_HLC_OFFSET_MS) is accepted"],
    ['an HLC at 1e300', 'n2', { hlc: { wallMs: 1e300, logical: 0 } }, expect.stringMatching(/^hlc\.wallMs: 1e\+300 is 1e\+300 ms ahead/)],
  ])('%s', (_what, from, fields, expected) => {
    expect(refusalOf(from, { ...ok, ...fields }, ctx)).toEqual(expected);
  });
});

describe('NodeCore: a refused envelope', () => {
  it('is traced as refused with its reason, and changes no clock but the refusal event’s own tick', () => {
    const h = new Harness('n1');
    h.up('n2');
    const before = h.core.status().lamport;
    h.deliver(h.envelope('n2', 'ping', { id: 'n2-66', lamport: Number.MAX_SAFE_INTEGER, vc: { n2: 1 } }));
    const refused = h.traces().at(-1)!;
    expect(refused.event).toEqual({ kind: 'refused', stage: 'envelope', from: 'n2', msg: 'n2-66', reason: 'lamport: 9007199254740991 is past the bound 281474976710656 (2^48)' });
    expect(refused.clocks.lamport).toBe(before + 1);
    expect(refused.clocks.vc).toEqual({ n1: before + 1 });
    expect(refused.clocks.hlc.wallMs).toBe(TRUE_EPOCH_MS);
    // Nothing was received, nothing answered.
    expect(h.events().some((e) => e.kind === 'receive' || e.kind === 'send')).toBe(false);
  });

  it('learns the lab from set_peers and --lab-nodes: an envelope from a node of neither is refused', () => {
    const h = new Harness('n1', { labNodes: ['n1', 'n2'] });
    h.deliver(h.envelope('n2', 'echo', { id: 'n2-1' }));
    h.deliver(h.envelope('n3', 'echo', { id: 'n3-1' }));
    h.command({ type: 'set_peers', peers: { n3: 'ws://127.0.0.1:1/' } });
    h.deliver(h.envelope('n3', 'echo', { id: 'n3-2' }));
    expect(h.events().flatMap((e) => (e.kind === 'receive' ? [e.msg] : e.kind === 'refused' ? [`refused ${e.msg}`] : []))).toEqual(['n2-1', 'refused n3-1', 'n3-2']);
  });
});
