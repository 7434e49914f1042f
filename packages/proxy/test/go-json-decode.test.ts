import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attributesOnlyType,
  goDecode,
  goQuote,
  noopToxicType,
  parseFloat32,
  populateType,
  proxyType,
  toxicAttributesType,
  toxicUpdateType,
  toxicWrapperType,
  type GoType,
} from '../src/go-json/index.js';

const latency = toxicAttributesType('LatencyToxic', { latency: 'int64', jitter: 'int64' });
const slicer = toxicAttributesType('SlicerToxic', { average_size: 'int', size_variation: 'int', delay: 'int' });
const rated = toxicAttributesType('RateToxic', { rate: 'float64' });
const wrapper = toxicWrapperType(noopToxicType);
const str: GoType = { kind: 'string' };
const POPULATE = '[]struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';
const POPULATE_ELEM = 'struct { toxiproxy.Proxy; Enabled *bool "json:\\"enabled\\"" }';

function errorOf(input: string | Uint8Array, type: GoType, into?: unknown): string {
  const r = goDecode(input, type, into);
  if (r.ok) throw new Error(`expected an error, got ${String(JSON.stringify(r.value))}`);
  return r.error;
}

function valueOf(input: string | Uint8Array, type: GoType, into?: unknown): unknown {
  const r = goDecode(input, type, into);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** What a Go string holds after a JS string went through UTF-8: lone surrogates become U+FFFD. */
const wellFormed = (s: string): string => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

describe('goDecode: reading one value (Decoder.Decode)', () => {
  it.each([
    ['', 'EOF'],
    [' \n\t\r ', 'EOF'],
    ['{"name":', 'unexpected EOF'],
    ['{"name":"x"', 'unexpected EOF'],
    ['[', 'unexpected EOF'],
    ['  {', 'unexpected EOF'],
    ['"abc', 'unexpected EOF'],
    ['tru', 'unexpected EOF'],
    ['12.', 'unexpected EOF'],
    ['-', 'unexpected EOF'],
  ])('%j → %s', (input, error) => {
    expect(errorOf(input, proxyType)).toBe(error);
  });

  it('ignores whatever follows a complete object or array', () => {
    expect(valueOf('{"name":"a"} garbage', proxyType)).toEqual({ name: 'a' });
    expect(valueOf('{"name":"a"}{"name":"b"}', proxyType)).toEqual({ name: 'a' });
    expect(valueOf('[]]', populateType)).toEqual([]);
  });

  it('stops a top-level scalar at the first byte that cannot continue it, as the Decoder does', () => {
    // Go's scanner notes "after top-level value" but the Decoder returns the value and would only
    // report the stray byte on a second Decode call.
    expect(valueOf('"abc"x', str)).toBe('abc');
    expect(valueOf('5x', { kind: 'int64' })).toBe(5);
    expect(valueOf('0123', { kind: 'int64' })).toBe(0);
    expect(valueOf('true false', { kind: 'bool' })).toBe(true);
    expect(errorOf('5x', proxyType)).toBe('json: cannot unmarshal number into Go value of type toxiproxy.Proxy');
  });
});

describe('goDecode: syntax errors (scanner.go messages)', () => {
  it.each([
    ['x', `invalid character 'x' looking for beginning of value`],
    ['{"a":}', `invalid character '}' looking for beginning of value`],
    ['[1,]', `invalid character ']' looking for beginning of value`],
    ["'a'", `invalid character '\\'' looking for beginning of value`],
    ['\\', `invalid character '\\\\' looking for beginning of value`],
    ['\x01', `invalid character '\\x01' looking for beginning of value`],
    ['\x00', `invalid character '\\x00' looking for beginning of value`],
    ['\x07', `invalid character '\\a' looking for beginning of value`],
    ['\x0b', `invalid character '\\v' looking for beginning of value`],
    ['\x7f', `invalid character '\\x7f' looking for beginning of value`],
    ['é', `invalid character 'Ã' looking for beginning of value`],
    ['{1:2}', `invalid character '1' looking for beginning of object key string`],
    ['{"a":1,}', `invalid character '}' looking for beginning of object key string`],
    ['{"name" "x"}', `invalid character '"' after object key`],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['{"a":0123}', `invalid character '1' after object key:value pair`],
    ['[1 2]', `invalid character '2' after array element`],
    ['"a\nb"', `invalid character '\\n' in string literal`],
    ['"a\tb"', `invalid character '\\t' in string literal`],
    ['"a\\x"', `invalid character 'x' in string escape code`],
    ['"\\u00zz"', `invalid character 'z' in \\u hexadecimal character escape`],
    ['-a', `invalid character 'a' in numeric literal`],
    ['[-]', `invalid character ']' in numeric literal`],
    ['1.x', `invalid character 'x' after decimal point in numeric literal`],
    ['[1e]', `invalid character ']' in exponent of numeric literal`],
    ['1e+x', `invalid character 'x' in exponent of numeric literal`],
    ['tx', `invalid character 'x' in literal true (expecting 'r')`],
    ['trux', `invalid character 'x' in literal true (expecting 'e')`],
    ['fals0', `invalid character '0' in literal false (expecting 'e')`],
    ['[nul]', `invalid character ']' in literal null (expecting 'l')`],
    ['{"a":nx}', `invalid character 'x' in literal null (expecting 'u')`],
  ])('%j → %s', (input, error) => {
    expect(errorOf(input, proxyType)).toBe(error);
  });

  it('shows a non-ASCII byte as the Latin-1 character of that byte, or escaped when not printable', () => {
    expect(errorOf(Buffer.from([0x80]), proxyType)).toBe(`invalid character '\\u0080' looking for beginning of value`);
    expect(errorOf(Buffer.from([0xa0]), proxyType)).toBe(`invalid character '\\u00a0' looking for beginning of value`);
    expect(errorOf(Buffer.from([0xad]), proxyType)).toBe(`invalid character '\\u00ad' looking for beginning of value`);
    expect(errorOf(Buffer.from([0xff]), proxyType)).toBe(`invalid character 'ÿ' looking for beginning of value`);
  });

  it('reports a syntax error before any type error', () => {
    expect(errorOf('{"name":1,}', proxyType)).toBe(`invalid character '}' looking for beginning of object key string`);
    expect(errorOf('[{"name":1}, x]', populateType)).toBe(`invalid character 'x' looking for beginning of value`);
  });

  it('refuses nesting deeper than 10000', () => {
    const ok = `{"x":${'['.repeat(9999)}${']'.repeat(9999)},"name":"deep"}`;
    expect(valueOf(ok, proxyType)).toEqual({ name: 'deep' });
    expect(errorOf('['.repeat(10001), proxyType)).toBe(`invalid character '[' exceeded max depth`);
    expect(errorOf('['.repeat(10000), proxyType)).toBe('unexpected EOF');
  });
});

describe('goDecode: type errors (UnmarshalTypeError)', () => {
  it.each<[string, GoType, string]>([
    ['{"name":5}', proxyType, 'number into Go struct field Proxy.name of type string'],
    ['{"enabled":"yes"}', proxyType, 'string into Go struct field Proxy.enabled of type bool'],
    ['{"listen":[]}', proxyType, 'array into Go struct field Proxy.listen of type string'],
    ['{"upstream":{}}', proxyType, 'object into Go struct field Proxy.upstream of type string'],
    ['{"name":true}', proxyType, 'bool into Go struct field Proxy.name of type string'],
    ['{"logger":1}', proxyType, 'number into Go struct field Proxy.Logger of type zerolog.Logger'],
    ['[]', proxyType, 'array into Go value of type toxiproxy.Proxy'],
    ['"proxy"', proxyType, 'string into Go value of type toxiproxy.Proxy'],
    ['1.5', proxyType, 'number into Go value of type toxiproxy.Proxy'],
    ['true', proxyType, 'bool into Go value of type toxiproxy.Proxy'],
    ['{}', populateType, `object into Go value of type ${POPULATE}`],
    ['"x"', populateType, `string into Go value of type ${POPULATE}`],
    ['[1]', populateType, `number into Go value of type ${POPULATE_ELEM}`],
    ['[{"name":"a"},[]]', populateType, `array into Go value of type ${POPULATE_ELEM}`],
    ['[{"name":1}]', populateType, 'number into Go struct field .name of type string'],
    ['[{"enabled":"x"}]', populateType, 'string into Go struct field .enabled of type bool'],
    ['[{"enabled":1}]', populateType, 'number into Go struct field .enabled of type bool'],
    ['{"toxicity":"1"}', wrapper, 'string into Go struct field ToxicWrapper.toxicity of type float32'],
    ['{"toxicity":1e40}', wrapper, 'number 1e40 into Go struct field ToxicWrapper.toxicity of type float32'],
    ['{"toxicity":-3.5e38}', wrapper, 'number -3.5e38 into Go struct field ToxicWrapper.toxicity of type float32'],
    ['{"attributes":5}', wrapper, 'number into Go struct field ToxicWrapper.attributes of type toxics.NoopToxic'],
    ['{"attributes":[]}', wrapper, 'array into Go struct field ToxicWrapper.attributes of type toxics.NoopToxic'],
    ['{"type":{"a":1}}', wrapper, 'object into Go struct field ToxicWrapper.type of type string'],
    ['{"attributes":{"latency":"x"}}', attributesOnlyType(latency), 'string into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"attributes":{"jitter":1.5}}', attributesOnlyType(latency), 'number 1.5 into Go struct field LatencyToxic.attributes.jitter of type int64'],
    ['{"attributes":{"latency":1e3}}', attributesOnlyType(latency), 'number 1e3 into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"attributes":{"latency":1.0}}', attributesOnlyType(latency), 'number 1.0 into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"attributes":{"latency":9223372036854775808}}', attributesOnlyType(latency), 'number 9223372036854775808 into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"attributes":{"latency":-9223372036854775809}}', attributesOnlyType(latency), 'number -9223372036854775809 into Go struct field LatencyToxic.attributes.latency of type int64'],
    ['{"attributes":{"average_size":2E2}}', attributesOnlyType(slicer), 'number 2E2 into Go struct field SlicerToxic.attributes.average_size of type int'],
    ['{"attributes":{"rate":1e309}}', attributesOnlyType(rated), 'number 1e309 into Go struct field RateToxic.attributes.rate of type float64'],
    ['{"attributes":{"rate":"1"}}', attributesOnlyType(rated), 'string into Go struct field RateToxic.attributes.rate of type float64'],
    ['{"attributes":"x"}', attributesOnlyType(latency), 'string into Go struct field .attributes of type toxics.LatencyToxic'],
    ['{"attributes":[1]}', toxicUpdateType(latency), 'array into Go struct field .attributes of type toxics.LatencyToxic'],
    ['{"toxicity":true}', toxicUpdateType(latency), 'bool into Go struct field .toxicity of type float32'],
    ['{"attributes":{"latency":false}}', toxicUpdateType(latency), 'bool into Go struct field LatencyToxic.attributes.latency of type int64'],
  ])('%s', (input, type, message) => {
    expect(errorOf(input, type)).toBe(`json: cannot unmarshal ${message}`);
  });

  it('keeps the first type error and goes on decoding the rest', () => {
    const r = goDecode('{"name":1,"listen":true,"upstream":"u"}', proxyType);
    expect(r).toEqual({ ok: false, error: 'json: cannot unmarshal number into Go struct field Proxy.name of type string', value: { upstream: 'u' } });
    expect(errorOf('[{"name":"a"},{"upstream":2},{"name":3}]', populateType)).toBe(
      'json: cannot unmarshal number into Go struct field .upstream of type string',
    );
  });

  it('allocates a pointer before finding its value does not fit (Go leaves it non-nil)', () => {
    const r = goDecode('[{"enabled":"x","name":"a"}]', populateType);
    expect(r.ok).toBe(false);
    expect(r.value).toEqual([{ enabled: false, name: 'a' }]);
  });
});

describe('goDecode: values', () => {
  it('decodes the Toxiproxy types', () => {
    expect(valueOf('{"name":"redis","listen":"127.0.0.1:26379","upstream":"127.0.0.1:6379","enabled":false}', proxyType)).toEqual({
      name: 'redis',
      listen: '127.0.0.1:26379',
      upstream: '127.0.0.1:6379',
      enabled: false,
    });
    expect(valueOf('[{"name":"a","enabled":null},{"name":"b","enabled":true}]', populateType)).toEqual([{ name: 'a' }, { name: 'b', enabled: true }]);
    expect(valueOf('{"type":"latency","attributes":{"latency":100},"toxicity":0.1}', wrapper)).toEqual({
      type: 'latency',
      attributes: {},
      toxicity: Math.fround(0.1),
    });
    expect(valueOf('{"attributes":{"latency":100,"jitter":-5,"x":1}}', attributesOnlyType(latency))).toEqual({
      attributes: { latency: 100, jitter: -5 },
    });
  });

  it('matches keys case-insensitively, preferring an exact match; the last duplicate wins', () => {
    expect(valueOf('{"NAME":"a","Listen":"b","UpStream":"c","ENABLED":false}', proxyType)).toEqual({
      name: 'a',
      listen: 'b',
      upstream: 'c',
      enabled: false,
    });
    expect(valueOf('{"name":"a","NAME":"b"}', proxyType)).toEqual({ name: 'b' });
    expect(valueOf('{"Name":"a","name":"b"}', proxyType)).toEqual({ name: 'b' });
    const twoCases: GoType = { kind: 'struct', name: 'T', typeString: 'main.T', fields: [{ json: 'a', type: str }, { json: 'A', type: str }] };
    expect(valueOf('{"A":"upper","a":"lower"}', twoCases)).toEqual({ a: 'lower', A: 'upper' });
    // Go folds the Kelvin sign to K and the long s to S, as bytes.EqualFold does.
    expect(valueOf('{"\u017ftream":"up","type":"x"}', wrapper)).toEqual({ stream: 'up', type: 'x' });
    expect(valueOf('{"n\\u0061me":"escaped key"}', proxyType)).toEqual({ name: 'escaped key' });
    expect(valueOf('{"nåme":"x","unknown":{"deep":[1,[2]]}}', proxyType)).toEqual({});
  });

  it('leaves non-pointer fields alone on null, sets pointers to nil, and a top-level null changes nothing', () => {
    expect(valueOf('{"name":null,"enabled":null}', proxyType, { name: 'a', enabled: true })).toEqual({ name: 'a', enabled: true });
    expect(valueOf('null', proxyType, { name: 'a' })).toEqual({ name: 'a' });
    expect(valueOf(' null ', populateType)).toEqual([]);
    expect(valueOf('[{"enabled":true}]', populateType, [{ enabled: true }])).toEqual([{ enabled: true }]);
    expect(valueOf('[{"enabled":null}]', populateType, [{ enabled: true }])).toEqual([{}]);
  });

  it('merges into a copy of `into` without touching it', () => {
    const into = { listen: 'l', upstream: 'u', enabled: true, attributes: { latency: 1 } };
    const before = structuredClone(into);
    const r = valueOf('{"enabled":false,"name":"n"}', proxyType, into);
    expect(r).toEqual({ name: 'n', listen: 'l', upstream: 'u', enabled: false, attributes: { latency: 1 } });
    expect(into).toEqual(before);
    const update = valueOf('{"attributes":{"jitter":7}}', toxicUpdateType(latency), { attributes: { latency: 1, jitter: 2 }, toxicity: 0.5 });
    expect(update).toEqual({ attributes: { latency: 1, jitter: 7 }, toxicity: 0.5 });
    expect(valueOf('[{"upstream":"u"}]', populateType, [{ name: 'a' }, { name: 'b' }])).toEqual([{ name: 'a', upstream: 'u' }]);
  });

  it('gives int64 as number when safe and bigint beyond', () => {
    const attrs = (json: string): unknown => (valueOf(`{"attributes":{"latency":${json}}}`, attributesOnlyType(latency)) as { attributes: { latency: unknown } }).attributes.latency;
    expect(attrs('9007199254740991')).toBe(9007199254740991);
    expect(attrs('9007199254740993')).toBe(9007199254740993n);
    expect(attrs('9223372036854775807')).toBe(9223372036854775807n);
    expect(attrs('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(Object.is(attrs('-0'), 0)).toBe(true);
  });

  it('rounds float32 straight from the decimal, as strconv.ParseFloat(s, 32) does', () => {
    expect(parseFloat32('0.1')).toBe(Math.fround(0.1));
    expect(parseFloat32('3.4028235e38')).toBe(3.4028234663852886e38);
    expect(parseFloat32('1e-50')).toBe(0);
    // Exactly halfway between 1 and the next float32: ties to even. Just above or below: no double rounding.
    expect(parseFloat32('1.000000059604644775390625')).toBe(1);
    expect(parseFloat32('1.0000000596046447753906251')).toBe(1.0000001192092896);
    expect(parseFloat32('-1.0000000596046447753906251')).toBe(-1.0000001192092896);
    expect(parseFloat32('1.0000000596046447753906249')).toBe(1);
    // Number() lands exactly on a float32 midpoint that the literal is below (Ryū's 7.038531e-26).
    expect(parseFloat32('7.038531e-26')).toBe(7.038530691851209e-26);
    expect(Math.fround(7.038531e-26)).toBe(7.038531308148791e-26);
    // Just under / exactly at the float32 overflow threshold (MaxFloat32 + half an ulp).
    expect(parseFloat32('340282356779733661637539395458142568447')).toBe(3.4028234663852886e38);
    expect(parseFloat32('340282356779733661637539395458142568448')).toBe(Infinity);
    expect(errorOf('{"toxicity":340282356779733661637539395458142568448}', wrapper)).toBe(
      'json: cannot unmarshal number 340282356779733661637539395458142568448 into Go struct field ToxicWrapper.toxicity of type float32',
    );
  });

  it('decodes strings like Go: escapes, surrogate pairs, U+FFFD for lone surrogates and bad UTF-8', () => {
    expect(valueOf('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u0000"', str)).toBe('"\\/\b\f\n\r\té\u0000');
    expect(valueOf('"\\ud83d\\ude00"', str)).toBe('😀');
    expect(valueOf('"\\ud83d"', str)).toBe('\ufffd');
    expect(valueOf('"\\ude00x"', str)).toBe('\ufffdx');
    expect(valueOf('"\\ud83d\\u0041"', str)).toBe('\ufffdA');
    expect(valueOf('"\\ud83d\\ud83d\\ude00"', str)).toBe('\ufffd😀');
    expect(valueOf('"é😀"', str)).toBe('é😀');
    const raw = (...bytes: number[]): unknown => valueOf(Buffer.from([0x22, ...bytes, 0x22]), str);
    expect(raw(0xff, 0x41)).toBe('\ufffdA');
    expect(raw(0xe2, 0x82, 0x78)).toBe('\ufffd\ufffdx');
    expect(raw(0xc0, 0x80)).toBe('\ufffd\ufffd');
    expect(raw(0xed, 0xa0, 0x80)).toBe('\ufffd\ufffd\ufffd');
    expect(raw(0xf4, 0x90, 0x80, 0x80)).toBe('\ufffd\ufffd\ufffd\ufffd');
    expect(raw(0xe2, 0x82, 0xac)).toBe('€');
  });
});

describe('goDecode: properties', () => {
  const fieldKeys = ['name', 'Name', 'NAME', 'listen', 'LISTEN', 'upstream', 'other', 'nam'];
  const stringsOnly: GoType = {
    kind: 'struct',
    name: 'S',
    typeString: 'main.S',
    fields: ['name', 'listen', 'upstream'].map((json) => ({ json, type: str })),
  };

  it('never throws on JSON.stringify of an object and agrees with JSON.parse on string fields', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fieldKeys), fc.jsonValue()), (obj) => {
        const text = JSON.stringify(obj);
        const r = goDecode(text, stringsOnly);
        const expected: Record<string, string> = {};
        let firstError: string | undefined;
        for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) {
          const field = ['name', 'listen', 'upstream'].find((f) => f === k.toLowerCase());
          if (!field || v === null) continue;
          if (typeof v === 'string') expected[field] = wellFormed(v);
          else if (firstError === undefined) {
            const kind = typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'array' : 'object';
            firstError = `json: cannot unmarshal ${kind} into Go struct field S.${field} of type string`;
          }
        }
        expect(r.value).toEqual(expected);
        expect(r.ok ? undefined : r.error).toBe(firstError);
      }),
    );
  });

  it('reads back any string, whether quoted by JSON.stringify or by goQuote', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), (s, t) => {
        expect(valueOf(JSON.stringify(s), str)).toBe(wellFormed(s));
        expect(valueOf(goQuote(s + t), str)).toBe(wellFormed(s + t));
      }),
    );
  });

  it('reads any JSON text without a syntax error, and any bytes without throwing', () => {
    fc.assert(
      fc.property(fc.json(), fc.uint8Array(), (text, bytes) => {
        const r = goDecode(text, proxyType);
        if (!r.ok) expect(r.error).toMatch(/^json: cannot unmarshal /);
        expect(typeof goDecode(bytes, populateType).ok).toBe('boolean');
      }),
    );
  });

  it('round-trips numbers: float64, float32 and int64', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.float({ noNaN: true, noDefaultInfinity: true }), fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), (d, f, i) => {
        expect(valueOf(JSON.stringify(d), { kind: 'float64' })).toBe(Object.is(d, -0) ? 0 : d);
        expect(valueOf(String(f), { kind: 'float32' })).toBe(Object.is(f, -0) ? 0 : f);
        expect(BigInt(valueOf(i.toString(), { kind: 'int64' }) as number | bigint)).toBe(i);
      }),
    );
  });
});
