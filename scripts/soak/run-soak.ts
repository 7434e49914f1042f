/**
 * The soak (shell): a real lab of 5 nodes in a process of its own, steady RPC load through the
 * control API, a seeded nemesis, the RSS of every process sampled; at the end the message
 * accounting over the trace. `scripts/soak.ts` prints it; `tests/soak.test.ts` runs a slice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { accountMessages, type MessageAccounting, type MessageRecord } from '@faultline/checkers';
import { createClient, FaultlineError, labApi, type Client, type LabApi, type TraceLine } from '@faultline/protocol';
import { createRng } from '@faultline/random';
import type { LabInfo } from './lab-process.js';
import { runNemesis, type NemesisLog } from './nemesis.js';
import { RssSampler, summarize, type MemorySummary, type Sample } from './rss.js';

export interface SoakOptions {
  readonly seed: number;
  readonly durationMs: number;
  /** Where the lab writes its run directory (trace, node logs) and the lab process's log. */
  readonly runsDir: string;
  readonly nodes?: number;
  /** RPCs started per second (default 20), at most `maxInFlight` (default 16) at once. */
  readonly rpcPerSec?: number;
  readonly maxInFlight?: number;
  /** RSS sampling interval (default 5 s). */
  readonly sampleMs?: number;
  /** An API request that has not answered after this long is a stall (default 30 s). */
  readonly stallMs?: number;
  /** Scales the nemesis's hold and rest times (default 1: 1–4 s held, 0.5–2 s rest). */
  readonly nemesisScale?: number;
  /** Progress lines (stderr in the script). */
  readonly log?: (line: string) => void;
}

export interface SoakReport {
  readonly seed: number;
  readonly durationMs: number;
  readonly traceFile: string;
  readonly accounting: Omit<MessageAccounting, 'records' | 'unexplained'> & { readonly unexplained: readonly MessageRecord[] };
  readonly rpcs: { started: number; ok: number; timeout: number; failed: number; skipped: number; refused: Record<string, number> };
  readonly nemesis: NemesisLog;
  /** Lab processes that ended without the nemesis killing them (coordinator, proxy, a node's `exit`). */
  readonly crashes: string[];
  /** API requests that did not answer within `stallMs`, and a drain that did not finish. */
  readonly stalls: string[];
  readonly memory: Array<{ name: string; pid: number; processes: number } & MemorySummary>;
  /** Processes of the lab still alive after it stopped (should be none). */
  readonly leftOver: number[];
}

const here = fileURLToPath(new URL('.', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts the lab process; resolves with its first stdout line, its `LabInfo`. */
async function startLabProcess(o: SoakOptions, logFile: string, heap: Sample[]): Promise<{ child: ChildProcess; info: LabInfo }> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const heapEvery = String(o.sampleMs === undefined ? 20_000 : Math.max(o.sampleMs, 1_000));
  const args = ['--expose-gc', '--import', tsx, join(here, 'lab-process.ts'), '--nodes', String(o.nodes ?? 5), '--seed', String(o.seed), '--runs-dir', o.runsDir, '--heap-every', heapEvery];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stderr?.pipe(log);
  const info = await new Promise<LabInfo>((resolve, reject) => {
    let first: LabInfo | undefined;
    let t0 = 0;
    const timer = setTimeout(() => reject(new FaultlineError('timeout', 'the soak lab did not start within 120 s')), 120_000);
    // The first line is its LabInfo; each later one its heap after a full GC.
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (first === undefined) {
        first = JSON.parse(line) as LabInfo;
        t0 = performance.now();
        clearTimeout(timer);
        resolve(first);
      } else {
        heap.push({ atMs: performance.now() - t0, mb: (JSON.parse(line) as { heapMb: number }).heapMb });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new FaultlineError('failed', `the soak lab exited before it was up (code ${code}, signal ${signal}); see ${logFile}`));
    });
  });
  return { child, info };
}

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  mkdirSync(o.runsDir, { recursive: true });
  const heap: Sample[] = [];
  const { child, info } = await startLabProcess(o, join(o.runsDir, `soak-lab-${o.seed}.log`), heap);
  try {
    const report = await soakLab(o, child, info);
    const heapRow = { name: 'coordinator heap after GC', pid: info.pids.coordinator, processes: 1, ...summarize(heap) };
    return { ...report, memory: [...report.memory, heapRow] };
  } finally {
    // On an error midway the lab is stopped too (SIGTERM stops its nodes and proxy).
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await new Promise((r) => child.once('exit', r));
      clearTimeout(timer);
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function soakLab(o: SoakOptions, child: ChildProcess, info: LabInfo): Promise<SoakReport> {
  const log = o.log ?? (() => undefined);
  const stallMs = o.stallMs ?? 30_000;
  const crashes: string[] = [];
  const stalls: string[] = [];
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) crashes.push(`the coordinator (pid ${child.pid}) exited on its own: code ${code}, signal ${signal}`);
      resolve();
    }),
  );
  log(`soak: seed ${o.seed}, lab up (${info.controlUrl}), trace ${info.traceFile}`);
  const lab: Client<LabApi> = createClient(labApi, { baseUrl: info.controlUrl });
  const ids = Object.keys(info.pids.nodes);

  /** One API request, timed: a stall past `stallMs` is recorded and the request let go. */
  const refused: Record<string, number> = {};
  const call = async <T>(what: string, request: () => Promise<T>): Promise<T | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<'stalled'>((resolve) => (timer = setTimeout(() => resolve('stalled'), stallMs)));
    try {
      const r = await Promise.race([request(), stalled]);
      if (r === 'stalled') {
        stalls.push(`${what}: no answer within ${stallMs} ms`);
        return undefined;
      }
      return r;
    } catch (err) {
      const code = err instanceof FaultlineError ? err.code : 'not-a-faultline-error';
      refused[code] = (refused[code] ?? 0) + 1;
      if (code === 'unavailable' || code === 'not-a-faultline-error') log(`soak: ${what}: ${(err as Error).message}`);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };

  // Follow the trace (for the drain at the end); the file is read whole at the end.
  let lastSeq = 0;
  const recent: TraceLine[] = [];
  const follow = async (): Promise<void> => {
    const lines = await call('GET /trace', () => lab.trace({ query: { since: lastSeq } }));
    if (!lines || lines.length === 0) return;
    lastSeq = lines[lines.length - 1].seq;
    recent.push(...lines);
    if (recent.length > 20_000) recent.splice(0, recent.length - 20_000);
  };

  // Memory: the coordinator, the proxy, each node (its pid now: a revived node is a new process).
  let nodePids: Record<string, number> = { ...info.pids.nodes };
  const sampler = new RssSampler(async () => {
    const status = stopping ? undefined : await call('GET /status', () => lab.status());
    if (status) nodePids = Object.fromEntries(status.nodes.filter((n) => n.pid !== null).map((n) => [n.id, n.pid!]));
    return [{ name: 'coordinator', pid: info.pids.coordinator }, ...info.pids.proxy.map((pid) => ({ name: 'proxy', pid })), ...Object.entries(nodePids).map(([name, pid]) => ({ name, pid }))];
  });
  sampler.start(o.sampleMs ?? 5_000);

  // Steady load: `rpcPerSec` RPCs between random pairs, each 1 s a try, one retry.
  const loadRng = createRng(o.seed, 'soak:load');
  const rpcs = { started: 0, ok: 0, timeout: 0, failed: 0, 'caller-died': 0, skipped: 0, refused };
  const inFlight = new Set<Promise<void>>();
  const load = setInterval(
    () => {
      if (inFlight.size >= (o.maxInFlight ?? 16)) {
        rpcs.skipped += 1;
        return;
      }
      const from = ids[loadRng.int(ids.length)];
      const others = ids.filter((id) => id !== from);
      const to = others[loadRng.int(others.length)];
      rpcs.started += 1;
      const p = call(`rpc ${from} ${to}`, () => lab.rpc({ body: { from, to, msgType: 'ping', timeoutMs: 1000, retries: 1 } })).then((r) => {
        if (r) rpcs[r.result.outcome] += 1;
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    },
    1000 / (o.rpcPerSec ?? 20),
  );
  const follower = setInterval(() => void follow(), 1000);

  const deadline = performance.now() + o.durationMs;
  let nextProgress = performance.now() + 30_000;
  const nemesis = await runNemesis(
    lab,
    createRng(o.seed, 'soak:nemesis'),
    ids,
    () => performance.now() >= deadline || crashes.length > 0,
    call,
    o.nemesisScale ?? 1,
    (f) => {
      if (performance.now() < nextProgress) return;
      nextProgress += 30_000;
      log(`soak: ${Math.round((deadline - performance.now()) / 1000)} s left; rpcs ${rpcs.started} (${rpcs.ok} ok); now: ${f.words}`);
    },
  );

  // The end: no more load, every fault gone, every node running.
  clearInterval(load);
  await Promise.all([...inFlight]);
  await call('heal', () => lab.heal());
  await call('clear links', () => lab.clearLinks());
  const status = await call('GET /status', () => lab.status());
  for (const n of status?.nodes ?? []) {
    if (n.state === 'paused') await call(`resume ${n.id}`, () => lab.resume({ params: { id: n.id } }));
    if (n.state === 'killed' || n.state === 'exited') await call(`revive ${n.id}`, () => lab.revive({ params: { id: n.id } }));
  }
  clearInterval(follower);
  await follow();
  const untilSeq = lastSeq;

  // The drain: every link has carried a message sent after the cut-off (heartbeats flow on each
  // every 500 ms), so what was sent before it has arrived or is lost (links keep order).
  const links = ids.flatMap((a) => ids.filter((b) => b !== a).map((b) => `${a}-${b}`));
  const drained = new Set<string>();
  const sentAfter = new Map<string, string>();
  const drainDeadline = performance.now() + stallMs;
  while (drained.size < links.length && performance.now() < drainDeadline && crashes.length === 0) {
    await follow();
    for (const l of recent) {
      if (l.seq <= untilSeq) continue;
      if (l.kind === 'send') sentAfter.set(l.msg, `${l.node}-${l.to}`);
      if (l.kind === 'receive' && sentAfter.has(l.msg)) drained.add(sentAfter.get(l.msg)!);
    }
    if (drained.size < links.length) await sleep(250);
  }
  if (drained.size < links.length) stalls.push(`drain: no message crossed ${links.filter((l) => !drained.has(l)).join(', ')} within ${stallMs} ms after the load stopped`);

  sampler.stop();
  await sampler.sample();
  for (const pid of info.pids.proxy) if (!alive(pid)) crashes.push(`the proxy (pid ${pid}) is gone`);
  stopping = true;
  await call('POST /down', () => lab.down());
  const killTimer = setTimeout(() => child.kill('SIGKILL'), stallMs);
  await exited;
  clearTimeout(killTimer);

  const trace = readFileSync(info.traceFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TraceLine);
  for (const l of trace) if (l.kind === 'exit' && l.seq <= untilSeq) crashes.push(`${l.node} exited on its own (code ${l.code}, signal ${l.signal}) #${l.seq}`);
  const { records: _records, ...accounting } = accountMessages(trace, { untilSeq });
  const memory = sampler.summaries();
  const seen = [info.pids.coordinator, ...info.pids.proxy, ...Object.values(info.pids.nodes), ...sampler.sampledPids()];
  return {
    seed: o.seed,
    durationMs: o.durationMs,
    traceFile: info.traceFile,
    accounting: { ...accounting, unexplained: accounting.unexplained.slice(0, 50) },
    rpcs,
    nemesis,
    crashes,
    stalls,
    memory,
    leftOver: [...new Set(seen)].filter(alive),
  };
}

/** 0 when all is explained and nothing crashed or stalled. */
export function soakVerdict(r: SoakReport): number {
  const a = r.accounting;
  return a.counts.unexplained + a.unexplainedDuplicates.length + a.receivedWithoutSend.length + r.crashes.length + r.stalls.length === 0 ? 0 : 1;
}
