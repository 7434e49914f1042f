import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goFloat32, goFloat64, goInt, goMarshal, goQuote, goSortedObject, parseFloat32, type GoJson } from '../src/go-json/index.js';

const f32 = Math.fround;

describe('goQuote', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\r\t', '"\\n\\r\\t"'],
    ['\b\f', '"\\b\\f"'],
    ['\x00\x01\x1f', '"\\u0000\\u0001\\u001f"'],
    ['<a href="x">&amp;</a>', '"\\u003ca href=\\"x\\"\\u003e\\u0026amp;\\u003c/a\\u003e"'],
    ['\u2028\u2029', '"\\u2028\\u2029"'],
    ['\x7f/é😀\ufffd', '"\x7f/é😀\ufffd"'],
    ['a\ud800b\udc00', '"a\\ufffdb\\ufffd"'],
    ['', '""'],
  ])('%j → %s', (s, quoted) => {
    expect(goQuote(s)).toBe(quoted);
  });

  it('is valid JSON for the same string, with nothing HTML- or JSONP-sensitive left raw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), (a, b) => {
        const q = goQuote(a + b);
        expect(JSON.parse(q)).toBe((a + b).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
        expect([...q.slice(1, -1)].filter((ch) => ch < ' ' || '<>&\u2028\u2029'.includes(ch))).toEqual([]);
      }),
    );
  });
});

describe('goFloat32', () => {
  it.each<[number, string]>([
    [f32(0.1), '0.1'],
    [1, '1'],
    [0.5, '0.5'],
    [0, '0'],
    [-0, '-0'],
    [-1.5, '-1.5'],
    [f32(0.3), '0.3'],
    [f32(1.1), '1.1'],
    [f32(1 / 3), '0.33333334'],
    [f32(2 / 3), '0.6666667'],
    [100, '100'],
    [16777216, '16777216'],
    [f32(123456789), '123456790'],
    [1e20, '100000000000000000000'],
    [f32(1e21), '1e+21'],
    [f32(3.4028235e38), '3.4028235e+38'],
    [f32(1e-6), '0.000001'],
    [f32(1e-7), '1e-7'],
    [f32(1.5e-7), '1.5e-7'],
    [f32(1.234e-10), '1.234e-10'],
    [f32(1e-45), '1e-45'],
    [f32(1.17549435e-38), '1.1754944e-38'],
    [2 ** -126 - 2 ** -149, '1.1754942e-38'],
    // Two shortest candidates exactly as near: the even one (strconv's Ryū rounds half to even).
    [4194303.75, '4194303.8'],
    [409039.375, '409039.38'],
    [2 ** -12, '0.00024414062'],
    // Ryū's regression case: the float32 nearest 7.038531e-26 (Math.fround double-rounds to its neighbour).
    [parseFloat32('7.038531e-26'), '7.038531e-26'],
    [f32(7.038531e-26), '7.0385313e-26'],
  ])('%d → %s', (x, text) => {
    expect(goFloat32(x)).toBe(text);
  });

  it('reads back as the same float32 and is as short as any decimal that does', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const text = goFloat32(f);
        expect(parseFloat32(text)).toBe(f);
        const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
        for (let p = 1; p < digits.length; p++) expect(parseFloat32(f.toPrecision(p))).not.toBe(f);
      }),
      { numRuns: 2000 },
    );
  });

  it('uses exponent form below 1e-6 and from 1e21 on (float32 comparisons), without zero-padding the exponent', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const abs = Math.abs(f);
        const exponent = abs !== 0 && (abs < f32(1e-6) || abs >= f32(1e21));
        expect(goFloat32(f).includes('e')).toBe(exponent);
        expect(goFloat32(f)).not.toMatch(/e[-+]0/);
      }),
    );
  });

  it('refuses NaN and infinities as json.Marshal does', () => {
    expect(() => goFloat32(NaN)).toThrow('json: unsupported value: NaN');
    expect(() => goFloat32(1e39)).toThrow('json: unsupported value: +Inf');
  });
});

describe('goFloat64 and goInt', () => {
  it.each<[number, string]>([
    [0.1, '0.1'],
    [1, '1'],
    [-0, '-0'],
    [1e20, '100000000000000000000'],
    [1e21, '1e+21'],
    [1.5e300, '1.5e+300'],
    [1e-6, '0.000001'],
    [1e-7, '1e-7'],
    [1.2345e-7, '1.2345e-7'],
    [5e-324, '5e-324'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('%d → %s', (x, text) => {
    expect(goFloat64(x)).toBe(text);
  });

  it('writes every finite double as ES number-to-string does (Go copies ES6 here), except -0', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(goFloat64(d)).toBe(Object.is(d, -0) ? '-0' : String(d));
      }),
    );
    expect(() => goFloat64(-Infinity)).toThrow('json: unsupported value: -Inf');
  });

  it('writes integers in full', () => {
    expect(goInt(42)).toBe('42');
    expect(goInt(-0)).toBe('0');
    expect(goInt(-9223372036854775808n)).toBe('-9223372036854775808');
    expect(() => goInt(1.5)).toThrow(RangeError);
  });
});

describe('goMarshal', () => {
  it('writes compact JSON with keys in the given order', () => {
    const toxic: GoJson = {
      $object: [
        ['attributes', { $object: [['latency', 1000], ['jitter', 0]] }],
        ['name', 'latency_downstream'],
        ['type', 'latency'],
        ['stream', 'downstream'],
        ['toxicity', { $float32: 1 }],
      ],
    };
    expect(goMarshal(toxic)).toBe(
      '{"attributes":{"latency":1000,"jitter":0},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}',
    );
    expect(goMarshal([null, true, false, 'a<b', 12345678901234567890n, { $float32: 0.1 }, 0.1, [], { $object: [] }])).toBe(
      '[null,true,false,"a\\u003cb",12345678901234567890,0.1,0.1,[],{}]',
    );
    expect(goMarshal({ $object: [['error', 'proxy not found'], ['status', 404]] })).toBe('{"error":"proxy not found","status":404}');
  });

  it('sorts map keys by their UTF-8 bytes', () => {
    const sorted = goSortedObject([['b', 1], ['\uffff', 2], ['😀', 3], ['B', 4], ['a', 5], ['', 6]]);
    expect(sorted.$object.map(([k]) => k)).toEqual(['', 'B', 'a', 'b', '\uffff', '😀']);
    expect(goMarshal(goSortedObject([['z', null], ['y', { $object: [] }]]))).toBe('{"y":{},"z":null}');
  });

  it('throws json.Marshal\'s error on NaN', () => {
    expect(() => goMarshal([NaN])).toThrow('json: unsupported value: NaN');
  });
});
