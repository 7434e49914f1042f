/**
 * Pure sniffers for the HTTP/1.1 WebSocket upgrade (RFC 6455 §4), one per direction.
 *
 * Given the bytes seen so far on a fresh connection they say whether more are needed, whether this
 * is not a WebSocket connection (then the proxy stops looking), or where the handshake ends.
 * They answer `not-websocket` as early as the bytes allow (the first bytes cannot start `GET ` or
 * `HTTP/1.1 101`), so a protocol where the server speaks first is never held back.
 */

/** Longest header block we wait for; beyond it the connection is treated as not WebSocket. */
export const MAX_HANDSHAKE_BYTES = 16 * 1024;

export type SniffResult =
  | { state: 'need-more' }
  | { state: 'not-websocket' }
  | { state: 'websocket'; headerBytes: Buffer; rest: Buffer };

interface HeaderLine {
  /** Byte offsets of the line, terminator included. */
  start: number;
  end: number;
  text: string;
}

interface HeaderBlock {
  startLine: string;
  lines: HeaderLine[];
  /** Offset just past the empty line that ends the block. */
  end: number;
}

const REQUEST_PREFIX = Buffer.from('GET ', 'latin1');
const RESPONSE_PREFIX = Buffer.from('HTTP/1.1 101', 'latin1');
const NOT_WEBSOCKET: SniffResult = { state: 'not-websocket' };
const NEED_MORE: SniffResult = { state: 'need-more' };

function startsLike(buf: Buffer, prefix: Buffer): boolean {
  const n = Math.min(buf.length, prefix.length);
  return buf.subarray(0, n).equals(prefix.subarray(0, n));
}

/** Splits the header block into lines (CRLF, or a bare LF as lenient parsers accept), or null. */
function readHeaderBlock(buf: Buffer): HeaderBlock | null {
  const limit = Math.min(buf.length, MAX_HANDSHAKE_BYTES);
  const lines: HeaderLine[] = [];
  let start = 0;
  while (start < limit) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0 || nl >= limit) return null;
    const textEnd = nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
    const text = buf.toString('latin1', start, textEnd);
    if (text === '') {
      if (lines.length === 0) return null;
      const [first, ...rest] = lines;
      return { startLine: first.text, lines: rest, end: nl + 1 };
    }
    lines.push({ start, end: nl + 1, text });
    start = nl + 1;
  }
  return null;
}

function isContinuation(line: HeaderLine): boolean {
  return line.text.startsWith(' ') || line.text.startsWith('\t');
}

function headerName(line: HeaderLine): string | undefined {
  if (isContinuation(line)) return undefined;
  const colon = line.text.indexOf(':');
  return colon > 0 ? line.text.slice(0, colon).trim().toLowerCase() : undefined;
}

/** Comma-separated tokens of every header with that name, lower-cased. */
function headerTokens(lines: HeaderLine[], name: string): string[] {
  const tokens: string[] = [];
  for (const line of lines) {
    if (headerName(line) !== name) continue;
    const value = line.text.slice(line.text.indexOf(':') + 1);
    for (const t of value.split(',')) tokens.push(t.trim().toLowerCase());
  }
  return tokens;
}

function isUpgradeRequestLine(line: string): boolean {
  const parts = line.split(' ');
  return parts.length === 3 && parts[0] === 'GET' && parts[1] !== '' && parts[2] === 'HTTP/1.1';
}

function undecided(buf: Buffer): SniffResult {
  return buf.length >= MAX_HANDSHAKE_BYTES ? NOT_WEBSOCKET : NEED_MORE;
}

/**
 * Client→server. A WebSocket upgrade is `GET <target> HTTP/1.1` with `Upgrade: websocket` and a
 * `Connection` header listing `upgrade`. `headerBytes` is the request byte-for-byte except that
 * every `Sec-WebSocket-Extensions` line is removed, so permessage-deflate is never negotiated and
 * messages stay independent (a message toxic may drop, duplicate or reorder them).
 */
export function sniffRequest(buf: Buffer): SniffResult {
  if (!startsLike(buf, REQUEST_PREFIX)) return NOT_WEBSOCKET;
  // Decide on the request line alone when it is complete, so that other protocols that happen to
  // start with `GET ` (a Redis inline command) are never held back waiting for a blank line.
  const firstNl = buf.indexOf(0x0a);
  if (firstNl >= 0 && !isUpgradeRequestLine(buf.toString('latin1', 0, firstNl).replace(/\r$/, ''))) return NOT_WEBSOCKET;
  const block = readHeaderBlock(buf);
  if (!block) return undecided(buf);
  if (!isUpgradeRequestLine(block.startLine)) return NOT_WEBSOCKET;
  if (!headerTokens(block.lines, 'upgrade').includes('websocket')) return NOT_WEBSOCKET;
  if (!headerTokens(block.lines, 'connection').includes('upgrade')) return NOT_WEBSOCKET;

  const kept: Buffer[] = [];
  let keepFrom = 0;
  let removing = false;
  for (const line of block.lines) {
    const remove: boolean = headerName(line) === 'sec-websocket-extensions' || (removing && isContinuation(line));
    if (remove && !removing) kept.push(buf.subarray(keepFrom, line.start));
    if (!remove && removing) keepFrom = line.start;
    removing = remove;
  }
  if (removing) keepFrom = block.lines[block.lines.length - 1].end;
  kept.push(buf.subarray(keepFrom, block.end));
  const headerBytes = kept.length === 1 ? kept[0] : Buffer.concat(kept);
  return { state: 'websocket', headerBytes, rest: buf.subarray(block.end) };
}

/** Server→client. The upgrade succeeded when the status line is `HTTP/1.1 101`; bytes unchanged. */
export function sniffResponse(buf: Buffer): SniffResult {
  if (!startsLike(buf, RESPONSE_PREFIX)) return NOT_WEBSOCKET;
  if (buf.length > RESPONSE_PREFIX.length) {
    const after = buf[RESPONSE_PREFIX.length];
    if (after !== 0x20 && after !== 0x0d && after !== 0x0a) return NOT_WEBSOCKET;
  }
  const block = readHeaderBlock(buf);
  if (!block) return undecided(buf);
  return { state: 'websocket', headerBytes: buf.subarray(0, block.end), rest: buf.subarray(block.end) };
}
