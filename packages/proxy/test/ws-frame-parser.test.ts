import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameParser, parseFrameHeader, unmaskPayload, type ParsedFrame } from '../src/ws/frame-parser.js';
import { encode, pattern, split } from './support/ws-frames.js';

function drain(parser: FrameParser): ParsedFrame[] {
  const frames: ParsedFrame[] = [];
  for (let f = parser.next(); f !== null; f = parser.next()) {
    if ('error' in f) throw new Error(f.error);
    frames.push(f);
  }
  return frames;
}

const KEY = Buffer.from([0x12, 0x34, 0x56, 0x78]);

describe('FrameParser', () => {
  it('parses an unmasked text frame from ws', () => {
    const bytes = encode(Buffer.from('hello'), 1);
    const parser = new FrameParser();
    parser.push(bytes);
    const frame = parser.next() as ParsedFrame;
    expect(frame).toMatchObject({ fin: true, rsv1: false, opcode: 1, masked: false, payloadLength: 5, headerLength: 2 });
    expect(frame.maskKey).toBeUndefined();
    expect(frame.bytes.equals(bytes)).toBe(true);
    expect(unmaskPayload(frame).toString()).toBe('hello');
    expect(parser.next()).toBeNull();
  });

  it('keeps a masked frame byte-for-byte and unmasks its payload', () => {
    const bytes = encode(Buffer.from('{"id":7}'), 1, { maskKey: KEY });
    const parser = new FrameParser();
    parser.push(bytes);
    const frame = parser.next() as ParsedFrame;
    expect(frame).toMatchObject({ masked: true, headerLength: 6, payloadLength: 8 });
    expect(frame.maskKey?.equals(KEY)).toBe(true);
    expect(frame.bytes.equals(bytes)).toBe(true);
    expect(unmaskPayload(frame).toString()).toBe('{"id":7}');
  });

  it.each([
    [0, 2],
    [125, 2],
    [126, 4],
    [65535, 4],
    [65536, 10],
  ])('reads a %i-byte payload with a %i-byte header (7/16/64-bit lengths)', (length, headerLength) => {
    for (const maskKey of [undefined, KEY]) {
      const payload = pattern(length, 3);
      const bytes = encode(payload, 2, { maskKey });
      const parser = new FrameParser();
      for (const c of split(bytes, [1, 3, 7, 1000])) parser.push(c);
      const [frame] = drain(parser);
      expect(frame.headerLength).toBe(headerLength + (maskKey ? 4 : 0));
      expect(frame.payloadLength).toBe(length);
      expect(unmaskPayload(frame).equals(payload)).toBe(true);
    }
  });

  it('waits for a header split across chunks, byte by byte', () => {
    const bytes = encode(pattern(300, 1), 2, { maskKey: KEY });
    const parser = new FrameParser();
    for (let i = 0; i < bytes.length - 1; i++) {
      parser.push(bytes.subarray(i, i + 1));
      expect(parser.next()).toBeNull();
    }
    parser.push(bytes.subarray(bytes.length - 1));
    expect((parser.next() as ParsedFrame).bytes.equals(bytes)).toBe(true);
    expect(parser.bufferedBytes).toBe(0);
  });

  it.each([3, 4, 5, 6, 7, 11, 12, 13, 14, 15])('reports reserved opcode %i from the first byte', (opcode) => {
    const parser = new FrameParser();
    parser.push(Buffer.from([0x80 | opcode]));
    const result = parser.next();
    expect(result).toEqual({ error: `reserved opcode 0x${opcode.toString(16)}` });
    expect(parser.next()).toEqual(result); // sticky
  });

  it('reports control frame errors: payload over 125, FIN not set', () => {
    expect(parseFrameHeader(Buffer.from([0x89, 126]))).toEqual({
      error: 'control frame (opcode 0x9) with a payload length over 125',
    });
    expect(parseFrameHeader(Buffer.from([0x09, 0]))).toEqual({
      error: 'fragmented control frame (opcode 0x9, FIN not set)',
    });
    expect(parseFrameHeader(encode(pattern(125, 0), 9))).toMatchObject({ opcode: 9, payloadLength: 125 });
  });

  it('reports a 64-bit length with the most significant bit set as soon as that byte arrives', () => {
    expect(parseFrameHeader(Buffer.from([0x82, 127, 0x80]))).toEqual({
      error: '64-bit payload length with the most significant bit set',
    });
  });

  it('reports a frame larger than maxFrameBytes before its payload arrives', () => {
    const parser = new FrameParser({ maxFrameBytes: 1000 });
    parser.push(encode(pattern(2000, 0), 2).subarray(0, 4));
    expect(parser.next()).toEqual({ error: 'frame of 2004 bytes exceeds maxFrameBytes 1000' });
    const ok = new FrameParser({ maxFrameBytes: 1000 });
    ok.push(encode(pattern(996, 0), 2));
    expect(ok.next()).toMatchObject({ payloadLength: 996 });
  });

  it('returns errors as strings and never throws on garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (garbage) => {
        const parser = new FrameParser({ maxFrameBytes: 1 << 20 });
        parser.push(Buffer.from(garbage));
        for (let i = 0; i < 70; i++) {
          const r = parser.next();
          if (r === null) break;
          if ('error' in r) expect(r.error).not.toContain('\n');
        }
      }),
    );
  });
});

const payloadLength = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 200 }) },
  { weight: 3, arbitrary: fc.constantFrom(124, 125, 126, 127, 65535) },
  { weight: 1, arbitrary: fc.constantFrom(65536, 65537) },
);
const frameSpec = fc.record({
  opcode: fc.constantFrom(0, 1, 2, 8, 9, 10),
  fin: fc.boolean(),
  masked: fc.boolean(),
  key: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  length: payloadLength,
  seed: fc.integer({ min: 0, max: 255 }),
});
const chunkSizes = fc.array(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 4000 })), {
  minLength: 1,
  maxLength: 20,
});

describe('FrameParser properties', () => {
  it('yields the same frames for any split of the stream, and their bytes are the input', () => {
    fc.assert(
      fc.property(fc.array(frameSpec, { minLength: 1, maxLength: 12 }), chunkSizes, (specs, sizes) => {
        const frames = specs.map((s) => {
          const control = s.opcode >= 8;
          const payload = pattern(control ? Math.min(s.length, 125) : s.length, s.seed);
          const maskKey = s.masked ? Buffer.from(s.key) : undefined;
          return { payload, bytes: encode(payload, s.opcode, { fin: control || s.fin, maskKey }) };
        });
        const input = Buffer.concat(frames.map((f) => f.bytes));
        const parser = new FrameParser();
        const parsed: ParsedFrame[] = [];
        for (const c of split(input, sizes)) {
          parser.push(c);
          parsed.push(...drain(parser));
        }
        expect(parsed.length).toBe(frames.length);
        parsed.forEach((p, i) => {
          expect(p.bytes.equals(frames[i].bytes)).toBe(true);
          expect(p.opcode).toBe(specs[i].opcode);
          expect(unmaskPayload(p).equals(frames[i].payload)).toBe(true);
        });
        expect(Buffer.concat(parsed.map((p) => p.bytes)).equals(input)).toBe(true);
        expect(parser.bufferedBytes).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
