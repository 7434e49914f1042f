/**
 * Cuts one direction of a proxied connection into WebSocket units (pure: no sockets, no clock).
 *
 * It first sniffs the HTTP upgrade (the request upstream, the 101 response downstream). A
 * connection that is not WebSocket passes through untouched forever. On a WebSocket connection it
 * always tracks frame boundaries (copying at most a 14-byte header, never a payload); while
 * `aligned` it emits one item per whole data message and one per control frame, so message toxics
 * can drop, duplicate or reorder whole messages. Control frames interleaved in a fragmented message
 * are emitted as soon as they are complete, i.e. ahead of the message they were interleaved in.
 * Apart from that and the removed `Sec-WebSocket-Extensions` line, the concatenated output is
 * exactly the input.
 */
import type { Direction } from '../toxics/toxic.js';
import {
  DEFAULT_MAX_FRAME_BYTES,
  MAX_HEADER_BYTES,
  checkFirstByte,
  isControlOpcode,
  parseFrameHeader,
  type FrameHeader,
} from './frame-parser.js';
import { sniffRequest, sniffResponse } from './handshake.js';
import { messageItem, startMessage, type MessageState } from './message-unit.js';
import type { WsUnit } from './units.js';

export interface FramerItem {
  data: Buffer;
  unit?: WsUnit;
}

export interface MessageFramerOptions {
  /** Largest accepted frame, header included (default 64 MiB); a larger one is a framing error. */
  maxFrameBytes?: number;
  /** A message collected for alignment beyond this size passes on unaligned (default 64 MiB). */
  maxMessageBytes?: number;
  /** Largest message payload parsed as JSON to find its `id` (default 1 MiB). */
  maxIdBytes?: number;
}

export type FramerMode = 'sniffing' | 'websocket' | 'passthrough' | 'raw';

const MiB = 1024 * 1024;
const EMPTY = Buffer.alloc(0);

export class MessageFramer {
  private readonly maxFrameBytes: number;
  private readonly maxMessageBytes: number;
  private readonly maxIdBytes: number;
  private aligned = false;
  private currentMode: FramerMode = 'sniffing';
  private sniffBuf: Buffer = EMPTY;
  private failure: string | undefined;

  // Frame tracking: a header being read (copied into `header`), then a payload being skipped.
  private readonly header = Buffer.alloc(MAX_HEADER_BYTES);
  private headerBytes = 0;
  private frame: FrameHeader | undefined;
  private remaining = 0;
  /** Whether the current frame's bytes are collected (else passed as they arrive). */
  private collect = false;
  private frameParts: Buffer[] = [];
  private msg: MessageState | undefined;
  /** Bytes released from collection by `setAligned(false)`, emitted first by the next call. */
  private released: Buffer[] = [];

  // Per-push output: items, plus the run of chunk bytes passing unaligned.
  private out: FramerItem[] = [];
  private chunk: Buffer = EMPTY;
  private runStart = -1;
  private runEnd = -1;

  constructor(
    readonly direction: Direction,
    opts: MessageFramerOptions = {},
  ) {
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.maxMessageBytes = opts.maxMessageBytes ?? 64 * MiB;
    this.maxIdBytes = opts.maxIdBytes ?? MiB;
  }

  get mode(): FramerMode {
    return this.currentMode;
  }

  /** Not a WebSocket connection: every byte passes unchanged from now on (the caller may drop the framer). */
  get passthrough(): boolean {
    return this.currentMode === 'passthrough';
  }

  /** The framing error that switched the framer to raw, if any. */
  get error(): string | undefined {
    return this.failure;
  }

  /**
   * Turns message alignment on or off. On: starts at the next message boundary (the message in
   * progress keeps passing unaligned). Off: whatever was being collected is released as plain
   * bytes at the start of the next `push` or `flush` (a partial message is of no use to a receiver
   * until its remaining bytes arrive anyway).
   */
  setAligned(on: boolean): void {
    this.aligned = on;
    if (!on) this.released.push(...this.uncollect());
  }

  push(chunk: Buffer, _arrivalMs: number): FramerItem[] {
    this.out = [];
    this.emitReleased();
    if (this.currentMode === 'sniffing') chunk = this.sniff(chunk);
    if (chunk.length > 0) {
      if (this.currentMode === 'websocket') this.track(chunk);
      else this.out.push(this.currentMode === 'raw' ? { data: chunk, unit: { kind: 'raw' } } : { data: chunk });
    }
    return this.takeOut();
  }

  /** Releases everything buffered (the connection ended): partial handshake or partial units. */
  flush(): FramerItem[] {
    this.out = [];
    this.emitReleased();
    if (this.currentMode === 'sniffing' && this.sniffBuf.length > 0) {
      this.out.push({ data: this.sniffBuf });
      this.sniffBuf = EMPTY;
    }
    const parts = this.uncollect();
    if (parts.length > 0) this.out.push({ data: Buffer.concat(parts), unit: { kind: 'raw' } });
    return this.takeOut();
  }

  private takeOut(): FramerItem[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private emitReleased(): void {
    if (this.released.length === 0) return;
    this.out.push({ data: Buffer.concat(this.released) });
    this.released = [];
  }

  /** Stops collecting the message/frame in progress; returns the bytes collected so far. */
  private uncollect(): Buffer[] {
    const parts: Buffer[] = [];
    if (this.msg?.aligned) {
      parts.push(...this.msg.parts);
      this.msg.aligned = false;
      this.msg.parts = [];
      this.msg.headers = [];
    }
    if (this.collect) {
      parts.push(...this.frameParts);
      this.frameParts = [];
      this.collect = false;
    }
    return parts;
  }

  /** Feeds the handshake sniffer; returns the bytes left for the next mode. */
  private sniff(chunk: Buffer): Buffer {
    const buf = this.sniffBuf.length === 0 ? chunk : Buffer.concat([this.sniffBuf, chunk]);
    const result = this.direction === 'upstream' ? sniffRequest(buf) : sniffResponse(buf);
    if (result.state === 'need-more') {
      this.sniffBuf = buf;
      return EMPTY;
    }
    this.sniffBuf = EMPTY;
    if (result.state === 'not-websocket') {
      this.currentMode = 'passthrough';
      return buf;
    }
    this.currentMode = 'websocket';
    this.out.push({ data: result.headerBytes, unit: { kind: 'handshake' } });
    return result.rest;
  }

  private track(chunk: Buffer): void {
    this.chunk = chunk;
    this.runStart = -1;
    let pos = 0;
    while (pos < chunk.length) {
      pos = this.frame ? this.readPayload(pos) : this.readHeader(pos);
      if (pos < 0) break;
    }
    this.endRun();
    this.chunk = EMPTY;
  }

  /** Returns the next position, or -1 when the stream turned raw. */
  private readHeader(pos: number): number {
    const chunk = this.chunk;
    if (this.headerBytes === 0) {
      const error = checkFirstByte(chunk[pos]) ?? this.startFrame(chunk[pos] & 0x0f);
      if (error) return this.fail(error.error, pos);
    }
    const n = Math.min(MAX_HEADER_BYTES - this.headerBytes, chunk.length - pos);
    chunk.copy(this.header, this.headerBytes, pos, pos + n);
    const parsed = parseFrameHeader(this.header.subarray(0, this.headerBytes + n), this.maxFrameBytes);
    if (parsed !== null && 'error' in parsed) return this.fail(parsed.error, pos);
    const used = parsed === null ? n : parsed.headerLength - this.headerBytes;
    this.take(pos, pos + used);
    if (parsed === null) {
      this.headerBytes += n;
    } else {
      this.headerBytes = 0;
      this.frame = parsed;
      this.remaining = parsed.payloadLength;
      if (this.remaining === 0) this.endFrame();
    }
    return pos + used;
  }

  private readPayload(pos: number): number {
    const n = Math.min(this.remaining, this.chunk.length - pos);
    this.take(pos, pos + n);
    this.remaining -= n;
    if (this.remaining === 0) this.endFrame();
    return pos + n;
  }

  /** Decides, from the opcode, where the new frame's bytes go. */
  private startFrame(opcode: number): { error: string } | undefined {
    const msg = this.msg;
    if (isControlOpcode(opcode)) {
      this.collect = msg ? msg.aligned : this.aligned;
    } else if (opcode === 0) {
      if (!msg) return { error: 'continuation frame without a message in progress' };
      this.collect = msg.aligned;
    } else {
      if (msg) return { error: `data frame (opcode 0x${opcode.toString(16)}) inside a fragmented message` };
      this.msg = startMessage(opcode as 1 | 2, this.aligned);
      this.collect = this.aligned;
    }
    return undefined;
  }

  /** The bytes [from, to) of the chunk belong to the current frame. */
  private take(from: number, to: number): void {
    if (from === to) return;
    if (!this.collect) {
      if (this.runStart < 0) this.runStart = from;
      this.runEnd = to;
      return;
    }
    this.endRun();
    this.frameParts.push(this.chunk.subarray(from, to));
    const msg = this.msg;
    if (msg?.aligned && (msg.collectedBytes += to - from) > this.maxMessageBytes) {
      const parts = this.uncollect();
      this.out.push({ data: Buffer.concat(parts) });
    }
  }

  private endRun(): void {
    if (this.runStart < 0) return;
    this.out.push({ data: this.chunk.subarray(this.runStart, this.runEnd) });
    this.runStart = -1;
  }

  private endFrame(): void {
    const frame = this.frame as FrameHeader;
    this.frame = undefined;
    const parts = this.frameParts;
    this.frameParts = [];
    const collected = this.collect;
    this.collect = false;
    if (isControlOpcode(frame.opcode)) {
      if (collected) this.out.push({ data: Buffer.concat(parts), unit: { kind: 'control', opcode: frame.opcode as 8 | 9 | 10 } });
      return;
    }
    const msg = this.msg as MessageState;
    msg.frames++;
    msg.payloadSize += frame.payloadLength;
    if (collected) {
      msg.parts.push(...parts);
      msg.headers.push(frame);
    }
    if (!frame.fin) return;
    this.msg = undefined;
    if (msg.aligned) this.out.push(messageItem(msg, this.maxIdBytes));
  }

  /** A framing error at `pos`: everything buffered and every later byte passes on as raw. */
  private fail(error: string, pos: number): number {
    this.failure = error;
    this.currentMode = 'raw';
    this.endRun();
    const parts = this.uncollect();
    parts.push(this.chunk.subarray(pos));
    this.out.push({ data: Buffer.concat(parts), unit: { kind: 'raw' } });
    this.msg = undefined;
    this.frame = undefined;
    return -1;
  }
}
