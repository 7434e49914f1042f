import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '@faultline/random';
import { messageToxics } from '../src/toxics/message-toxics.js';
import type { Action, AnyToxicDefinition, Chunk, MessageEventDraft, ToxicRunner } from '../src/toxics/toxic.js';
import { wsDropToxic } from '../src/toxics/ws-drop.js';
import { wsDuplicateToxic } from '../src/toxics/ws-duplicate.js';
import { wsHoldToxic } from '../src/toxics/ws-hold.js';
import { wsReorderToxic } from '../src/toxics/ws-reorder.js';
import { FrameParser } from '../src/ws/frame-parser.js';
import { MessageFramer } from '../src/ws/message-framer.js';
import { encode, wsUpgradeRequest } from './support/ws-frames.js';

const REQUEST = wsUpgradeRequest('/chat', false);

const KEY = Buffer.from([1, 2, 3, 4]);

const msgChunk = (i: number, atMs = i): Chunk => {
  const body = Buffer.from(JSON.stringify({ id: i }));
  return { data: encode(body, 1, { maskKey: KEY }), arrivalMs: atMs, unit: { kind: 'message', opcode: 1, payloadSize: body.length, frames: 1, id: i } };
};
const pingChunk = (atMs = 0): Chunk => ({ data: encode(Buffer.from('p'), 9, { maskKey: KEY }), arrivalMs: atMs, unit: { kind: 'control', opcode: 9 } });
const others = (): Chunk[] => [
  { data: Buffer.from(REQUEST), arrivalMs: 0, unit: { kind: 'handshake' } },
  pingChunk(),
  { data: Buffer.from('zz'), arrivalMs: 0, unit: { kind: 'raw' } },
  { data: Buffer.from('plain'), arrivalMs: 0 },
];

function runner(def: AnyToxicDefinition, attrs: Record<string, number>, rng: Rng | number = 1): ToxicRunner {
  return def.create(attrs, { rng: typeof rng === 'number' ? createRng(rng, 'test') : rng, state: undefined, name: 'tox' });
}
/** An Rng that returns the given draws, then 0.99 (never below a probability under 0.99). */
const scripted = (...draws: number[]): Rng => ({ next: () => draws.shift() ?? 0.99, int: () => 0 });

const emitted = (actions: Action[]): Chunk[] => actions.flatMap((a) => (a.type === 'emit' ? [a.chunk] : []));
const events = (actions: Action[]): MessageEventDraft[] => actions.flatMap((a) => (a.type === 'event' ? [a.event] : []));
const ids = (actions: Action[]) => emitted(actions).map((c) => (c.unit?.kind === 'message' ? c.unit.id : c.unit?.kind));

/** Feeds chunks at their arrival times, ticking whenever the runner asks; removes the toxic at the end. */
function drive(r: ToxicRunner, chunks: Chunk[], endMs: number): Action[] {
  const actions: Action[] = [];
  const tickUntil = (now: number): void => {
    for (let w = r.wakeAtMs?.(); w !== undefined && w <= now; w = r.wakeAtMs?.()) actions.push(...(r.tick?.(w) ?? []));
  };
  for (const c of chunks) {
    tickUntil(c.arrivalMs);
    actions.push(...r.data(c, c.arrivalMs));
  }
  tickUntil(endMs);
  const removed = r.remove?.(endMs);
  if (Array.isArray(removed)) actions.push(...removed);
  return actions;
}

describe('message toxics registry', () => {
  it('lists the five message-level toxics with Toxiproxy-style metadata', () => {
    expect(messageToxics.map((t) => [t.type, t.goName, t.attributes, t.messageLevel])).toEqual([
      ['ws_drop', 'WsDropToxic', { probability: 'float64' }, true],
      ['ws_duplicate', 'WsDuplicateToxic', { probability: 'float64' }, true],
      ['ws_reorder', 'WsReorderToxic', { probability: 'float64', max_delay_ms: 'int64' }, true],
      ['ws_hold', 'WsHoldToxic', {}, true],
      ['ws_cut', 'WsCutToxic', {}, true],
    ]);
  });
});

describe.each([
  ['ws_drop', wsDropToxic, 'dropped', 0],
  ['ws_duplicate', wsDuplicateToxic, 'duplicated', 2],
])('%s', (_type, def, action, copies) => {
  it.each([0.1, 0.5, 0.9])('acts on about %f of 10k messages with a fixed seed', (p) => {
    const r = runner(def, { probability: p }, 42);
    const actions = Array.from({ length: 10_000 }, (_, i) => r.data(msgChunk(i), i)).flat();
    const hits = events(actions).filter((e) => e.action === action).length;
    expect(Math.abs(hits / 10_000 - p)).toBeLessThan(0.03);
    expect(emitted(actions).length).toBe(copies === 0 ? 10_000 - hits : 10_000 + hits);
  });

  it('with probability 0 does nothing; with 1 acts on every message; other units always pass once', () => {
    const none = runner(def, { probability: 0 });
    expect(ids([...others(), msgChunk(1)].flatMap((c) => none.data(c, 5)))).toEqual(['handshake', 'control', 'raw', undefined, 1]);
    const all = runner(def, { probability: 1 });
    const actions = [...others(), msgChunk(1), pingChunk()].flatMap((c) => all.data(c, 5));
    expect(ids(actions)).toEqual(['handshake', 'control', 'raw', undefined, ...Array<number>(copies).fill(1), 'control']);
    expect(events(actions)).toEqual([{ action, toxic: 'tox', size: 8, opcode: 1, id: 1 }]);
    expect(actions.filter((a) => a.type === 'emit').every((a) => a.atMs === 5)).toBe(true);
    expect(all.end?.(9)).toEqual([{ type: 'close', atMs: 9 }]);
  });
});

describe('ws_reorder', () => {
  it('releases a held message right after the next message overtakes it', () => {
    const r = runner(wsReorderToxic, { probability: 0.5, max_delay_ms: 1000 }, scripted(0.1, 0.9));
    expect(r.data(msgChunk(1), 10)).toEqual([]);
    expect(r.wakeAtMs?.()).toBe(1010);
    expect(ids(r.data(pingChunk(), 12))).toEqual(['control']); // control frames do not count and pass at once
    const actions = r.data(msgChunk(2), 15);
    expect(ids(actions)).toEqual([2, 1]);
    expect(events(actions)).toEqual([{ action: 'delayed', toxic: 'tox', size: 8, opcode: 1, id: 1, heldMs: 5 }]);
    expect(r.wakeAtMs?.()).toBeUndefined();
  });

  it('releases several held messages in their original order', () => {
    const r = runner(wsReorderToxic, { probability: 0.5, max_delay_ms: 1000 }, scripted(0.1, 0.2, 0.9, 0.1));
    expect(ids(drive(r, [1, 2, 3, 4].map((i) => msgChunk(i)), 5))).toEqual([3, 1, 2, 4]);
  });

  it('releases at max_delay_ms when nothing overtakes, and on the next tick for 0', () => {
    const r = runner(wsReorderToxic, { probability: 1, max_delay_ms: 50 });
    r.data(msgChunk(1), 0);
    r.data(msgChunk(2), 20);
    expect(r.wakeAtMs?.()).toBe(50);
    expect(r.tick?.(49)).toEqual([]);
    const first = r.tick?.(50) ?? [];
    expect(ids(first)).toEqual([1]);
    expect(events(first)[0].heldMs).toBe(50);
    expect(r.wakeAtMs?.()).toBe(70);
    const zero = runner(wsReorderToxic, { probability: 1, max_delay_ms: 0 });
    zero.data(msgChunk(1), 7);
    expect(zero.wakeAtMs?.()).toBe(7);
    expect(ids(zero.tick?.(7) ?? [])).toEqual([1]);
  });

  it('remove() releases everything held; end() reports them dropped and closes', () => {
    const r = runner(wsReorderToxic, { probability: 1, max_delay_ms: 1000 });
    r.data(msgChunk(1), 0);
    r.data(msgChunk(2), 1);
    expect(ids(r.remove?.(3) as Action[])).toEqual([1, 2]);
    const e = runner(wsReorderToxic, { probability: 1, max_delay_ms: 1000 });
    e.data(msgChunk(1), 0);
    expect(e.end?.(4)).toEqual([
      { type: 'event', event: { action: 'dropped', toxic: 'tox', size: 8, opcode: 1, id: 1, reason: 'connection closed' } },
      { type: 'close', atMs: 4 },
    ]);
  });

  it('holds back about the given fraction of messages', () => {
    const r = runner(wsReorderToxic, { probability: 0.3, max_delay_ms: 1000 }, 7);
    const actions = drive(r, Array.from({ length: 10_000 }, (_, i) => msgChunk(i)), 10_000);
    expect(Math.abs(events(actions).length / 10_000 - 0.3)).toBeLessThan(0.03);
    expect(emitted(actions).length).toBe(10_000);
  });
});

describe('ws_hold', () => {
  it('holds every data message, lets control frames through, releases in order on remove', () => {
    const r = runner(wsHoldToxic, {});
    const first = [msgChunk(1), pingChunk(), msgChunk(2)].flatMap((c, i) => r.data(c, i * 10));
    expect(ids(first)).toEqual(['control']);
    expect(events(first).map((e) => [e.action, e.id])).toEqual([['held', 1], ['held', 2]]);
    const released = r.remove?.(100) as Action[];
    expect(ids(released)).toEqual([1, 2]);
    expect(events(released).map((e) => [e.action, e.id, e.heldMs])).toEqual([['released', 1, 100], ['released', 2, 80]]);
    expect(r.remove?.(101)).toEqual([]);
  });

  it.each([
    ['unaligned bytes', undefined],
    ['raw bytes', { kind: 'raw' as const }],
  ])('releases what it holds before %s, so a message never lands inside a frame', (_name, unit) => {
    for (const def of [wsHoldToxic, wsReorderToxic]) {
      const r = runner(def, { probability: 1, max_delay_ms: 1000 });
      r.data(msgChunk(1), 0);
      const actions = r.data({ data: Buffer.from([0x82, 0x7e]), arrivalMs: 3, unit }, 3);
      expect(ids(actions)).toEqual([1, unit?.kind]);
    }
  });

  it('end() drops what it holds, with a reason, then closes', () => {
    const r = runner(wsHoldToxic, {});
    r.data(msgChunk(1), 0);
    const actions = r.end?.(5) ?? [];
    expect(events(actions).map((e) => [e.action, e.reason])).toEqual([['dropped', 'connection closed']]);
    expect(actions.at(-1)).toEqual({ type: 'close', atMs: 5 });
  });
});

// ---- properties on real traffic cut by the real framer
interface Traffic {
  chunks: Chunk[];
  messages: string[];
  controls: string[];
}
interface MessageSpec {
  frags: number;
  size: number;
  pings: number;
  gapMs: number;
}
const trafficSpec: fc.Arbitrary<MessageSpec[]> = fc.array(
  fc.record({ frags: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 0, max: 300 }), pings: fc.integer({ min: 0, max: 2 }), gapMs: fc.integer({ min: 0, max: 40 }) }),
  { minLength: 1, maxLength: 30 },
);

function buildTraffic(spec: MessageSpec[]): Traffic {
  const framer = new MessageFramer('upstream');
  framer.setAligned(true);
  const messages: string[] = [];
  const controls: string[] = [];
  const chunks: Chunk[] = [];
  let now = 0;
  const push = (data: Buffer) => chunks.push(...framer.push(data, now).map((i) => ({ data: i.data, unit: i.unit, arrivalMs: now })));
  push(Buffer.from(REQUEST));
  spec.forEach((m, i) => {
    now += m.gapMs;
    const frames: Buffer[] = [];
    for (let f = 0; f < m.frags; f++) {
      const body = Buffer.from(`m${i}.${f}:${'x'.repeat(m.size)}`);
      frames.push(encode(body, f === 0 ? 2 : 0, { fin: f === m.frags - 1, maskKey: Buffer.from([i, f, 3, 4]) }));
      if (f < m.frags - 1 && f < m.pings) {
        const ping = encode(Buffer.from(`p${i}.${f}`), 9, { maskKey: KEY });
        controls.push(ping.toString('hex'));
        frames.push(ping);
      }
    }
    messages.push(Buffer.concat(frames.filter((fr) => (fr[0] & 0x0f) < 8)).toString('hex'));
    push(Buffer.concat(frames));
  });
  return { chunks, messages, controls };
}

/** Re-parses the output: only whole valid frames; returns messages (hex) and control frames in order. */
function reparse(actions: Action[]): { messages: string[]; controls: string[] } {
  const out = emitted(actions).filter((c) => c.unit?.kind !== 'handshake');
  const parser = new FrameParser();
  parser.push(Buffer.concat(out.map((c) => c.data)));
  const messages: string[] = [];
  const controls: string[] = [];
  let current: Buffer[] = [];
  for (let f = parser.next(); f !== null; f = parser.next()) {
    if ('error' in f) throw new Error(f.error);
    if (f.opcode >= 8) {
      controls.push(f.bytes.toString('hex'));
      continue;
    }
    expect(f.opcode === 0).toBe(current.length > 0);
    current.push(f.bytes);
    if (f.fin) {
      messages.push(Buffer.concat(current).toString('hex'));
      current = [];
    }
  }
  expect(current).toEqual([]);
  expect(parser.bufferedBytes).toBe(0);
  return { messages, controls };
}

const cases = [
  { def: wsDropToxic, copies: [0, 1] },
  { def: wsDuplicateToxic, copies: [1, 2] },
  { def: wsReorderToxic, copies: [1] },
];

describe('message toxics properties', () => {
  it.each(cases)('$def.type never corrupts framing; each message arrives $copies times; control frames all in order', ({ def, copies }) => {
    fc.assert(
      fc.property(trafficSpec, fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 100 }), (spec, seed, p, maxDelay) => {
        const t = buildTraffic(spec);
        const r = runner(def, { probability: p, max_delay_ms: maxDelay }, seed);
        const end = (t.chunks.at(-1)?.arrivalMs ?? 0) + 1;
        const out = reparse(drive(r, t.chunks, end));
        expect(out.controls).toEqual(t.controls);
        const index = new Map(t.messages.map((m, i) => [m, i]));
        const order = out.messages.map((m) => index.get(m) ?? -1);
        expect(order).not.toContain(-1);
        t.messages.forEach((_, i) => expect(copies).toContain(order.filter((k) => k === i).length));
        // Overtaken by at most one later message (reorder); in order otherwise.
        order.forEach((k, pos) => {
          const overtakers = new Set(order.slice(0, pos).filter((j) => j > k)).size;
          expect(overtakers).toBeLessThanOrEqual(def === wsReorderToxic ? 1 : 0);
        });
      }),
      { numRuns: 80 },
    );
  });

  it.each(cases)('$def.type: same seed and traffic give the same actions; other seeds differ', ({ def }) => {
    fc.assert(
      fc.property(trafficSpec, fc.integer(), (spec, seed) => {
        const t = buildTraffic(spec);
        const end = (t.chunks.at(-1)?.arrivalMs ?? 0) + 1;
        const attrs = { probability: 0.5, max_delay_ms: 20 };
        expect(drive(runner(def, attrs, seed), t.chunks, end)).toEqual(drive(runner(def, attrs, seed), t.chunks, end));
      }),
      { numRuns: 30 },
    );
    const t = buildTraffic(Array.from({ length: 100 }, (_, i) => ({ frags: 1, size: i, pings: 0, gapMs: 1 })));
    const attrs = { probability: 0.5, max_delay_ms: 1000 };
    const runs = [1, 2, 3, 4].map((seed) => JSON.stringify(drive(runner(def, attrs, seed), t.chunks, 200)));
    expect(new Set(runs).size).toBe(4);
  });
});
