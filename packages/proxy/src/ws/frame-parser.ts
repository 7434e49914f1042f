/**
 * A pure, incremental RFC 6455 frame parser.
 *
 * It is fed raw bytes in chunks of any size and hands back whole frames with their exact raw bytes
 * (header + payload, never re-encoded, so masking is preserved). Protocol errors come back as a
 * one-line string instead of an exception, and are sticky: garbage in a stream cannot be re-synced.
 */

export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** The longest possible frame header: 2 + 8 (64-bit length) + 4 (mask key). */
export const MAX_HEADER_BYTES = 14;

export interface FrameHeader {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  maskKey?: Buffer;
  payloadLength: number;
  headerLength: number;
}

export interface ParsedFrame extends FrameHeader {
  /** The exact raw bytes of the whole frame: header then payload. */
  bytes: Buffer;
}

export interface FrameError {
  error: string;
}

export interface FrameParserOptions {
  /** Largest accepted frame, header included (default 64 MiB). */
  maxFrameBytes?: number;
}

export function isControlOpcode(opcode: number): boolean {
  return opcode >= 8;
}

function hex(opcode: number): string {
  return `0x${opcode.toString(16)}`;
}

/** Checks that can be made from the first byte alone. */
export function checkFirstByte(b0: number): FrameError | undefined {
  const opcode = b0 & 0x0f;
  if ((opcode >= 3 && opcode <= 7) || opcode >= 11) return { error: `reserved opcode ${hex(opcode)}` };
  if (isControlOpcode(opcode) && (b0 & 0x80) === 0) {
    return { error: `fragmented control frame (opcode ${hex(opcode)}, FIN not set)` };
  }
  return undefined;
}

/**
 * Parses a frame header from the start of `buf`, which may hold only part of it.
 * Returns null when more bytes are needed. Errors are reported as early as the bytes allow.
 */
export function parseFrameHeader(
  buf: Buffer,
  maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES,
): FrameHeader | FrameError | null {
  if (buf.length < 1) return null;
  const b0 = buf[0];
  const firstError = checkFirstByte(b0);
  if (firstError) return firstError;
  if (buf.length < 2) return null;
  const opcode = b0 & 0x0f;
  const b1 = buf[1];
  const masked = (b1 & 0x80) !== 0;
  const len7 = b1 & 0x7f;
  if (isControlOpcode(opcode) && len7 > 125) {
    return { error: `control frame (opcode ${hex(opcode)}) with a payload length over 125` };
  }
  let offset = 2;
  let payloadLength = len7;
  if (len7 === 126) {
    if (buf.length < 4) return null;
    payloadLength = buf.readUInt16BE(2);
    offset = 4;
  } else if (len7 === 127) {
    if (buf.length > 2 && (buf[2] & 0x80) !== 0) {
      return { error: '64-bit payload length with the most significant bit set' };
    }
    if (buf.length < 10) return null;
    const high = buf.readUInt32BE(2);
    payloadLength = high * 0x1_0000_0000 + buf.readUInt32BE(6);
    if (high >= 0x20_0000) return { error: `frame payload length ${payloadLength} is beyond 2^53` };
    offset = 10;
  }
  const headerLength = offset + (masked ? 4 : 0);
  if (headerLength + payloadLength > maxFrameBytes) {
    return { error: `frame of ${headerLength + payloadLength} bytes exceeds maxFrameBytes ${maxFrameBytes}` };
  }
  if (buf.length < headerLength) return null;
  const header: FrameHeader = {
    fin: (b0 & 0x80) !== 0,
    rsv1: (b0 & 0x40) !== 0,
    rsv2: (b0 & 0x20) !== 0,
    rsv3: (b0 & 0x10) !== 0,
    opcode,
    masked,
    payloadLength,
    headerLength,
  };
  if (masked) header.maskKey = Buffer.from(buf.subarray(offset, offset + 4));
  return header;
}

/** XORs `payload` with a 4-byte mask key into a new buffer. */
export function applyMask(payload: Buffer, maskKey: Buffer): Buffer {
  const out = Buffer.allocUnsafe(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = payload[i] ^ maskKey[i & 3];
  return out;
}

/** The frame's payload, unmasked. For an unmasked frame it shares memory with `frame.bytes`. */
export function unmaskPayload(frame: Pick<ParsedFrame, 'bytes' | 'headerLength' | 'maskKey'>): Buffer {
  const payload = frame.bytes.subarray(frame.headerLength);
  return frame.maskKey ? applyMask(payload, frame.maskKey) : payload;
}

/** The unmasked, concatenated payloads of consecutive frames whose raw bytes are `bytes`. */
export function unmaskFrames(bytes: Buffer, headers: FrameHeader[]): Buffer {
  const payloads: Buffer[] = [];
  let offset = 0;
  for (const h of headers) {
    const frame = bytes.subarray(offset, offset + h.headerLength + h.payloadLength);
    payloads.push(unmaskPayload({ bytes: frame, headerLength: h.headerLength, maskKey: h.maskKey }));
    offset += frame.length;
  }
  return payloads.length === 1 ? payloads[0] : Buffer.concat(payloads);
}

export class FrameParser {
  private readonly maxFrameBytes: number;
  /** Pending chunks from index `head` on (a queue without O(n) shifts). */
  private chunks: Buffer[] = [];
  private head = 0;
  private size = 0;
  private failure: FrameError | undefined;

  constructor(opts: FrameParserOptions = {}) {
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes received and not yet returned in a frame. */
  get bufferedBytes(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The next whole frame, null when more bytes are needed, or the (sticky) protocol error. */
  next(): ParsedFrame | FrameError | null {
    if (this.failure) return this.failure;
    if (this.size === 0) return null;
    const header = parseFrameHeader(this.peek(Math.min(MAX_HEADER_BYTES, this.size)), this.maxFrameBytes);
    if (header === null) return null;
    if ('error' in header) {
      this.failure = header;
      return header;
    }
    const total = header.headerLength + header.payloadLength;
    if (this.size < total) return null;
    return { ...header, bytes: this.take(total) };
  }

  /** Removes and returns every buffered byte (e.g. to pass them on raw after an error). */
  drain(): Buffer {
    return this.take(this.size);
  }

  private peek(n: number): Buffer {
    const first = this.chunks[this.head];
    if (first.length >= n) return first.subarray(0, n);
    const parts: Buffer[] = [];
    let got = 0;
    for (let i = this.head; got < n; i++) {
      parts.push(this.chunks[i]);
      got += this.chunks[i].length;
    }
    return Buffer.concat(parts, got).subarray(0, n);
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[this.head];
    if (first.length >= n) {
      this.consume(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const c = this.chunks[this.head];
      const k = Math.min(c.length, n - got);
      c.copy(out, got, 0, k);
      got += k;
      this.consume(k);
    }
    return out;
  }

  private consume(n: number): void {
    const first = this.chunks[this.head];
    if (n === first.length) this.head++;
    else this.chunks[this.head] = first.subarray(n);
    this.size -= n;
    if (this.size === 0) {
      this.chunks = [];
      this.head = 0;
    }
  }
}
