/**
 * Shared WebSocket fixtures for the proxy's tests: frames from ws's own encoder, payload and
 * chunking helpers, and real upgrade handshakes. (Not a test file: vitest runs `*.test.ts` only.)
 */
import * as ws from 'ws';

// The real encoder: ws's Sender.frame (not in @types/ws, hence the local type).
interface SenderFrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
  generateMask?: (mask: Buffer) => void;
}
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: SenderFrameOptions): Buffer[] } };

/** One frame as ws encodes it (masked with `maskKey` when given; a final frame unless `fin: false`). */
export function encode(payload: Buffer, opcode: number, opts: { fin?: boolean; maskKey?: Buffer } = {}): Buffer {
  const key = opts.maskKey;
  return Buffer.concat(
    Sender.frame(Buffer.from(payload), {
      fin: opts.fin ?? true,
      opcode,
      mask: key !== undefined,
      readOnly: false,
      rsv1: false,
      generateMask: key ? (m) => key.copy(m) : undefined,
    }),
  );
}

/** `length` deterministic bytes that differ with `seed`. */
export function pattern(length: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

/** Cuts `buf` into chunks whose sizes cycle through `sizes`. */
export function split(buf: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let pos = 0, i = 0; pos < buf.length; i++) {
    const n = sizes[i % sizes.length];
    out.push(buf.subarray(pos, pos + n));
    pos += n;
  }
  return out;
}

/** The extensions line ws offers (the proxy removes it from the upgrade request). */
export const EXT_LINE = 'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n';

/**
 * The upgrade request ws 8.23 sends for `new WebSocket('ws://127.0.0.1:40361' + path)` (captured
 * through a TCP tap); without `extensions`, as it is once the extensions line is removed.
 */
export function wsUpgradeRequest(path: string, extensions: boolean): string {
  return (
    `GET ${path} HTTP/1.1\r\n` +
    'Sec-WebSocket-Version: 13\r\n' +
    'Sec-WebSocket-Key: /jz7GUYuNI0VTFNwF5PNDg==\r\n' +
    'Connection: Upgrade\r\n' +
    'Upgrade: websocket\r\n' +
    (extensions ? EXT_LINE : '') +
    'Host: 127.0.0.1:40361\r\n' +
    '\r\n'
  );
}

/** The 101 response ws 8.23 answers that request with. */
export const WS_RESPONSE =
  'HTTP/1.1 101 Switching Protocols\r\n' +
  'Upgrade: websocket\r\n' +
  'Connection: Upgrade\r\n' +
  'Sec-WebSocket-Accept: EBHy2lgK3Mh2/g52xxkKcgSp4SY=\r\n' +
  '\r\n';
