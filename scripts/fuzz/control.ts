/**
 * Fuzz target: the coordinator's control channel (the WebSocket every node reports on) of a real
 * lab. Seeded hostile first frames on connections of their own: not JSON, not an object, a hello
 * with bad fields, a hello for a node that is not there or already running, traces, batches and
 * replies before any hello, oversized frames; and hundreds at once. A connection whose first
 * message is not a good hello must be closed within 5 s (a malformed one is dropped and the
 * connection waits for its hello); the lab's log says why in one line; the lab goes on (`harm`).
 */
import { createRng, type Rng } from '@faultline/random';
import { WebSocket } from 'ws';
import { harm, startFuzzLab, type FuzzLab } from './fuzz-lab.js';
import { isOneLine, Tally, type FuzzOptions, type FuzzResult } from './target.js';

const CLOSE_MS = 5_000;

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)];
}

const stamp = { trueMs: Date.now(), wallMs: Date.now(), lamport: 1, vc: { n1: 1 }, hlc: { wallMs: Date.now(), logical: 0 } };

/** A first frame, and whether the server must close the connection on it. */
export function hostileControlFrame(rng: Rng): { what: string; text: string; mustClose: boolean } {
  const cases: Array<[string, () => unknown, boolean]> = [
    ['a hello for a running node', () => ({ kind: 'hello', node: pick(rng, ['n1', 'n2', 'n3']), pid: 1 + rng.int(1e6), port: 1 + rng.int(65535) }), true],
    ['a hello for a node not in the lab', () => ({ kind: 'hello', node: pick(rng, ['n4', 'n9', 'n999']), pid: 4242, port: 4242 }), true],
    ['a trace before hello', () => ({ kind: 'trace', clocks: stamp, event: { kind: 'local', label: 'x' } }), true],
    ['a reply before hello', () => ({ kind: 'reply', id: rng.int(100), ok: true, result: {} }), true],
    ['a batch before hello', () => ({ kind: 'batch', messages: [{ kind: 'trace', clocks: stamp, event: { kind: 'local', label: 'x' } }] }), false],
    ['a hello with bad fields', () => ({ kind: 'hello', node: pick(rng, ['x', '', 5, null]), pid: pick(rng, [-1, 0, 'a', 1.5]), port: pick(rng, [0, 70000, 'a']) }), false],
    ['an unknown kind', () => ({ kind: pick(rng, ['goodbye', '', 5, null]) }), false],
    ['not an object', () => pick(rng, [null, 5, 'hello', [], true]), false],
  ];
  if (rng.int(6) === 0) {
    const raw = pick(rng, [['not JSON', '{'], ['deep nesting', '['.repeat(50_000)], ['a big frame', JSON.stringify({ kind: 'hello', pad: 'x'.repeat(2_000_000) })], ['empty', '']] as const);
    return { what: raw[0], text: raw[1], mustClose: false };
  }
  const [what, make, mustClose] = pick(rng, cases);
  return { what, text: JSON.stringify(make()), mustClose };
}

/**
 * Opens the control channel with the lab's secret (`headers`), so that the frame meets the parser, and sends `text` first; 'closed' when the server closed within CLOSE_MS, else 'open' (then closed by
 * us): at once when `heard()` (the lab logged the frame, a dropped one leaves the connection open).
 */
function firstFrame(url: string, headers: Record<string, string>, text: string, heard: () => boolean = () => false): Promise<'closed' | 'open' | 'refused'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, headers });
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    const done = (r: 'closed' | 'open' | 'refused'): void => {
      clearTimeout(timer);
      clearInterval(poll);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(r);
    };
    ws.on('open', () => {
      ws.send(text);
      timer = setTimeout(() => done('open'), CLOSE_MS);
      poll = setInterval(() => {
        if (heard()) done('open');
      }, 20);
    });
    ws.on('close', () => done('closed'));
    ws.on('error', () => done('refused'));
  });
}

async function round(f: FuzzLab, rng: Rng, tally: Tally, count: number, concurrent: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const c = hostileControlFrame(rng);
    tally.cases += 1;
    const before = f.warnings.length;
    const r = await firstFrame(f.controlUrl, f.peerHeaders, c.text, c.mustClose ? undefined : () => f.warnings.length > before);
    if (c.mustClose && r === 'open') tally.hang(`case ${i}: ${c.what}: the connection was not closed within ${CLOSE_MS} ms`);
  }
  const batch = Array.from({ length: concurrent }, () => hostileControlFrame(rng));
  const before = f.warnings.length;
  const heard = (): boolean => f.warnings.length >= before + batch.length;
  const results = await Promise.all(batch.map((c) => firstFrame(f.controlUrl, f.peerHeaders, c.text, c.mustClose ? undefined : heard)));
  tally.cases += batch.length;
  results.forEach((r, k) => {
    if (batch[k].mustClose && r === 'open') tally.hang(`concurrent ${k}: ${batch[k].what}: not closed within ${CLOSE_MS} ms`);
  });
}

export async function fuzzControl(o: FuzzOptions): Promise<FuzzResult> {
  const tally = new Tally('control frames', o.seed);
  const rng = createRng(o.seed, 'fuzz:control');
  const f = await startFuzzLab(o.seed);
  try {
    const rounds = o.scale === 'full' ? 5 : 1;
    let since = f.lab.trace().at(-1)?.seq ?? 0;
    for (let r = 0; r < rounds; r++) {
      await round(f, rng, tally, o.scale === 'full' ? 300 : 80, o.scale === 'full' ? 300 : 100);
      await harm(f, since, tally);
      since = f.lab.trace().at(-1)?.seq ?? since;
    }
    // Every refusal the lab logged says why in one line.
    for (const line of f.warnings) {
      const { msg, error } = JSON.parse(line) as { msg?: string; error?: string };
      if (!isOneLine(msg ?? '') || (error !== undefined && !isOneLine(error))) tally.bad(`a log line of more than one line: ${line.slice(0, 300)}`);
    }
    tally.note(`warnings logged: ${f.warnings.length}`);
  } finally {
    await f.stop();
  }
  return tally.result();
}
