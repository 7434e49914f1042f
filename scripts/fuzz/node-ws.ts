/**
 * Fuzz target: the nodes' peer ports of a real lab (3 nodes, the real proxy). Seeded cases, each
 * on a connection of its own, straight to a node's port (not through a proxy):
 * - hostile handshakes: garbage, no upgrade, a bad key or version, a foreign Origin, a huge
 *   header, the wrong method: the node must answer (any HTTP status) or close, within 5 s;
 * - malformed frames after a good handshake: unmasked, reserved bits, unknown opcodes, a control
 *   frame too long, a fragmented ping, bad UTF-8, a length past the limit: closed within 5 s;
 * - forged envelopes with a bad field (and not-JSON, and oversized ones): dropped as `malformed`,
 *   one line each, the connection and the node going on;
 * - hundreds of such connections at once.
 * After each round: every node still running and answering, no link of the lab went down, an RPC
 * between every two nodes succeeds (`harm`).
 */
import { connect } from 'node:net';
import { createRng, type Rng } from '@faultline/random';
import { WebSocket } from 'ws';
import { harm, startFuzzLab, type FuzzLab } from './fuzz-lab.js';
import { Tally, type FuzzOptions, type FuzzResult } from './target.js';

const ANSWER_MS = 5_000;
const CONCURRENT_MS = 60_000;
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)];
}

/** Writes `bytes` on a new TCP connection; what came first: an answer, the close, or nothing within `ms`. */
export function exchange(port: number, bytes: Buffer, ms = ANSWER_MS, until: (seen: string) => boolean = () => true): Promise<'answered' | 'closed' | 'silent'> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let seen = '';
    const done = (r: 'answered' | 'closed' | 'silent'): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('silent'), ms);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (d) => {
      seen += d.toString('latin1');
      if (until(seen)) done('answered');
    });
    socket.on('error', () => done('closed'));
    socket.on('close', () => done('closed'));
  });
}

function upgrade(extra: string[] = [], key = KEY, version = '13', method = 'GET'): string {
  return [`${method} / HTTP/1.1`, 'Host: 127.0.0.1', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, `Sec-WebSocket-Version: ${version}`, ...extra, '', ''].join('\r\n');
}

/** A complete request a WebSocket server must answer or close on. */
export function hostileHandshake(rng: Rng): { what: string; bytes: Buffer } {
  const cases: Array<[string, () => string | Buffer]> = [
    ['garbage', () => Buffer.concat([Buffer.from(Array.from({ length: 1 + rng.int(300) }, () => rng.int(256))), Buffer.from('\r\n\r\n')])],
    ['no upgrade', () => 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'],
    ['no key', () => upgrade([], '')],
    ['a bad key', () => upgrade([], pick(rng, ['x', '====', 'a'.repeat(200), '💥']))],
    ['version 99', () => upgrade([], KEY, pick(rng, ['99', '0', 'x', '']))],
    ['a foreign Origin', () => upgrade([`Origin: ${pick(rng, ['http://evil.example', 'null', 'file://', 'http://127.0.0.1:1'])}`])],
    ['a huge header', () => upgrade([`X-Big: ${'a'.repeat(20_000 + rng.int(100_000))}`])],
    ['the wrong method', () => upgrade([], KEY, '13', pick(rng, ['POST', 'PUT', 'DELETE', 'BREW']))],
    ['HTTP/0.9', () => 'GET /\r\n\r\n'],
    ['a bad protocol header', () => upgrade([`Sec-WebSocket-Protocol: ${pick(rng, [',', ' ', '"', 'a b'])}`])],
  ];
  const [what, make] = pick(rng, cases);
  const b = make();
  return { what: `handshake: ${what}`, bytes: typeof b === 'string' ? Buffer.from(b, 'latin1') : b };
}

/** A frame header (client → server, masked unless `masked` is false) with `payload`. */
function frame(opcode: number, payload: Buffer, o: { fin?: boolean; rsv?: number; masked?: boolean; length?: bigint } = {}): Buffer {
  const first = ((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | opcode;
  const len = o.length ?? BigInt(payload.length);
  const mask = (o.masked ?? true) ? 0x80 : 0;
  let head: Buffer;
  if (len < 126n) head = Buffer.from([first, mask | Number(len)]);
  else if (len < 65536n) head = Buffer.from([first, mask | 126, Number(len >> 8n) & 0xff, Number(len) & 0xff]);
  else {
    head = Buffer.alloc(10);
    head[0] = first;
    head[1] = mask | 127;
    head.writeBigUInt64BE(len, 2);
  }
  // A zero mask: the payload goes as it is.
  return Buffer.concat([head, (o.masked ?? true) ? Buffer.alloc(4) : Buffer.alloc(0), payload]);
}

/** A frame the server must close the connection on. */
export function malformedFrame(rng: Rng): { what: string; bytes: Buffer } {
  const text = Buffer.from('{"oops":1}');
  const cases: Array<[string, () => Buffer]> = [
    ['unmasked', () => frame(1, text, { masked: false })],
    ['reserved bits', () => frame(1, text, { rsv: 1 + rng.int(7) })],
    ['an unknown opcode', () => frame(pick(rng, [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), text)],
    ['a long ping', () => frame(9, Buffer.alloc(126 + rng.int(1000)))],
    ['a fragmented ping', () => frame(9, Buffer.from('x'), { fin: false })],
    ['bad UTF-8', () => frame(1, Buffer.from([0xc3, 0x28, 0xff, 0xfe]))],
    ['a length past the limit', () => frame(2, Buffer.alloc(0), { length: BigInt(4 * 1024 * 1024 + 1 + rng.int(1e9)) })],
    ['a length of 2^63', () => frame(2, Buffer.alloc(0), { length: 1n << 63n })],
    ['a continuation first', () => frame(0, text)],
    ['a close with a bad code', () => frame(8, Buffer.from([0x03, 0xe7 + rng.int(3)]))],
  ];
  const [what, make] = pick(rng, cases);
  return { what: `frame: ${what}`, bytes: Buffer.concat([Buffer.from(upgrade(), 'latin1'), make()]) };
}

/** An envelope to `to` with one field made bad (or not an envelope at all). */
export function forgedEnvelope(rng: Rng, to: string): { what: string; text: string } {
  const good = { id: 'n1-999999', from: 'n1', to, type: 'ping', body: {}, lamport: 1, vc: { n1: 1 }, hlc: { wallMs: Date.now(), logical: 0 }, sentWall: Date.now() };
  const bad: Array<[string, () => unknown]> = [
    ['an id of another shape', () => ({ ...good, id: pick(rng, ['', 'x'.repeat(300), 5, null]) })],
    ['from an unknown node', () => ({ ...good, from: pick(rng, ['n0', 'n99999', 'coordinator', '', 7]) })],
    ['to another node', () => ({ ...good, to: to === 'n2' ? 'n3' : 'n2' })],
    ['a type of the wrong kind', () => ({ ...good, type: pick(rng, ['', 5, null, 'x'.repeat(200)]) })],
    ['a negative Lamport', () => ({ ...good, lamport: pick(rng, [-1, 1.5, 'x', Infinity, null]) })],
    ['a bad vector clock', () => ({ ...good, vc: pick(rng, ['x', [], { n1: -1 }, { bogus: 1 }, null]) })],
    ['a bad HLC', () => ({ ...good, hlc: pick(rng, [null, {}, { wallMs: 'x', logical: 0 }, 5]) })],
    ['a sentWall that is not a number', () => ({ ...good, sentWall: pick(rng, ['now', null, {}]) })],
    ['a body that is not an object', () => ({ ...good, body: pick(rng, [[], 'x', 5]) })],
    // Not `body`: it has a default, so without it the envelope is a good one.
    [
      'a field missing',
      () => {
        const gone = pick(rng, Object.keys(good).filter((x) => x !== 'body'));
        return Object.fromEntries(Object.entries(good).filter(([k]) => k !== gone));
      },
    ],
  ];
  const raw: Array<[string, () => string]> = [
    ['not JSON', () => pick(rng, ['{', 'not json', '\u0000', '{"a":1}}', '[1,2'])],
    ['JSON that is not an object', () => pick(rng, ['null', '[]', '5', '"x"', 'true'])],
    ['deep nesting', () => '['.repeat(10_000 + rng.int(50_000)) + ']'.repeat(10_000)],
    ['an oversized envelope', () => JSON.stringify({ ...good, from: 'n0', body: { pad: 'x'.repeat(1_000_000 + rng.int(3_000_000)) } })],
  ];
  if (rng.int(4) === 0) {
    const [what, make] = pick(rng, raw);
    return { what: `envelope: ${what}`, text: make() };
  }
  const [what, make] = pick(rng, bad);
  return { what: `envelope: ${what}`, text: JSON.stringify(make()) };
}

/** Opens a WebSocket to `port`, sends `text`, closes; false when it could not within ANSWER_MS. */
export function sendOnWs(port: number, text: string, headers: Record<string, string>, boundMs = ANSWER_MS * 2): Promise<'sent' | 'refused' | 'silent'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers, perMessageDeflate: false, maxPayload: 8 * 1024 * 1024 });
    const done = (r: 'sent' | 'refused' | 'silent'): void => {
      clearTimeout(timer);
      ws.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => done('silent'), boundMs);
    ws.on('open', () => ws.send(text, () => ws.close()));
    ws.on('close', () => done('sent'));
    ws.on('error', () => done('refused'));
    ws.on('unexpected-response', () => done('refused'));
  });
}

async function oneCase(f: FuzzLab, rng: Rng, tally: Tally, i: number): Promise<void> {
  const node = pick(rng, f.lab.nodes);
  const port = f.peerPorts[node];
  tally.cases += 1;
  const kind = rng.int(3);
  if (kind === 0) {
    const c = hostileHandshake(rng);
    if ((await exchange(port, c.bytes, ANSWER_MS, (s) => s.startsWith('HTTP/'))) === 'silent') tally.hang(`case ${i} ${node}: ${c.what}: no answer within ${ANSWER_MS} ms`);
  } else if (kind === 1) {
    const c = malformedFrame(rng);
    // Answered with 101 first; what counts is that the connection is then closed.
    if ((await exchange(port, c.bytes, ANSWER_MS, () => false)) === 'silent') tally.hang(`case ${i} ${node}: ${c.what}: not closed within ${ANSWER_MS} ms`);
  } else {
    const c = forgedEnvelope(rng, node);
    if ((await sendOnWs(port, c.text, f.peerHeaders)) === 'silent') tally.hang(`case ${i} ${node}: ${c.what}: no open or close within ${ANSWER_MS * 2} ms`);
  }
}

export async function fuzzNodeWs(o: FuzzOptions): Promise<FuzzResult> {
  const tally = new Tally('node WebSockets', o.seed);
  const rng = createRng(o.seed, 'fuzz:node-ws');
  const f = await startFuzzLab(o.seed);
  try {
    const rounds = o.scale === 'full' ? 20 : 2;
    const perRound = o.scale === 'full' ? 200 : 60;
    const concurrent = o.scale === 'full' ? 300 : 100;
    let since = f.lab.trace().at(-1)?.seq ?? 0;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < perRound; i++) await oneCase(f, rng, tally, r * perRound + i);
      // Hundreds at once: forged envelopes on connections of their own.
      const batch = Array.from({ length: concurrent }, () => {
        const node = pick(rng, f.lab.nodes);
        return { node, ...forgedEnvelope(rng, node) };
      });
      // Hundreds at once, some of megabytes, on a loaded machine: a minute for all of them.
      const results = await Promise.all(batch.map((c) => sendOnWs(f.peerPorts[c.node], c.text, f.peerHeaders, CONCURRENT_MS)));
      tally.cases += batch.length;
      results.forEach((res, k) => {
        if (res === 'silent') tally.hang(`round ${r}, concurrent ${k} ${batch[k].node}: ${batch[k].what}: no open or close within ${CONCURRENT_MS} ms`);
      });
      await harm(f, since, tally);
      since = f.lab.trace().at(-1)?.seq ?? since;
    }
    tally.note(`malformed lines traced: ${f.lab.trace({ kinds: ['malformed'] }).length}`);
  } finally {
    await f.stop();
  }
  return tally.result();
}
