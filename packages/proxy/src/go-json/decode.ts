/**
 * `json.NewDecoder(body).Decode(&v)` of Go 1.23's encoding/json for the GoType targets Toxiproxy
 * uses: one value is read (syntax errors first), then decoded into the target, where a mismatch
 * records the first UnmarshalTypeError and decoding carries on with the rest of the value.
 */
import { goTypeString, type GoField, type GoType } from './go-type.js';
import { isSpace, readValue, unquote } from './scanner.js';
import { compareExact, float32Neighbours } from './encode.js';

export type GoDecodeResult = { ok: true; value: unknown } | { ok: false; error: string; value: unknown };

/** The innermost struct field being decoded (Go's errorContext): struct Name() and the JSON path. */
interface FieldContext {
  struct: string;
  path: string[];
}

interface State {
  b: Uint8Array;
  pos: number;
  err: string | null;
}

/**
 * Decodes one JSON value from the start of `input` into `type`, like Go's Decoder.Decode. With
 * `into`, decoding starts from (a copy of) that value, so fields the JSON does not set keep their
 * value. Structs come back as plain objects keyed by JSON field name holding only the fields that
 * are set; a nil pointer is an absent key; int64/int come back as bigint beyond 2^53. On a type
 * error `value` holds what Go would have decoded anyway.
 */
export function goDecode(input: string | Uint8Array, type: GoType, into?: unknown): GoDecodeResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const read = readValue(bytes);
  if (!read.ok) return { ok: false, error: read.error, value: undefined };
  const state: State = { b: bytes.subarray(0, read.end), pos: 0, err: null };
  const start = into === undefined ? zeroValue(type) : clone(into);
  const value = decodeTop(state, type, start);
  return state.err === null ? { ok: true, value } : { ok: false, error: state.err, value };
}

/** The top level: the target sits behind the pointer given to Decode, so null leaves it alone. */
function decodeTop(d: State, t: GoType, cur: unknown): unknown {
  skipSpace(d);
  if (d.b[d.pos] === 0x6e && t.kind !== 'ptr') {
    d.pos += 4;
    return t.kind === 'slice' ? [] : cur;
  }
  return decodeValue(d, t, cur, null);
}

function decodeValue(d: State, t: GoType, cur: unknown, ctx: FieldContext | null): unknown {
  skipSpace(d);
  const c = d.b[d.pos];
  if (t.kind === 'ptr') {
    if (c === 0x6e) {
      d.pos += 4;
      return undefined;
    }
    return decodeValue(d, t.elem, cur === undefined ? zeroValue(t.elem) : cur, ctx);
  }
  switch (c) {
    case 0x7b:
      if (t.kind === 'struct') return decodeStruct(d, t, cur, ctx);
      return mismatch(d, 'object', t, cur, ctx);
    case 0x5b:
      if (t.kind === 'slice') return decodeSlice(d, t, cur, ctx);
      return mismatch(d, 'array', t, cur, ctx);
    case 0x22: {
      const start = d.pos;
      skipValue(d);
      if (t.kind === 'string') return unquote(d.b, start, d.pos);
      typeError(d, 'string', t, ctx);
      return cur;
    }
    case 0x74:
    case 0x66:
      d.pos += c === 0x74 ? 4 : 5;
      if (t.kind === 'bool') return c === 0x74;
      typeError(d, 'bool', t, ctx);
      return cur;
    case 0x6e:
      d.pos += 4;
      return t.kind === 'slice' ? [] : cur;
    default:
      return decodeNumber(d, t, cur, ctx);
  }
}

function mismatch(d: State, what: string, t: GoType, cur: unknown, ctx: FieldContext | null): unknown {
  typeError(d, what, t, ctx);
  skipValue(d);
  return cur;
}

function decodeStruct(d: State, t: GoType & { kind: 'struct' }, cur: unknown, ctx: FieldContext | null): unknown {
  const obj: Record<string, unknown> = isRecord(cur) ? { ...cur } : {};
  d.pos++;
  skipSpace(d);
  if (d.b[d.pos] === 0x7d) {
    d.pos++;
    return obj;
  }
  for (;;) {
    skipSpace(d);
    const start = d.pos;
    skipValue(d);
    const key = unquote(d.b, start, d.pos);
    skipSpace(d);
    d.pos++; // ':'
    const field = findField(t.fields, key);
    if (field) {
      const sub: FieldContext = { struct: t.name, path: [...(ctx?.path ?? []), field.json] };
      const v = decodeValue(d, field.type, obj[field.json], sub);
      if (v === undefined) delete obj[field.json];
      else obj[field.json] = v;
    } else {
      skipValue(d);
    }
    skipSpace(d);
    if (d.b[d.pos++] === 0x7d) return obj;
  }
}

function decodeSlice(d: State, t: GoType & { kind: 'slice' }, cur: unknown, ctx: FieldContext | null): unknown[] {
  const prev = Array.isArray(cur) ? (cur as unknown[]) : [];
  const out: unknown[] = [];
  d.pos++;
  skipSpace(d);
  if (d.b[d.pos] === 0x5d) {
    d.pos++;
    return out;
  }
  for (;;) {
    out.push(decodeValue(d, t.elem, out.length < prev.length ? prev[out.length] : zeroValue(t.elem), ctx));
    skipSpace(d);
    if (d.b[d.pos++] === 0x5d) return out;
  }
}

function decodeNumber(d: State, t: GoType, cur: unknown, ctx: FieldContext | null): unknown {
  const start = d.pos;
  while (d.pos < d.b.length && /[-+.eE0-9]/.test(String.fromCharCode(d.b[d.pos]))) d.pos++;
  const lit = Buffer.from(d.b.subarray(start, d.pos)).toString('latin1');
  let v: number | bigint | null;
  switch (t.kind) {
    case 'int64':
    case 'int':
      v = parseInt64(lit);
      break;
    case 'float32':
      v = parseFloat32(lit);
      break;
    case 'float64':
      v = Number(lit);
      break;
    default:
      typeError(d, 'number', t, ctx);
      return cur;
  }
  if (v === null || (typeof v === 'number' && !Number.isFinite(v))) {
    typeError(d, `number ${lit}`, t, ctx);
    return cur;
  }
  return v;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(lit, 10, 64): null unless an integer literal in range. */
export function parseInt64(lit: string): number | bigint | null {
  if (!/^-?[0-9]+$/.test(lit)) return null;
  const n = BigInt(lit);
  if (n < INT64_MIN || n > INT64_MAX) return null;
  const asNumber = Number(n);
  return Number.isSafeInteger(asNumber) ? asNumber : n;
}

/**
 * strconv.ParseFloat(lit, 32): the float32 nearest the decimal literal (±Infinity on overflow).
 * Rounding through a double first goes wrong only when the double lands exactly halfway between
 * two float32s; then the literal itself is compared with that midpoint.
 */
export function parseFloat32(lit: string): number {
  const d = Number(lit);
  const f = Math.fround(d);
  if (f === d || Number.isNaN(d)) return f;
  const abs = Math.abs(d);
  const [lo, hi, hiValue] = float32Neighbours(abs);
  const mid = (lo + hiValue) / 2;
  if (abs !== mid) return f;
  const cmp = compareExact(lit.replace(/^-/, ''), mid);
  if (cmp === 0) return f;
  const r = cmp > 0 ? hi : lo;
  return d < 0 ? -r : r;
}

/** Go's field lookup: an exact match, else the first field equal under Go's case folding. */
function findField(fields: GoField[], key: string): GoField | undefined {
  const exact = fields.find((f) => f.json === key);
  if (exact) return exact;
  const folded = foldName(key);
  return fields.find((f) => foldName(f.json) === folded);
}

/**
 * encoding/json's foldName: ASCII letters upper-cased; other runes to the smallest rune of their
 * case-fold orbit, which sends the Kelvin sign to 'K' and the long s to 'S'. (Other non-ASCII
 * runes use an upper/lower-case approximation of unicode.SimpleFold.)
 */
function foldName(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) out += ch.toUpperCase();
    else if (cp === 0x212a) out += 'K';
    else if (cp === 0x17f) out += 'S';
    else {
      const forms = [ch, ch.toLowerCase(), ch.toUpperCase()].filter((x) => [...x].length === 1);
      out += forms.reduce((a, x) => ((x.codePointAt(0) ?? 0) < (a.codePointAt(0) ?? 0) ? x : a));
    }
  }
  return out;
}

function typeError(d: State, what: string, t: GoType, ctx: FieldContext | null): void {
  if (d.err !== null) return;
  const type = goTypeString(t);
  d.err = ctx
    ? `json: cannot unmarshal ${what} into Go struct field ${ctx.struct}.${ctx.path.join('.')} of type ${type}`
    : `json: cannot unmarshal ${what} into Go value of type ${type}`;
}

function zeroValue(t: GoType): unknown {
  switch (t.kind) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'ptr':
      return undefined;
    case 'struct':
      return {};
    case 'slice':
      return [];
    default:
      return 0;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}

function skipSpace(d: State): void {
  while (d.pos < d.b.length && isSpace(d.b[d.pos])) d.pos++;
}

/** Steps over one (already validated) value without recursion, however deeply it nests. */
function skipValue(d: State): void {
  let depth = 0;
  do {
    skipSpace(d);
    const c = d.b[d.pos];
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    if (c === 0x22) {
      d.pos++;
      while (d.b[d.pos] !== 0x22) d.pos += d.b[d.pos] === 0x5c ? 2 : 1;
      d.pos++;
    } else if (c === 0x7b || c === 0x5b || c === 0x7d || c === 0x5d || c === 0x2c || c === 0x3a) {
      d.pos++;
    } else {
      while (d.pos < d.b.length && !isSpace(d.b[d.pos]) && !',:]}'.includes(String.fromCharCode(d.b[d.pos]))) d.pos++;
    }
  } while (depth > 0);
}
