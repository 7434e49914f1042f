/**
 * json.Marshal's output for the values Toxiproxy marshals: Go's string escaping (HTML-safe), its
 * float formatting (encode.go floatEncoder over strconv's shortest digits), and a small ordered
 * tree type, GoJson, to build bodies from.
 */

/** A value to marshal: a JS number is a float64, `{ $float32 }` a float32, `{ $object }` a struct (ordered keys). */
export type GoJson =
  | null
  | boolean
  | string
  | number
  | bigint
  | { $float32: number }
  | GoJson[]
  | { $object: Array<[string, GoJson]> };

/** json.Marshal of a value built as GoJson: compact, keys in the order given. */
export function goMarshal(v: GoJson): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return goQuote(v);
    case 'number':
      return goFloat64(v);
    case 'bigint':
      return v.toString();
  }
  if (Array.isArray(v)) return `[${v.map(goMarshal).join(',')}]`;
  if ('$float32' in v) return goFloat32(v.$float32);
  return `{${v.$object.map(([k, x]) => `${goQuote(k)}:${goMarshal(x)}`).join(',')}}`;
}

/** A Go map as json.Marshal writes it: keys sorted by their UTF-8 bytes. */
export function goSortedObject(entries: Array<[string, GoJson]>): { $object: Array<[string, GoJson]> } {
  const keyed = entries.map((e) => ({ e, key: Buffer.from(e[0], 'utf8') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return { $object: keyed.map((k) => k.e) };
}

const HEX = '0123456789abcdef';

/**
 * A JSON string as Go 1.23's json.Marshal writes it: `"` and `\` backslashed; \b \f \n \r \t by
 * name; other control characters, `<`, `>` and `&` as \u00XX; U+2028/U+2029 as \u2028/\u2029; a
 * lone surrogate (invalid UTF-8 in Go's terms) as \ufffd. DEL and all else are written as is.
 */
export function goQuote(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26) continue;
      esc = NAMED[c] ?? `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 0x2028 || c === 0x2029) {
      esc = `\\u202${HEX[c & 15]}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c < 0xdc00 && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      esc = '\\ufffd';
    } else continue;
    out += s.slice(start, i) + esc;
    start = i + 1;
  }
  return `${out}${s.slice(start)}"`;
}

const NAMED: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t' };

/** strconv.FormatInt. */
export function goInt(x: number | bigint): string {
  if (typeof x === 'number' && !Number.isInteger(x)) throw new RangeError(`goInt: ${x} is not an integer`);
  return BigInt(x).toString();
}

/** A float64 as json.Marshal writes it ('f' format, or 'e' below 1e-6 and from 1e21 on). */
export function goFloat64(x: number): string {
  if (!Number.isFinite(x)) throw unsupported(x);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const abs = Math.abs(x);
  const { digits, exp } = jsDigits(abs);
  return formatGo(x < 0, digits, exp, abs < 1e-6 || abs >= 1e21);
}

/** The shortest round-trip digits of a positive double (nearest, ties to even), from Number::toString. */
function jsDigits(abs: number): { digits: string; exp: number } {
  const [mantissa, exponent] = String(abs).split('e');
  const [int, frac = ''] = mantissa.split('.');
  const all = int + frac;
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(lead).replace(/0+$/, '');
  return { digits, exp: Number(exponent ?? 0) + int.length - 1 - lead };
}

const F32_SMALL = Math.fround(1e-6);
const F32_LARGE = Math.fround(1e21);

/** A float32 as json.Marshal writes it: the shortest decimal that reads back as the same float32. */
export function goFloat32(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) throw unsupported(f);
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const abs = Math.abs(f);
  const { digits, exp } = shortestFloat32(abs);
  return formatGo(f < 0, digits, exp, abs < F32_SMALL || abs >= F32_LARGE);
}

function unsupported(x: number): Error {
  const shown = Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  return new Error(`json: unsupported value: ${shown}`);
}

/** strconv's %e / %f of shortest digits (d.ddd × 10^exp), then encode.go's e-07 → e-7 cleanup. */
function formatGo(neg: boolean, digits: string, exp: number, useE: boolean): string {
  let s: string;
  if (useE) {
    const mag = Math.abs(exp);
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    s = `${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${mag < 10 ? '0' : ''}${mag}`.replace(/e-0(\d)$/, 'e-$1');
  } else {
    const dp = exp + 1;
    if (dp <= 0) s = `0.${'0'.repeat(-dp)}${digits}`;
    else if (dp >= digits.length) s = digits + '0'.repeat(dp - digits.length);
    else s = `${digits.slice(0, dp)}.${digits.slice(dp)}`;
  }
  return neg ? `-${s}` : s;
}

/** An exact number n × 10^p10 × 2^p2. */
interface Exact {
  n: bigint;
  p10: number;
  p2: number;
}

function cmp(a: Exact, b: Exact): number {
  const m10 = Math.min(a.p10, b.p10);
  const m2 = Math.min(a.p2, b.p2);
  const l = a.n * 10n ** BigInt(a.p10 - m10) * 2n ** BigInt(a.p2 - m2);
  const r = b.n * 10n ** BigInt(b.p10 - m10) * 2n ** BigInt(b.p2 - m2);
  return l < r ? -1 : l > r ? 1 : 0;
}

function doubleExact(x: number): Exact {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const e = (hi >>> 20) & 0x7ff;
  const n = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  return e === 0 ? { n, p10: 0, p2: -1074 } : { n: n | (1n << 52n), p10: 0, p2: e - 1075 };
}

/** Compares a non-negative JSON number literal with a double, exactly: -1, 0 or 1. */
export function compareExact(literal: string, x: number): number {
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/.exec(literal);
  if (!m) throw new Error(`not a number literal: ${literal}`);
  let digits = (m[1] + (m[2] ?? '')).replace(/^0+/, '');
  let p10 = Number(m[3] ?? 0) - (m[2] ?? '').length;
  const zeros = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - zeros);
  p10 += zeros;
  if (digits === '') return x === 0 ? 0 : -1;
  return cmp({ n: BigInt(digits), p10, p2: 0 }, doubleExact(x));
}

function f32Bits(x: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  return view.getUint32(0);
}

function f32FromBits(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits);
  return view.getFloat32(0);
}

/**
 * For a positive double that is not a float32: the float32s just below and above it, and the value
 * to take for the one above when it is +Infinity (2^128, where the next float32 would be).
 */
export function float32Neighbours(abs: number): [lo: number, hi: number, hiValue: number] {
  const f = Math.fround(abs);
  const bits = f32Bits(f);
  const [lo, hi] = f < abs ? [f, f32FromBits(bits + 1)] : [f32FromBits(bits - 1), f];
  return [lo, hi, hi === Infinity ? 2 ** 128 : hi];
}

/**
 * The shortest decimal that rounds back to the positive float32 x (the digits strconv's Ryū gives):
 * the fewest significant digits that land inside x's rounding interval (ends included when x's
 * mantissa is even), and of those the nearest to x (ties to even).
 */
function shortestFloat32(x: number): { digits: string; exp: number } {
  const bits = f32Bits(x);
  const biased = bits >>> 23;
  const frac = bits & 0x7fffff;
  const m = BigInt(biased === 0 ? frac : frac | 0x800000);
  const p2 = (biased === 0 ? -149 : biased - 150) - 2;
  const value: Exact = { n: 4n * m, p10: 0, p2 };
  const upper: Exact = { n: 4n * m + 2n, p10: 0, p2 };
  const lower: Exact = { n: 4n * m - (frac === 0 && biased > 1 ? 1n : 2n), p10: 0, p2 };
  const inclusive = m % 2n === 0n;
  const inside = (c: bigint, k: number): boolean => {
    const a = cmp(lower, { n: c, p10: k, p2: 0 });
    const b = cmp({ n: c, p10: k, p2: 0 }, upper);
    return inclusive ? a <= 0 && b <= 0 : a < 0 && b < 0;
  };
  let k10 = Math.floor(Math.log10(x));
  if (cmp({ n: 1n, p10: k10, p2: 0 }, value) > 0) k10--;
  else if (cmp({ n: 1n, p10: k10 + 1, p2: 0 }, value) <= 0) k10++;
  for (let p = 1; ; p++) {
    const k = k10 - p + 1;
    const num = value.n * 2n ** BigInt(Math.max(p2, 0)) * 10n ** BigInt(Math.max(-k, 0));
    const den = 2n ** BigInt(Math.max(-p2, 0)) * 10n ** BigInt(Math.max(k, 0));
    const q = num / den;
    if (num % den === 0n) return digitsOf(q, k);
    const down = inside(q, k);
    const up = inside(q + 1n, k);
    if (down && up) {
      const side = cmp({ n: 2n * value.n, p10: 0, p2 }, { n: 2n * q + 1n, p10: k, p2: 0 });
      return digitsOf(side < 0 || (side === 0 && q % 2n === 0n) ? q : q + 1n, k);
    }
    if (down) return digitsOf(q, k);
    if (up) return digitsOf(q + 1n, k);
  }
}

function digitsOf(c: bigint, k: number): { digits: string; exp: number } {
  const s = c.toString();
  return { digits: s.replace(/0+$/, ''), exp: k + s.length - 1 };
}
