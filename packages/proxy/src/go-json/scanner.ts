/**
 * JSON syntax as Go's encoding/json scanner (scanner.go) sees it: a byte-at-a-time state machine
 * with Go's error messages, the Decoder's way of cutting one value out of a stream (stream.go
 * readValue), and Go's string-literal unquoting (decode.go unquote) with its U+FFFD rules.
 */

const CONTINUE = 0;
const BEGIN_LITERAL = 1;
const BEGIN_OBJECT = 2;
const OBJECT_KEY = 3;
const OBJECT_VALUE = 4;
const END_OBJECT = 5;
const BEGIN_ARRAY = 6;
const ARRAY_VALUE = 7;
const END_ARRAY = 8;
const SKIP_SPACE = 9;
const END = 10;
const ERROR = 11;

const PARSE_OBJECT_KEY = 0;
const PARSE_OBJECT_VALUE = 1;
const PARSE_ARRAY_VALUE = 2;

/** Go's maxNestingDepth. */
const MAX_NESTING_DEPTH = 10000;

type Step = (s: Scanner, c: number) => number;

class Scanner {
  step: Step = stateBeginValue;
  parseState: number[] = [];
  err: string | null = null;

  error(c: number, context: string): number {
    this.step = stateError;
    this.err = `invalid character ${quoteChar(c)} ${context}`;
    return ERROR;
  }

  push(c: number, state: number, success: number): number {
    this.parseState.push(state);
    return this.parseState.length <= MAX_NESTING_DEPTH ? success : this.error(c, 'exceeded max depth');
  }

  pop(): void {
    this.parseState.pop();
    this.step = this.parseState.length === 0 ? stateEndTop : stateEndValue;
  }
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Moves to state `next`, reporting `op` for the current byte. */
function to(s: Scanner, next: Step, op = CONTINUE): number {
  s.step = next;
  return op;
}

function stateBeginValueOrEmpty(s: Scanner, c: number): number {
  if (isSpace(c)) return SKIP_SPACE;
  if (c === 0x5d) return stateEndValue(s, c);
  return stateBeginValue(s, c);
}

function stateBeginValue(s: Scanner, c: number): number {
  if (isSpace(c)) return SKIP_SPACE;
  const next = BEGIN_STATES.get(c);
  if (next !== undefined) {
    s.step = next;
    if (c === 0x7b) return s.push(c, PARSE_OBJECT_KEY, BEGIN_OBJECT);
    if (c === 0x5b) return s.push(c, PARSE_ARRAY_VALUE, BEGIN_ARRAY);
    return BEGIN_LITERAL;
  }
  if (c >= 0x31 && c <= 0x39) return to(s, state1, BEGIN_LITERAL);
  return s.error(c, 'looking for beginning of value');
}

function stateBeginStringOrEmpty(s: Scanner, c: number): number {
  if (isSpace(c)) return SKIP_SPACE;
  if (c === 0x7d) {
    s.parseState[s.parseState.length - 1] = PARSE_OBJECT_VALUE;
    return stateEndValue(s, c);
  }
  return stateBeginString(s, c);
}

function stateBeginString(s: Scanner, c: number): number {
  if (isSpace(c)) return SKIP_SPACE;
  if (c === 0x22) return to(s, stateInString, BEGIN_LITERAL);
  return s.error(c, 'looking for beginning of object key string');
}

function stateEndValue(s: Scanner, c: number): number {
  const n = s.parseState.length;
  if (n === 0) {
    s.step = stateEndTop;
    return stateEndTop(s, c);
  }
  if (isSpace(c)) return to(s, stateEndValue, SKIP_SPACE);
  switch (s.parseState[n - 1]) {
    case PARSE_OBJECT_KEY:
      if (c === 0x3a) {
        s.parseState[n - 1] = PARSE_OBJECT_VALUE;
        s.step = stateBeginValue;
        return OBJECT_KEY;
      }
      return s.error(c, 'after object key');
    case PARSE_OBJECT_VALUE:
      if (c === 0x2c) {
        s.parseState[n - 1] = PARSE_OBJECT_KEY;
        s.step = stateBeginString;
        return OBJECT_VALUE;
      }
      if (c === 0x7d) {
        s.pop();
        return END_OBJECT;
      }
      return s.error(c, 'after object key:value pair');
    default:
      if (c === 0x2c) return to(s, stateBeginValue, ARRAY_VALUE);
      if (c === 0x5d) {
        s.pop();
        return END_ARRAY;
      }
      return s.error(c, 'after array element');
  }
}

/** After the top-level value: Go records an error for a non-space byte but still reports the end. */
function stateEndTop(s: Scanner, c: number): number {
  if (!isSpace(c)) s.error(c, 'after top-level value');
  return END;
}

function stateInString(s: Scanner, c: number): number {
  if (c === 0x22) return to(s, stateEndValue);
  if (c === 0x5c) return to(s, stateInStringEsc);
  if (c < 0x20) return s.error(c, 'in string literal');
  return CONTINUE;
}

function stateInStringEsc(s: Scanner, c: number): number {
  if ('bfnrt\\/"'.includes(String.fromCharCode(c))) return to(s, stateInString);
  if (c === 0x75) return to(s, hexStep(3));
  return s.error(c, 'in string escape code');
}

/** The four hex digits of \uXXXX (stateInStringEscU, U1, U12, U123). */
function hexStep(left: number): Step {
  return (s, c) => {
    if (!isHex(c)) return s.error(c, 'in \\u hexadecimal character escape');
    s.step = left === 0 ? stateInString : hexStep(left - 1);
    return CONTINUE;
  };
}

function stateNeg(s: Scanner, c: number): number {
  if (c === 0x30) return to(s, state0);
  if (c >= 0x31 && c <= 0x39) return to(s, state1);
  return s.error(c, 'in numeric literal');
}

function state1(s: Scanner, c: number): number {
  if (isDigit(c)) return CONTINUE;
  return state0(s, c);
}

function state0(s: Scanner, c: number): number {
  if (c === 0x2e) return to(s, stateDot);
  if (c === 0x65 || c === 0x45) return to(s, stateE);
  return stateEndValue(s, c);
}

function stateDot(s: Scanner, c: number): number {
  if (isDigit(c)) return to(s, stateDot0);
  return s.error(c, 'after decimal point in numeric literal');
}

function stateDot0(s: Scanner, c: number): number {
  if (isDigit(c)) return CONTINUE;
  if (c === 0x65 || c === 0x45) return to(s, stateE);
  return stateEndValue(s, c);
}

function stateE(s: Scanner, c: number): number {
  if (c === 0x2b || c === 0x2d) return to(s, stateESign);
  return stateESign(s, c);
}

function stateESign(s: Scanner, c: number): number {
  if (isDigit(c)) return to(s, stateE0);
  return s.error(c, 'in exponent of numeric literal');
}

function stateE0(s: Scanner, c: number): number {
  if (isDigit(c)) return CONTINUE;
  return stateEndValue(s, c);
}

/** The rest of `true`, `false` or `null` after its first letter (stateT, stateTr, ... stateNul). */
function literalStep(word: string, at: number): Step {
  return (s, c) => {
    const want = word.charCodeAt(at);
    if (c !== want) return s.error(c, `in literal ${word} (expecting '${word[at]}')`);
    s.step = at + 1 === word.length ? stateEndValue : literalStep(word, at + 1);
    return CONTINUE;
  };
}

function stateError(): number {
  return ERROR;
}

const BEGIN_STATES = new Map<number, Step>([
  [0x7b, stateBeginStringOrEmpty],
  [0x5b, stateBeginValueOrEmpty],
  [0x22, stateInString],
  [0x2d, stateNeg],
  [0x30, state0],
  [0x74, literalStep('true', 1)],
  [0x66, literalStep('false', 1)],
  [0x6e, literalStep('null', 1)],
]);

/** Go's quoteChar: how a byte is shown in "invalid character ..." messages. */
export function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  return `'${quoteRune(c)}'`;
}

/** strconv.Quote of string(rune(c)) for c < 256, without the double quotes. */
function quoteRune(c: number): string {
  if (c === 0x5c) return '\\\\';
  if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa1 && c <= 0xff && c !== 0xad)) return String.fromCharCode(c);
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
  if (named[c] !== undefined) return named[c];
  const hex = c.toString(16).padStart(2, '0');
  return c < 0x20 || c === 0x7f ? `\\x${hex}` : `\\u00${hex}`;
}

export type ReadResult = { ok: true; end: number } | { ok: false; error: string };

/**
 * What `json.NewDecoder(r).Decode` reads before decoding: one value from the start of `b`. On
 * success `end` is where the value stops (bytes after it are left unread, even a non-space byte
 * right after a scalar, which Go only complains about on the next Decode). Otherwise Go's error:
 * the scanner's message, `EOF` for empty or blank input, or `unexpected EOF`.
 */
export function readValue(b: Uint8Array): ReadResult {
  const s = new Scanner();
  for (let i = 0; i < b.length; i++) {
    const op = s.step(s, b[i]);
    if (op === END) return { ok: true, end: i };
    if ((op === END_OBJECT || op === END_ARRAY) && stateEndValue(s, 0x20) === END) return { ok: true, end: i + 1 };
    if (op === ERROR) return { ok: false, error: s.err ?? '' };
  }
  if (s.step(s, 0x20) === END) return { ok: true, end: b.length };
  return { ok: false, error: b.some((c) => !isSpace(c)) ? 'unexpected EOF' : 'EOF' };
}

const ESCAPES: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };

/** Go's getu4: the value of a `\uXXXX` escape at b[i], or -1 if there is none before `end`. */
function getu4(b: Uint8Array, i: number, end: number): number {
  if (i + 6 > end || b[i] !== 0x5c || b[i + 1] !== 0x75) return -1;
  const hex = String.fromCharCode(b[i + 2], b[i + 3], b[i + 4], b[i + 5]);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : -1;
}

/** Go's utf8.DecodeRune: a code point and its length, or U+FFFD and 1 for any invalid byte. */
function decodeRune(b: Uint8Array, i: number, end: number): [number, number] {
  const b0 = b[i];
  let size: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) size = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    size = 3;
    if (b0 === 0xe0) lo = 0xa0;
    if (b0 === 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    size = 4;
    if (b0 === 0xf0) lo = 0x90;
    if (b0 === 0xf4) hi = 0x8f;
  } else return [0xfffd, 1];
  if (i + size > end || b[i + 1] < lo || b[i + 1] > hi) return [0xfffd, 1];
  let cp = b0 & (0xff >> (size + 1));
  for (let k = 1; k < size; k++) {
    if (k > 1 && (b[i + k] & 0xc0) !== 0x80) return [0xfffd, 1];
    cp = (cp << 6) | (b[i + k] & 0x3f);
  }
  return [cp, size];
}

/**
 * Go's unquote of the already-scanned string literal b[start, end) (both quotes included):
 * escapes decoded, surrogate pairs joined, and a lone surrogate or invalid UTF-8 byte → U+FFFD.
 */
export function unquote(b: Uint8Array, start: number, end: number): string {
  const stop = end - 1;
  let out = '';
  let i = start + 1;
  while (i < stop) {
    const c = b[i];
    if (c === 0x5c && b[i + 1] === 0x75) {
      let r = getu4(b, i, stop);
      i += 6;
      if (r >= 0xd800 && r < 0xe000) {
        const r2 = getu4(b, i, stop);
        if (r < 0xdc00 && r2 >= 0xdc00 && r2 < 0xe000) {
          out += String.fromCharCode(r, r2);
          i += 6;
          continue;
        }
        r = 0xfffd;
      }
      out += String.fromCharCode(r);
    } else if (c === 0x5c) {
      out += ESCAPES[b[i + 1]];
      i += 2;
    } else if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
    } else {
      const [cp, size] = decodeRune(b, i, stop);
      out += String.fromCodePoint(cp);
      i += size;
    }
  }
  return out;
}
