/**
 * The lab's memory under load, measured from outside (`tsx scripts/memory-probe.ts`): a lab in a
 * child process (scripts/support/lab-process.ts), `--bursts K` bursts of `--burst N` messages
 * n1 → n2 (the RSS after each: flat once the in-memory tail is full), then `--clients C` clients
 * on `/events?since=0` that never read (the RSS with them, and after they left). Every figure
 * is taken after a full garbage collection, beside the baseline of the same run. `--json` prints
 * one JSON object.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatMb, sampleRss } from './support/rss.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '40' },
    burst: { type: 'string', default: '20000' },
    bursts: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const clients = Number(values.clients);
const burst = Number(values.burst);
const bursts = Number(values.bursts);
const log = (s: string): void => void (values.json ? undefined : process.stderr.write(`${s}\n`));

const script = fileURLToPath(new URL('./support/lab-process.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const child = spawn(process.execPath, ['--expose-gc', '--import', tsx, script], { stdio: ['pipe', 'pipe', 'inherit'] });
const answers: AsyncIterator<string, undefined> = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
async function ask(command?: unknown): Promise<Record<string, unknown>> {
  if (command !== undefined) child.stdin.write(`${JSON.stringify(command)}\n`);
  const next = await answers.next();
  if (next.done === true) throw new Error('the lab process exited');
  const answer = JSON.parse(next.value) as Record<string, unknown>;
  if (typeof answer.error === 'string') throw new Error(answer.error);
  return answer;
}
async function settledRss(pid: number): Promise<number> {
  const usage = await ask({ gc: true });
  const mb = (k: string): string => formatMb(usage[k] as number);
  log(`  (heap used ${mb('heapUsed')} of ${mb('heapTotal')}, external ${mb('external')}, array buffers ${mb('arrayBuffers')})`);
  return sampleRss(pid) ?? NaN;
}

try {
  const ready = await ask();
  const pid = ready.pid as number;
  log(`lab pid ${pid}, seed ${String(ready.seed)}`);
  const started = await settledRss(pid);
  log(`started: ${formatMb(started)}`);
  const afterBursts: { lines: number; traceBytes: number; rss: number }[] = [];
  for (let i = 0; i < bursts; i++) {
    const { lastSeq, traceBytes } = (await ask({ burst })) as { lastSeq: number; traceBytes: number };
    const rss = await settledRss(pid);
    afterBursts.push({ lines: lastSeq, traceBytes, rss });
    log(`after burst ${i + 1} of ${burst}: ${lastSeq} lines, trace ${formatMb(traceBytes)}, RSS ${formatMb(rss)}`);
  }
  const baseline = afterBursts.at(-1)?.rss ?? started;
  const port = Number(new URL(ready.controlUrl as string).port);
  const sockets: Socket[] = [];
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, sampleRss(pid) ?? 0)), 20);
  for (let i = 0; i < clients; i++) {
    const socket = connect({ host: '127.0.0.1', port });
    socket.pause();
    socket.on('error', () => undefined);
    socket.write(`GET /events?since=0 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    sockets.push(socket);
  }
  // One more burst while they stall: its answer shows the lab went on working meanwhile.
  const t = performance.now();
  await ask({ burst });
  const burstMs = performance.now() - t;
  const withClients = await settledRss(pid);
  clearInterval(sampler);
  peak = Math.max(peak, withClients);
  log(`with ${clients} clients that never read: peak ${formatMb(peak)} (+${formatMb(peak - baseline)}), ${formatMb(withClients)} after a GC; a burst meanwhile took ${burstMs.toFixed(0)} ms`);
  await Promise.all(sockets.map((s) => new Promise((resolve) => (s.once('close', resolve), s.destroy()))));
  await ask({ burst });
  const after = await settledRss(pid);
  log(`after they left: ${formatMb(after)} (${after >= baseline ? '+' : ''}${formatMb(after - baseline)})`);
  if (values.json) console.log(JSON.stringify({ seed: ready.seed, burst, started, afterBursts, clients, baseline, peak, withClients, after, burstMs }));
} finally {
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
}
