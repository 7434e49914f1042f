import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Direction } from '../src/toxics/toxic.js';
import { FrameParser, type ParsedFrame } from '../src/ws/frame-parser.js';
import { MessageFramer, type FramerItem } from '../src/ws/message-framer.js';
import type { WsUnit } from '../src/ws/units.js';
import { EXT_LINE, WS_RESPONSE, encode, pattern, split, wsUpgradeRequest } from './support/ws-frames.js';

const REQUEST = wsUpgradeRequest('/chat', true);


// ---- traffic model: data messages (maybe fragmented, with control frames between fragments) and control frames
interface CtlSpec {
  opcode: 8 | 9 | 10;
  length: number;
  seed: number;
}
interface MsgSpec {
  opcode: 1 | 2;
  json: boolean;
  id: string | number;
  fragLengths: number[];
  seed: number;
  between: CtlSpec[][];
}
type ItemSpec = { msg: MsgSpec } | { ctl: CtlSpec };

interface Traffic {
  input: Buffer;
  /** The handshake as the framer must emit it. */
  handshake: Buffer;
  /** The expected items after the handshake, aligned from the start. */
  aligned: FramerItem[];
  dataFrames: Buffer[];
  controlFrames: Buffer[];
}

function build(items: ItemSpec[], direction: Direction): Traffic {
  const masked = direction === 'upstream';
  const key = (seed: number): Buffer | undefined => (masked ? pattern(4, seed * 7 + 1) : undefined);
  const ctlFrame = (c: CtlSpec): Buffer => encode(pattern(c.length, c.seed), c.opcode, { maskKey: key(c.seed) });
  const frames: Buffer[] = [];
  const aligned: FramerItem[] = [];
  const dataFrames: Buffer[] = [];
  const controlFrames: Buffer[] = [];
  for (const item of items) {
    if ('ctl' in item) {
      const f = ctlFrame(item.ctl);
      frames.push(f);
      controlFrames.push(f);
      aligned.push({ data: f, unit: { kind: 'control', opcode: item.ctl.opcode } });
      continue;
    }
    const m = item.msg;
    const total = m.fragLengths.reduce((a, n) => a + n, 0);
    const payload = m.json ? Buffer.from(JSON.stringify({ id: m.id, pad: 'x'.repeat(total) })) : pattern(total, m.seed);
    const msgFrames: Buffer[] = [];
    let pos = 0;
    m.fragLengths.forEach((n, i) => {
      const last = i === m.fragLengths.length - 1;
      const end = last ? payload.length : Math.min(payload.length, pos + n);
      const f = encode(payload.subarray(pos, end), i === 0 ? m.opcode : 0, { fin: last, maskKey: key(m.seed + i) });
      pos = end;
      frames.push(f);
      msgFrames.push(f);
      dataFrames.push(f);
      if (last) return;
      for (const c of m.between[i] ?? []) {
        const cf = ctlFrame(c);
        frames.push(cf);
        controlFrames.push(cf);
        aligned.push({ data: cf, unit: { kind: 'control', opcode: c.opcode } });
      }
    });
    const unit: WsUnit = { kind: 'message', opcode: m.opcode, payloadSize: payload.length, frames: msgFrames.length };
    if (m.json) unit.id = m.id;
    aligned.push({ data: Buffer.concat(msgFrames), unit });
  }
  const head = direction === 'upstream' ? REQUEST : WS_RESPONSE;
  return {
    input: Buffer.concat([Buffer.from(head, 'latin1'), ...frames]),
    handshake: Buffer.from(head.replace(EXT_LINE, ''), 'latin1'),
    aligned,
    dataFrames,
    controlFrames,
  };
}

const length = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 200 }) },
  { weight: 3, arbitrary: fc.constantFrom(125, 126, 127, 65535) },
  { weight: 1, arbitrary: fc.constantFrom(65536) },
);
const ctlSpec: fc.Arbitrary<CtlSpec> = fc.record({
  opcode: fc.constantFrom(8 as const, 9 as const, 10 as const),
  length: fc.integer({ min: 0, max: 125 }),
  seed: fc.integer({ min: 0, max: 255 }),
});
const msgSpec: fc.Arbitrary<MsgSpec> = fc.record({
  opcode: fc.constantFrom(1 as const, 2 as const),
  json: fc.boolean(),
  id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 })),
  fragLengths: fc.array(length, { minLength: 1, maxLength: 4 }),
  seed: fc.integer({ min: 0, max: 255 }),
  between: fc.array(fc.array(ctlSpec, { maxLength: 2 }), { maxLength: 3 }),
});
const itemSpec: fc.Arbitrary<ItemSpec> = fc.oneof(
  { weight: 3, arbitrary: msgSpec.map((msg) => ({ msg })) },
  { weight: 1, arbitrary: ctlSpec.map((ctl) => ({ ctl })) },
);
const traffic = fc.tuple(fc.array(itemSpec, { maxLength: 10 }), fc.constantFrom<Direction>('upstream', 'downstream'));
const chunkSizes = fc.array(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 5000 })), {
  minLength: 1,
  maxLength: 20,
});

function run(framer: MessageFramer, chunks: Buffer[], before?: (i: number) => void): FramerItem[] {
  const out: FramerItem[] = [];
  chunks.forEach((c, i) => {
    before?.(i);
    out.push(...framer.push(c, i));
  });
  out.push(...framer.flush());
  return out;
}

const view = (items: FramerItem[]) => items.map((i) => ({ hex: i.data.toString('hex'), unit: i.unit }));

function parseAll(buf: Buffer): ParsedFrame[] {
  const parser = new FrameParser();
  parser.push(buf);
  const frames: ParsedFrame[] = [];
  for (let f = parser.next(); f !== null; f = parser.next()) {
    if ('error' in f) throw new Error(f.error);
    frames.push(f);
  }
  expect(parser.bufferedBytes).toBe(0);
  return frames;
}

describe('MessageFramer properties', () => {
  it('aligned: any split gives the handshake, then every control frame and whole message, in order', () => {
    fc.assert(
      fc.property(traffic, chunkSizes, ([items, direction], sizes) => {
        const t = build(items, direction);
        const framer = new MessageFramer(direction);
        framer.setAligned(true);
        const out = run(framer, split(t.input, sizes));
        expect(out[0].unit).toEqual({ kind: 'handshake' });
        expect(out[0].data.equals(t.handshake)).toBe(true);
        expect(view(out.slice(1))).toEqual(view(t.aligned));
        expect(framer.error).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('unaligned: any split passes every byte unchanged (minus the extensions line), no units', () => {
    fc.assert(
      fc.property(traffic, chunkSizes, ([items, direction], sizes) => {
        const t = build(items, direction);
        const out = run(new MessageFramer(direction), split(t.input, sizes));
        expect(out[0]).toEqual({ data: t.handshake, unit: { kind: 'handshake' } });
        expect(out.slice(1).every((i) => i.unit === undefined)).toBe(true);
        const expected = Buffer.concat([t.handshake, t.input.subarray(t.handshake.length + (direction === 'upstream' ? EXT_LINE.length : 0))]);
        expect(Buffer.concat(out.map((i) => i.data)).equals(expected)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('toggling alignment anywhere loses, changes and reorders nothing but whole units', () => {
    fc.assert(
      fc.property(traffic, chunkSizes, fc.array(fc.boolean(), { minLength: 1, maxLength: 9 }), ([items, dir], sizes, toggles) => {
        const t = build(items, dir);
        const framer = new MessageFramer(dir);
        const out = run(framer, split(t.input, sizes), (i) => framer.setAligned(toggles[i % toggles.length]));
        const body = Buffer.concat(out.slice(1).map((i) => i.data));
        expect(body.length).toBe(t.input.length - t.handshake.length - (dir === 'upstream' ? EXT_LINE.length : 0));
        const frames = parseAll(body);
        expect(view(frames.filter((f) => f.opcode < 8).map((f) => ({ data: f.bytes })))).toEqual(view(t.dataFrames.map((data) => ({ data }))));
        expect(view(frames.filter((f) => f.opcode >= 8).map((f) => ({ data: f.bytes })))).toEqual(view(t.controlFrames.map((data) => ({ data }))));
        // Every unit the framer claims is one of the expected ones, in order.
        const expectedUnits = view(t.aligned);
        let k = 0;
        for (const item of view(out.slice(1).filter((i) => i.unit !== undefined))) {
          while (k < expectedUnits.length && JSON.stringify(expectedUnits[k]) !== JSON.stringify(item)) k++;
          expect(k).toBeLessThan(expectedUnits.length);
          k++;
        }
      }),
      { numRuns: 100 },
    );
  });
});

const hs = (direction: Direction): Buffer => Buffer.from(direction === 'upstream' ? REQUEST : WS_RESPONSE, 'latin1');
const text = (s: string, maskKey?: Buffer, fin = true, opcode = 1): Buffer => encode(Buffer.from(s), opcode, { fin, maskKey });
const KEY = Buffer.from([9, 8, 7, 6]);

describe('MessageFramer', () => {
  it('passes a non-WebSocket connection through unchanged, cheaply, forever', () => {
    const up = new MessageFramer('upstream');
    const redis = Buffer.from('*1\r\n$4\r\nPING\r\n');
    expect(up.push(redis, 0)).toEqual([{ data: redis }]);
    expect(up.passthrough).toBe(true);
    const later = text('GET / HTTP/1.1');
    expect(up.push(later, 1)[0].data).toBe(later);
    const down = new MessageFramer('downstream');
    const greeting = Buffer.from([0x4a, 0, 0, 0, 0x0a]);
    expect(down.push(greeting, 0)).toEqual([{ data: greeting }]);
    expect(down.mode).toBe('passthrough');
  });

  it('holds a split handshake until it is complete, then emits it as one unit', () => {
    const framer = new MessageFramer('downstream');
    const all = Buffer.concat([hs('downstream'), text('hi')]);
    expect(framer.push(all.subarray(0, 20), 0)).toEqual([]);
    expect(framer.push(all.subarray(20), 1)).toEqual([{ data: hs('downstream'), unit: { kind: 'handshake' } }, { data: text('hi') }]);
  });

  it('finds the JSON id of text and binary messages, masked or not', () => {
    const framer = new MessageFramer('upstream');
    framer.setAligned(true);
    framer.push(hs('upstream'), 0);
    const units = (b: Buffer) => framer.push(b, 0).map((i) => i.unit);
    expect(units(text('{"id":"a-1","op":"put"}', KEY))).toEqual([{ kind: 'message', opcode: 1, payloadSize: 23, frames: 1, id: 'a-1' }]);
    expect(units(text(' {"id": 42}', KEY, true, 2))).toEqual([{ kind: 'message', opcode: 2, payloadSize: 11, frames: 1, id: 42 }]);
    const fragmented = Buffer.concat([text('{"id":', KEY, false), text('7}', KEY, true, 0)]);
    expect(units(fragmented)).toEqual([{ kind: 'message', opcode: 1, payloadSize: 8, frames: 2, id: 7 }]);
    for (const s of ['[{"id":1}]', '{"id":true}', '{"id":1', 'id']) {
      expect(units(text(s, KEY))).toEqual([{ kind: 'message', opcode: 1, payloadSize: s.length, frames: 1 }]);
    }
    expect(units(encode(Buffer.from([0x7b, 0xff, 0x7d]), 2, { maskKey: KEY }))[0]).not.toHaveProperty('id');
  });

  it('emits a control frame interleaved in a fragmented message before the message', () => {
    const framer = new MessageFramer('downstream');
    framer.setAligned(true);
    framer.push(hs('downstream'), 0);
    const [a, ping, b] = [text('part1-', undefined, false), encode(Buffer.from('p'), 9), text('part2', undefined, true, 0)];
    expect(framer.push(Buffer.concat([a, ping]), 1)).toEqual([{ data: ping, unit: { kind: 'control', opcode: 9 } }]);
    expect(framer.push(b, 2)).toEqual([
      { data: Buffer.concat([a, b]), unit: { kind: 'message', opcode: 1, payloadSize: 11, frames: 2 } },
    ]);
  });

  it('switched on mid-message, lets that message pass unaligned and aligns from the next one', () => {
    const framer = new MessageFramer('downstream');
    framer.push(hs('downstream'), 0);
    const [a, ping, b, next] = [text('one-', undefined, false), encode(Buffer.alloc(0), 9), text('two', undefined, true, 0), text('next')];
    const first = Buffer.concat([a, ping.subarray(0, 1)]);
    expect(framer.push(first, 1)).toEqual([{ data: first }]);
    framer.setAligned(true);
    const rest = Buffer.concat([ping.subarray(1), b]);
    expect(framer.push(Buffer.concat([rest, next]), 2)).toEqual([
      { data: rest },
      { data: next, unit: { kind: 'message', opcode: 1, payloadSize: 4, frames: 1 } },
    ]);
  });

  it('switched off mid-message, releases what it collected with the next bytes', () => {
    const framer = new MessageFramer('downstream');
    framer.setAligned(true);
    framer.push(hs('downstream'), 0);
    const msg = text('x'.repeat(300));
    expect(framer.push(msg.subarray(0, 100), 1)).toEqual([]);
    framer.setAligned(false);
    expect(framer.push(msg.subarray(100), 2)).toEqual([{ data: msg.subarray(0, 100) }, { data: msg.subarray(100) }]);
  });

  it('turns raw on garbage after the upgrade: nothing lost, error recorded', () => {
    const framer = new MessageFramer('downstream');
    framer.setAligned(true);
    framer.push(hs('downstream'), 0);
    const partial = text('hello').subarray(0, 4);
    expect(framer.push(partial, 1)).toEqual([]);
    const garbage = Buffer.from([0x83, 0, 1, 2]);
    expect(framer.push(Buffer.concat([text('hello').subarray(4), garbage]), 2)).toEqual([
      { data: text('hello'), unit: { kind: 'message', opcode: 1, payloadSize: 5, frames: 1 } },
      { data: garbage, unit: { kind: 'raw' } },
    ]);
    expect(framer.error).toBe('reserved opcode 0x3');
    expect(framer.mode).toBe('raw');
    expect(framer.push(text('ok'), 3)).toEqual([{ data: text('ok'), unit: { kind: 'raw' } }]);
  });

  it('treats a continuation frame outside a message, or a new message inside one, as a framing error', () => {
    const a = new MessageFramer('downstream');
    a.push(hs('downstream'), 0);
    a.push(text('x', undefined, true, 0), 1);
    expect(a.error).toBe('continuation frame without a message in progress');
    const b = new MessageFramer('downstream');
    b.setAligned(true);
    b.push(hs('downstream'), 0);
    const bytes = Buffer.concat([text('a', undefined, false), text('b')]);
    expect(b.push(bytes, 1)).toEqual([{ data: bytes, unit: { kind: 'raw' } }]);
    expect(b.error).toBe('data frame (opcode 0x1) inside a fragmented message');
  });

  it('flush releases a partial handshake or a partial message', () => {
    const sniffing = new MessageFramer('upstream');
    sniffing.push(Buffer.from('GET / HT'), 0);
    expect(sniffing.flush()).toEqual([{ data: Buffer.from('GET / HT') }]);
    const framer = new MessageFramer('upstream');
    framer.setAligned(true);
    framer.push(hs('upstream'), 0);
    const partial = text('abc', KEY).subarray(0, 7);
    expect(framer.push(partial, 1)).toEqual([]);
    expect(framer.flush()).toEqual([{ data: partial, unit: { kind: 'raw' } }]);
  });

  it('lets a message larger than maxMessageBytes pass unaligned instead of buffering it', () => {
    const framer = new MessageFramer('downstream', { maxMessageBytes: 1000 });
    framer.setAligned(true);
    framer.push(hs('downstream'), 0);
    const big = encode(pattern(3000, 1), 2);
    const out = run(framer, split(big, [700]));
    expect(out.every((i) => i.unit === undefined)).toBe(true);
    expect(Buffer.concat(out.map((i) => i.data)).equals(big)).toBe(true);
    expect(framer.push(text('small'), 9)[0].unit).toMatchObject({ kind: 'message' });
  });
});
