/**
 * Seeded WebSocket connections for fuzzing a proxied link: a handshake (good, forged Origin,
 * malformed, oversized, split), then frames (good, fragmented, malformed, oversized, declared far
 * larger than sent) written in random pieces, and an ending (FIN, abort, RST). Pure: a function
 * of its Rng. Frames are built by hand, so nothing is too odd to send.
 */
import type { Rng } from '@faultline/random';

export interface WsCase {
  label: string;
  /** Bytes to write, in these pieces, one turn apart. */
  pieces: Buffer[];
  ending: 'end' | 'destroy' | 'reset';
  /** Which fuzzed proxy: plain, message toxics, byte toxics. */
  via: 'plain' | 'messages' | 'bytes';
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)];
const chance = (rng: Rng, p: number): boolean => rng.next() < p;

/** `n` seeded bytes: random up to 4 KiB, then that block repeated (cheap for megabytes). */
function bytes(rng: Rng, n: number): Buffer {
  const block = Buffer.allocUnsafe(Math.min(n, 4096));
  for (let i = 0; i < block.length; i++) block[i] = rng.int(256);
  if (n <= block.length) return block;
  const b = Buffer.allocUnsafe(n);
  for (let at = 0; at < n; at += block.length) block.copy(b, at);
  return b;
}

export interface FrameSpec {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  mask?: boolean;
  payload: Buffer;
  /** Declared payload length, when it is to lie about the payload. */
  declared?: bigint;
}

export function frame(spec: FrameSpec, rng: Rng): Buffer {
  const len = spec.declared ?? BigInt(spec.payload.length);
  const first = ((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f);
  const maskBit = (spec.mask ?? true) ? 0x80 : 0;
  let head: Buffer;
  if (len < 126n) head = Buffer.from([first, maskBit | Number(len)]);
  else if (len < 65536n) {
    head = Buffer.from([first, maskBit | 126, 0, 0]);
    head.writeUInt16BE(Number(len), 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = first;
    head[1] = maskBit | 127;
    head.writeBigUInt64BE(BigInt.asUintN(64, len), 2);
  }
  if (!(spec.mask ?? true)) return Buffer.concat([head, spec.payload]);
  const key = bytes(rng, 4);
  const masked = Buffer.from(spec.payload);
  for (let i = 0; i < masked.length; i++) masked[i] ^= key[i & 3];
  return Buffer.concat([head, key, masked]);
}

function handshake(rng: Rng): { label: string; bytes: Buffer } {
  const key = bytes(rng, 16).toString('base64');
  const lines = ['GET / HTTP/1.1', 'Host: 127.0.0.1', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13'];
  const r = rng.next();
  let label = 'handshake';
  if (r < 0.1) {
    lines.push(`Origin: ${pick(rng, ['http://evil.example', 'null', 'https://attacker.test:8443'])}`);
    label = 'forged origin';
  } else if (r < 0.15) {
    lines.push('Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits');
    label = 'deflate offered';
  } else if (r < 0.2) {
    lines.splice(4, 1);
    label = 'no key';
  } else if (r < 0.23) {
    lines[5] = 'Sec-WebSocket-Version: 99';
    label = 'bad version';
  } else if (r < 0.26) {
    lines[0] = 'GET / HTTP/1.0';
    label = 'http/1.0';
  } else if (r < 0.29) {
    lines.push(`X-Pad: ${'p'.repeat(pick(rng, [15_000, 20_000, 70_000]))}`);
    label = 'huge handshake';
  } else if (r < 0.32) {
    return { label: 'garbage handshake', bytes: bytes(rng, 1 + rng.int(500)) };
  } else if (r < 0.35) {
    lines.splice(2, 1);
    label = 'no upgrade';
  }
  return { label, bytes: Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1') };
}

function goodMessage(rng: Rng): Buffer[] {
  const size = pick(rng, [0, 1, 20, 125, 126, 1_000, 65_535, 65_536, 200_000]);
  const opcode = pick(rng, [1, 2]);
  const payload = opcode === 1 ? Buffer.from('x'.repeat(size)) : bytes(rng, size);
  if (!chance(rng, 0.2) || size < 2) return [frame({ opcode, payload }, rng)];
  const cut = 1 + rng.int(size - 1);
  const ping = chance(rng, 0.5) ? [frame({ opcode: 9, payload: Buffer.from('hi') }, rng)] : [];
  return [frame({ fin: false, opcode, payload: payload.subarray(0, cut) }, rng), ...ping, frame({ opcode: 0, payload: payload.subarray(cut) }, rng)];
}

function badFrame(rng: Rng): { label: string; bytes: Buffer } {
  const cases: Array<[string, () => Buffer]> = [
    ['unmasked', () => frame({ opcode: 1, mask: false, payload: Buffer.from('hello') }, rng)],
    ['rsv bits', () => frame({ opcode: 1, rsv: 1 + rng.int(7), payload: Buffer.from('hello') }, rng)],
    ['reserved opcode', () => frame({ opcode: pick(rng, [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), payload: Buffer.from('x') }, rng)],
    ['long control', () => frame({ opcode: 9, payload: Buffer.alloc(126 + rng.int(1000)) }, rng)],
    ['fragmented control', () => frame({ fin: false, opcode: 9, payload: Buffer.from('x') }, rng)],
    ['orphan continuation', () => frame({ opcode: 0, payload: Buffer.from('x') }, rng)],
    ['msb length', () => frame({ opcode: 2, payload: Buffer.alloc(10), declared: 0xffff_ffff_ffff_ffffn }, rng)],
    ['declared huge', () => frame({ opcode: 2, payload: bytes(rng, rng.int(5_000)), declared: pick(rng, [1n << 40n, 100n * 1024n * 1024n, (1n << 63n) - 1n]) }, rng)],
    ['oversized', () => frame({ opcode: 2, payload: Buffer.alloc(pick(rng, [1_100_000, 2_500_000]), 7) }, rng)],
    ['non-minimal length', () => Buffer.concat([Buffer.from([0x81, 0xfe, 0x00, 0x05]), Buffer.from([1, 2, 3, 4]), Buffer.from('hello')])],
    ['bad utf-8', () => frame({ opcode: 1, payload: Buffer.from([0xc3, 0x28, 0xff]) }, rng)],
    ['close 1 byte', () => frame({ opcode: 8, payload: Buffer.from([3]) }, rng)],
    ['close bad code', () => frame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) }, rng)],
    ['truncated header', () => Buffer.from([0x82, 0xff, 0x00])],
    ['random bytes', () => bytes(rng, 1 + rng.int(2_000))],
  ];
  const [label, make] = pick(rng, cases);
  return { label, bytes: make() };
}

/** Cuts `data` into 1–8 pieces at random points (sometimes 1-byte pieces at the start). */
function cut(rng: Rng, data: Buffer): Buffer[] {
  if (data.length < 2) return [data];
  if (chance(rng, 0.05)) return [...Array.from({ length: Math.min(40, data.length) }, (_, i) => data.subarray(i, i + 1)), data.subarray(Math.min(40, data.length))];
  const points = Array.from({ length: rng.int(8) }, () => rng.int(data.length)).sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of [...points, data.length]) {
    if (p > at) out.push(data.subarray(at, p));
    at = Math.max(at, p);
  }
  return out;
}

export function wsCase(rng: Rng): WsCase {
  const hs = handshake(rng);
  const parts: Buffer[] = [hs.bytes];
  const labels = [hs.label];
  for (let i = rng.int(6); i > 0; i--) {
    if (chance(rng, 0.7)) parts.push(...goodMessage(rng));
    else {
      const bad = badFrame(rng);
      parts.push(bad.bytes);
      labels.push(bad.label);
    }
  }
  if (chance(rng, 0.5)) parts.push(frame({ opcode: 8, payload: Buffer.from([0x03, 0xe8]) }, rng));
  const ending = pick(rng, ['end', 'end', 'end', 'destroy', 'reset'] as const);
  return { label: labels.join(', '), pieces: cut(rng, Buffer.concat(parts)), ending, via: pick(rng, ['plain', 'messages', 'messages', 'bytes']) };
}
