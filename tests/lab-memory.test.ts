/**
 * The lab's memory stays bounded: clients on `/events?since=0` that never read (raw sockets that
 * connect, ask and stop) do not grow the lab's process beyond a small cap each, however long the
 * trace, and what they held is let go when they leave; a client that reads slowly still gets
 * every line from the first, in order, none lost. The lab runs in a child process, so its
 * resident memory (VmRSS) is measured from outside, against a baseline taken in the same test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { formatMb, sampleRss } from '../scripts/support/rss.js';
import { startLabProcess, type LabProcess } from './support/lab-process.js';

/** Every answer of the lab's process comes within this; the test as a whole within 2×. */
const BOUND_MS = 30_000;
/** Lines of trace before the clients come: ~2 lines a message, ~7 MB of trace.ndjson. */
const BURST = 12_000;
const CLIENTS = 40;
/**
 * What a client that never reads may cost the lab at most: the socket's buffer and one batch read
 * from the trace file (64 KiB each) and the stream's own objects, with room for the heap's
 * growth steps; far below the trace each of them asked for (7 MB and more).
 */
const PER_CLIENT_BYTES = 1024 * 1024;

let lab: LabProcess | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
}, 2 * BOUND_MS);

/** Samples `pid`'s RSS every 20 ms until stopped; answers the highest. */
function peakSampler(pid: number): { stop: () => number } {
  let peak = sampleRss(pid) ?? 0;
  const timer = setInterval(() => (peak = Math.max(peak, sampleRss(pid) ?? 0)), 20);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, sampleRss(pid) ?? 0);
    },
  };
}

/** A client that asks for the whole trace and never reads a byte of the answer. */
function stalledClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.pause();
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(`GET /events?since=0 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      resolve(socket);
    });
  });
}

describe.skipIf(!existsSync('/proc/self/status'))("the lab's memory", () => {
  it(`${CLIENTS} clients on /events?since=0 that never read: bounded, and let go when they leave`, { timeout: 2 * BOUND_MS }, async () => {
    lab = await startLabProcess(BOUND_MS);
    await lab.burst(BURST);
    // The baseline: the highest RSS while the lab does the same work the clients will see, without
    // them (a burst's messages in flight cost memory too, and the heap keeps what it grew to).
    const quiet = peakSampler(lab.pid);
    const { traceBytes } = await lab.burst(BURST / 4);
    await lab.gc();
    const baseline = quiet.stop();
    const sampler = peakSampler(lab.pid);
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => stalledClient(lab!.port)));
    // More trace while they stall: live lines must not pile up for them either. The burst's
    // answer (the lab's process went round its loop many times meanwhile) is the event waited for.
    await lab.burst(BURST / 4);
    await lab.gc();
    const peak = sampler.stop();
    await Promise.all(clients.map((s) => new Promise((resolve) => (s.once('close', resolve), s.destroy()))));
    // A burst after they left: the lab has heard each of them go by the time it answers.
    await lab.burst(BURST / 4);
    await lab.gc();
    const after = sampleRss(lab.pid)!;
    const growth = peak - baseline;
    console.log(`seed ${lab.seed}: trace ${formatMb(traceBytes)}; lab RSS ${formatMb(baseline)} at most without clients, ${formatMb(peak)} peak with ${CLIENTS} stalled clients (${growth >= 0 ? '+' : '−'}${formatMb(Math.abs(growth))}), ${formatMb(after)} after they left`);
    expect(growth, `grew by ${formatMb(growth)} (cap ${formatMb(CLIENTS * PER_CLIENT_BYTES)})`).toBeLessThan(CLIENTS * PER_CLIENT_BYTES);
    expect(after - baseline, `still ${formatMb(after - baseline)} above the baseline after the clients left`).toBeLessThan((CLIENTS * PER_CLIENT_BYTES) / 2);
  });

  it('a client that reads slowly gets every line from since=0, in order, the live ones too', { timeout: 2 * BOUND_MS }, async () => {
    lab = await startLabProcess(BOUND_MS);
    // More than a client could ever have waiting for it at once (8 MB cut a client off before).
    await lab.burst(20_000);
    const seqs: number[] = [];
    let datas: string[] = [];
    let rest = '';
    let resolveUpTo: (() => void) | undefined;
    let upTo = Infinity;
    const reached = new Promise<void>((resolve) => (resolveUpTo = resolve));
    const req = get(`${lab.controlUrl}/events?since=0`, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        rest += chunk;
        const blocks = rest.split('\n\n');
        rest = blocks.pop()!;
        for (const block of blocks) {
          const id = /^id: ([0-9]+)$/m.exec(block);
          const data = /^data: (.*)$/m.exec(block);
          if (!id || !data) continue;
          seqs.push(Number(id[1]));
          datas.push(data[1]);
        }
        if (seqs.length >= upTo) resolveUpTo?.();
        // Slow: one chunk, then a pause for a turn of the event loop, while the lab writes on.
        res.pause();
        setImmediate(() => res.resume());
      });
    });
    req.on('error', () => undefined);
    try {
      // More lines while it reads the old ones.
      const { lastSeq } = await lab.burst(2_000);
      upTo = lastSeq;
      if (seqs.length >= upTo) resolveUpTo?.();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([reached, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${seqs.length} of ${upTo} lines came in ${BOUND_MS} ms`)), BOUND_MS)))]).finally(() => clearTimeout(timer));
    } finally {
      req.destroy();
    }
    const got = seqs.slice(0, upTo);
    expect(got.filter((s, i) => s !== i + 1).slice(0, 3), 'lines 1 … N in order').toEqual([]);
    // The same lines as the file's, byte for byte.
    const file = readFileSync(lab.traceFile, 'utf8').split('\n').slice(0, upTo);
    datas = datas.slice(0, upTo);
    expect(datas.findIndex((d, i) => d !== file[i])).toBe(-1);
    // GET /trace streams from the same file: the whole, after a seq, of one node.
    const all = file.map((l) => JSON.parse(l) as { seq: number; node?: string });
    const trace = async (query: string): Promise<{ seq: number; node?: string }[]> => (await (await fetch(`${lab!.controlUrl}/trace${query}`)).json()) as { seq: number; node?: string }[];
    expect((await trace('')).slice(0, upTo)).toEqual(all);
    expect((await trace('?since=7')).slice(0, upTo - 7)).toEqual(all.slice(7));
    expect((await trace('?node=n2')).filter((l) => l.seq <= upTo)).toEqual(all.filter((l) => l.node === 'n2'));
  });
});
