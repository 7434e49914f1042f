/**
 * `faultline test` (shell): a program speaking Maelstrom's protocol, hosted by every node of a real
 * lab, driven by a workload's clients (@faultline/maelstrom) at a rate for a time, under a nemesis
 * (partitions, kills, slow links …), then healed and read one last time; the history (with the
 * nemesis's own operations in it, as Jepsen records them) is checked by the workload's checker. What the nemesis did is counted from the trace, so a pass says whether the faults hit
 * anything. Writes `history.jsonl`, `report.json` and `report.md` beside the lab's trace.
 */
import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isHeartbeat } from '@faultline/checkers';
import { drawSeed, startLab, type Lab, type ServiceHandler } from '@faultline/coordinator';
import { completion, invocation, serve, startService, WORKLOADS, type PlannedOp, type RunningService, type Verdict, type Workload, type WorkloadOptions } from '@faultline/maelstrom';
import { FaultlineError, NEMESIS_PROCESS, type MaelstromHistoryEvent, type MaelstromNemesisOp, type MaelstromServiceName, type MaelstromWorkloadName, type TraceLine } from '@faultline/protocol';
import { createRng, type Rng } from '@faultline/random';
import type { Logger } from 'pino';
import { preflight } from './preflight.js';

export const NEMESES = ['partition', 'kill', 'pause', 'drop', 'duplicate', 'slow', 'clock'] as const;
/** The slow nemesis (faultline's own): this latency, ± this jitter, on every link (ms). */
export const SLOW = { latencyMs: 300, jitterMs: 150 } as const;
export type Nemesis = (typeof NEMESES)[number];

export interface TestOptions extends WorkloadOptions {
  readonly workload: MaelstromWorkloadName;
  /** The program and its arguments. */
  readonly bin: readonly string[];
  readonly nodeCount: number;
  /** How long the clients run (s). */
  readonly timeLimitS: number;
  /** Operations a second, all clients together. */
  readonly rate: number;
  /** Clients at once (default: one per node). */
  readonly concurrency?: number;
  /** Latency added to every link (ms). */
  readonly latencyMs?: number;
  readonly nemesis: readonly Nemesis[];
  /** Between two nemesis actions (s). */
  readonly nemesisIntervalS: number;
  /** A client's wait for a reply (ms). */
  readonly timeoutMs: number;
  /**
   * Maelstrom's `--availability`: the share of operations that must succeed (`total`: every one),
   * on top of the checker's verdict; absent: none required.
   */
  readonly availability?: number | 'total';
  readonly seed?: string;
  readonly runsDir: string;
  /** The built dashboard: the lab serves it while the test runs (its address is said first). */
  readonly dashboardDir?: string;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
  /** Hears the run as it goes (one line each). */
  readonly say?: (line: string) => void;
}

/** What the nemesis did, from the trace: a fault that hit nothing is said to have done so. */
export interface NemesisReport {
  /** Each fault, as it was made (`partition n1 | n2,n3`, `kill n2` …), with when (s into the run). */
  readonly faults: readonly { readonly atS: number; readonly what: string }[];
  readonly partitions: number;
  /** The program's messages sent across a cut while it held (lost). */
  readonly messagesCut: number;
  /** The proxy's message-level faults on the program's messages: dropped, duplicated. */
  readonly dropped: number;
  readonly duplicated: number;
}

export interface TestReport {
  readonly workload: string;
  readonly bin: readonly string[];
  readonly seed: string;
  readonly nodes: number;
  readonly verdict: Verdict;
  /** The program's messages between nodes (not clients'), per client operation. */
  readonly messagesPerOp: number;
  readonly serverMessages: number;
  readonly nemesis: NemesisReport | null;
  /** Each node's program's problems, from the trace: lines that were not messages, how it ended. */
  readonly problems: readonly string[];
  readonly files: { readonly history: string; readonly trace: string; readonly reportJson: string; readonly reportMd: string };
  readonly durationMs: number;
}

/**
 * The services the programs may call (lin-kv, seq-kv, lww-kv, lin-tso), each started at its first
 * request, its randomness (seq-kv's stale reads, lww-kv's replicas) drawn from the run's seed.
 */
function services(seed: bigint): ServiceHandler {
  const running = new Map<MaelstromServiceName, { service: RunningService; rng: Rng }>();
  return (request) => {
    const name = request.dest as MaelstromServiceName;
    const current = running.get(name) ?? { service: startService(name), rng: createRng(seed, `maelstrom:${name}`) };
    const { running: next, reply } = serve(current.service, request, { rng: current.rng });
    running.set(name, { service: next, rng: current.rng });
    return reply;
  };
}

/** Until `ms` have passed (monotonic), or the run is aborted. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Until one of `promises` settles, `ms` pass, or the run is aborted (nothing left behind: no timer, no listener). */
async function firstOf(promises: readonly Promise<unknown>[], ms: number, signal?: AbortSignal): Promise<void> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([...promises.map((p) => p.then(() => undefined, () => undefined)), sleep(ms, stop.signal)]);
  } finally {
    stop.abort();
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The program's file is there and can be run (a path), or is on PATH (a name): else one line saying which. */
function checkProgram(file: string): void {
  const where = file.includes('/') ? [resolve(file)] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, file));
  const found = where.find((f) => existsSync(f) && statSync(f).isFile());
  if (!found) throw new FaultlineError('bad-usage', file.includes('/') ? `--bin ${file}: no such file (looked for ${where[0]})` : `--bin ${file}: no such command on PATH`);
  try {
    accessSync(found, constants.X_OK);
  } catch {
    throw new FaultlineError('bad-usage', `--bin ${file}: not executable (chmod +x ${file}, or name its interpreter: --bin python3 ${file})`);
  }
}

/** Why a node's program never answered init, from the trace: how it ended, or what it printed instead. */
export function whyNotReady(lines: readonly TraceLine[], node: string): string {
  const exited = lines.find((l) => l.node === node && l.kind === 'local' && l.label.startsWith('the program exited'));
  if (exited?.kind === 'local') return exited.label.replace(/^the program /, '');
  const bad = lines.find((l) => l.node === node && l.kind === 'malformed' && l.source === 'program');
  if (bad?.kind === 'malformed') return `did not answer init within 30 s; the first line it printed that was not a message: ${bad.error}`;
  return 'did not answer init within 30 s (it printed nothing on stdout; is it reading stdin?)';
}

/** The checker's verdict, failed if fewer operations succeeded than `--availability` asks. */
export function withAvailability(verdict: Verdict, required: number | 'total' | undefined): Verdict {
  const got = (verdict.stats as { availability?: number }).availability;
  if (required === undefined || got === undefined || verdict.valid === false) return verdict;
  const need = required === 'total' ? 1 : required;
  if (got >= need) return verdict;
  const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
  return { ...verdict, valid: false, reason: `only ${percent(got)} of the operations succeeded, and --availability ${required} asks for ${required === 'total' ? 'every one' : `at least ${percent(need)}`} (${verdict.reason})` };
}

/** Does `act` as the nemesis's operation `f` on `value`: in the history as it begins and once done. */
export type NemesisRecorder = <T>(f: MaelstromNemesisOp, value: unknown, act: () => Promise<T>) => Promise<T>;

/**
 * One fault of kind `kind` on `lab` (its nodes, its links drawn from `rng`), in words, and how to
 * end it; each recorded by `record`. Link faults end with the links as they were (`latencyMs`).
 */
async function strike(lab: Lab, kind: Nemesis, rng: Rng, record: NemesisRecorder, latencyMs?: number): Promise<{ what: string; undo: () => Promise<string> }> {
  const nodes = lab.nodes.filter((n) => lab.state(n) === 'running');
  const one = nodes[rng.int(nodes.length)];
  const everyLink = async (faults: Parameters<Lab['link']>[2]): Promise<void> => {
    for (const from of lab.nodes) for (const to of lab.nodes) if (from !== to) await lab.link(from, to, faults);
  };
  const clear = async (): Promise<string> => {
    await record('clear-links', undefined, async () => {
      await lab.clearLinks();
      if (latencyMs) await everyLink({ latencyMs });
    });
    return 'links cleared';
  };
  switch (kind) {
    case 'partition': {
      const groups = randomHalves(lab.nodes, rng);
      await record('partition', groups, () => lab.partition(groups));
      return { what: `partition ${groups.map((g) => g.join(',')).join(' | ')}`, undo: async () => (await record('heal', undefined, () => lab.heal()), 'healed') };
    }
    case 'kill':
      await record('kill', one, () => lab.kill(one));
      return { what: `kill ${one} (its program's memory is lost)`, undo: async () => (await record('revive', one, () => lab.revive(one)), `revived ${one}`) };
    case 'pause':
      await record('pause', one, () => lab.pause(one));
      return { what: `pause ${one}`, undo: async () => (await record('resume', one, () => lab.resume(one)), `resumed ${one}`) };
    case 'clock': {
      // A step of 1–5 s, ahead or behind: the program reads its node's clock (libfaketime).
      const offsetMs = (rng.int(2) === 0 ? -1 : 1) * (1_000 + rng.int(4_001));
      await record('clock', { node: one, offsetMs }, () => lab.clock(one, { offsetMs }));
      const words = `${(Math.abs(offsetMs) / 1000).toFixed(1)} s ${offsetMs > 0 ? 'ahead' : 'behind'}`;
      return { what: `clock of ${one} set ${words}`, undo: async () => (await record('clock', { node: one, offsetMs: 0 }, () => lab.clock(one, { offsetMs: 0 })), `clock of ${one} set right`) };
    }
    case 'drop':
    case 'duplicate': {
      const faults = kind === 'drop' ? { dropPct: 20 } : { duplicatePct: 20 };
      await record(kind, faults, () => everyLink(faults));
      return { what: `${kind} 20% of the messages on every link`, undo: clear };
    }
    case 'slow': {
      const slow = { latencyMs: SLOW.latencyMs + (latencyMs ?? 0), jitterMs: SLOW.jitterMs };
      await record('slow', slow, () => everyLink(slow));
      return { what: `slow every link: ${slow.latencyMs} ± ${slow.jitterMs} ms`, undo: clear };
    }
  }
}

/** The proxy's message-level faults on the program's messages (not heartbeats). */
function proxyFaults(lines: readonly TraceLine[]): { dropped: number; duplicated: number } {
  let dropped = 0;
  let duplicated = 0;
  for (const l of lines) {
    if (l.kind !== 'proxy' || isHeartbeat(l)) continue;
    if (l.action === 'dropped') dropped++;
    if (l.action === 'duplicated') duplicated++;
  }
  return { dropped, duplicated };
}

/** Two groups, each at least one node, drawn from `rng`. */
function randomHalves(nodes: readonly string[], rng: Rng): string[][] {
  const shuffled = [...nodes];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const cut = 1 + rng.int(shuffled.length - 1);
  return [shuffled.slice(0, cut), shuffled.slice(cut)];
}

export async function runTest(o: TestOptions): Promise<TestReport> {
  const workload: Workload | undefined = WORKLOADS[o.workload];
  if (!workload) throw new FaultlineError('bad-usage', `no workload called "${o.workload}"; there are: ${Object.keys(WORKLOADS).join(', ')}`);
  if (o.nemesis.some((n) => n !== 'kill' && n !== 'pause' && n !== 'clock') && o.nodeCount < 2) throw new FaultlineError('bad-usage', `the ${o.nemesis.join(',')} nemesis needs at least 2 nodes (--node-count)`);
  const say = o.say ?? (() => undefined);
  checkProgram(o.bin[0]);
  await preflight(o.bin);
  const t0 = performance.now();
  const seed = o.seed ?? drawSeed();
  const lab = await startLab(
    { nodes: o.nodeCount, seed, runsDir: o.runsDir, program: [...o.bin] },
    { ...(o.logger ? { logger: o.logger } : {}), ...(o.signal ? { signal: o.signal } : {}), services: services(BigInt(seed)) },
  );
  try {
    return await drive(lab, workload, o, say, t0);
  } finally {
    await lab.stop();
  }
}

async function drive(lab: Lab, workload: Workload, o: TestOptions, say: (line: string) => void, t0: number): Promise<TestReport> {
  const since = lab.lastSeq;
  const seed = BigInt(lab.seed);
  const nodeIds = [...lab.nodes];
  say(`${nodeIds.length} nodes up, each running ${o.bin.join(' ')}`);
  say(`seed ${lab.seed} (--seed ${lab.seed} repeats the workload and the nemesis)`);
  if (o.dashboardDir) say(`watch it: ${await lab.serve(0, { dashboardDir: o.dashboardDir })}/ (the dashboard, while the test runs)`);
  if (o.latencyMs) for (const from of nodeIds) for (const to of nodeIds) if (from !== to) await lab.link(from, to, { latencyMs: o.latencyMs });
  const history: MaelstromHistoryEvent[] = [];
  // The clients' generator: it hears each completion (mv-register writes on what its client read).
  const generator = workload.generator({ rng: createRng(seed, 'maelstrom:generator'), nodeIds, ...o });
  let msgId = 0;
  const clock = (): number => performance.now() - t0;
  const record: NemesisRecorder = async (f, value, act) => {
    const event = { process: NEMESIS_PROCESS, type: 'info' as const, f, ...(value === undefined ? {} : { value }) };
    history.push({ ...event, time: clock() });
    const result = await act();
    history.push({ ...event, time: clock() });
    return result;
  };
  /** One operation of client `process`: invoke, ask, complete. */
  const perform = async (op: PlannedOp, process: number): Promise<MaelstromHistoryEvent> => {
    const invoke = invocation(op, process, clock());
    history.push(invoke);
    const result = await lab.client(op.node, { src: `c${process + 1}`, dest: op.node, body: { ...op.body, msg_id: ++msgId } }, o.timeoutMs).catch((err: unknown) => ({ outcome: 'timeout' as const, text: (err as Error).message }));
    const done = completion(workload, invoke, result.outcome === 'ok' && 'reply' in result && result.reply ? { kind: 'reply', body: result.reply.body } : { kind: 'timeout', ...('text' in result ? { text: result.text } : {}) }, clock());
    history.push(done);
    generator.observe?.(process, done);
    return done;
  };

  // Every program has answered init (a Python or JVM program takes a while to start): no client waits for a start-up.
  for (const node of nodeIds) {
    const ready = await lab.programReady(node, 30_000).catch(() => false);
    if (!ready) throw new FaultlineError('failed', `${node}'s program ${whyNotReady(lab.trace({ since }), node)}`);
  }
  // Setup (broadcast's topology): once, before any client, from a client of its own.
  const setupClient = 0;
  for (const m of workload.setup({ nodeIds, ...o })) {
    const reply = await lab.client(m.node, { src: `c${setupClient}`, dest: m.node, body: { ...m.body, msg_id: ++msgId } }, Math.max(o.timeoutMs, 5_000));
    if (reply.outcome !== 'ok') throw new FaultlineError('failed', `${m.node} did not answer ${m.body.type} (the workload's setup) within ${Math.max(o.timeoutMs, 5_000)} ms: is the program running? (its log: ${lab.runDir}/${m.node}.log)`);
  }

  // The clients: each one operation at a time, the operations spread at the rate over the time limit.
  const concurrency = o.concurrency ?? nodeIds.length;
  const busy = new Map<number, Promise<unknown>>();
  let lastClient = -1;
  const running: Promise<unknown>[] = [];
  const nemesisRng = createRng(seed, 'maelstrom:nemesis');
  const faults: { atS: number; what: string }[] = [];
  let nextNemesisMs = o.nemesis.length > 0 ? o.nemesisIntervalS * 1000 : Infinity;
  /** How to end the fault in force (a heal, a revive …), or undefined: none. */
  let undo: (() => Promise<string>) | undefined;
  const endMs = o.timeLimitS * 1000;
  const gapMs = 1000 / o.rate;
  let next = 0;
  // The time limit counts from here (not the lab's start): the clients' own time.
  const start = performance.now();
  say(`${workload.name}: ${o.rate} operations/s for ${o.timeLimitS} s, ${concurrency} clients${o.nemesis.length ? `, nemesis ${o.nemesis.join(',')} every ${o.nemesisIntervalS} s` : ''}`);
  while (!o.signal?.aborted) {
    const now = performance.now() - start;
    if (now >= endMs) break;
    if (now >= nextNemesisMs) {
      // A fault, then its end, then another fault … each drawn from the run's seed.
      nextNemesisMs += o.nemesisIntervalS * 1000;
      const at = `  ${(now / 1000).toFixed(1)} s: `;
      if (undo) {
        say(at + (await undo()));
        undo = undefined;
      } else {
        const fault = await strike(lab, o.nemesis[nemesisRng.int(o.nemesis.length)], nemesisRng, record, o.latencyMs);
        faults.push({ atS: now / 1000, what: fault.what });
        undo = fault.undo;
        say(at + fault.what);
      }
    }
    // The next free client after the last one that asked: every client (and so every node) gets its turn.
    const process = [...Array(concurrency).keys()].map((i) => (lastClient + 1 + i) % concurrency).find((p) => !busy.has(p));
    if (process === undefined) {
      // Every client waits for a reply: the next operation when one comes (or the next fault's time).
      await firstOf([...busy.values()], Math.max(1, Math.min(nextNemesisMs, endMs) - now), o.signal);
      continue;
    }
    if (now >= next * gapMs) {
      lastClient = process;
      const op = generator.next(process);
      const done = perform(op, process).finally(() => busy.delete(process));
      busy.set(process, done);
      running.push(done);
      next++;
      continue;
    }
    await sleep(Math.max(1, Math.min(next * gapMs, nextNemesisMs, endMs) - now), o.signal);
  }
  await Promise.allSettled(running);
  if (undo) say(`  ${((performance.now() - start) / 1000).toFixed(1)} s: ${await undo()}`);

  // The final reads: once healed, each node is read until it answers (at most 10 s each), as Maelstrom does.
  const finals = generator.final();
  if (finals.length > 0) {
    say('  healed; waiting for the final reads…');
    await sleep(Math.min(2_000, o.nemesisIntervalS * 1000), o.signal);
    for (const op of finals) {
      const deadline = performance.now() + 10_000;
      let done = await perform(op, concurrency);
      while (done.type !== 'ok' && performance.now() < deadline && !o.signal?.aborted) {
        await sleep(200, o.signal);
        done = await perform(op, concurrency);
      }
    }
  }

  const verdict = withAvailability(workload.check(history, { ...o, now: () => performance.now(), budgetMs: 10_000 }), o.availability);
  const lines = lab.trace({ since });
  const programSends = lines.filter((l) => l.kind === 'send' && !isHeartbeat(l));
  const ops = history.filter((e) => e.type === 'invoke').length;
  const report: TestReport = {
    workload: workload.name,
    bin: o.bin,
    seed: lab.seed,
    nodes: nodeIds.length,
    verdict,
    serverMessages: programSends.length,
    messagesPerOp: ops === 0 ? 0 : programSends.length / ops,
    nemesis: o.nemesis.length === 0 ? null : { faults, partitions: faults.filter((f) => f.what.startsWith('partition')).length, messagesCut: cutMessages(lines), ...proxyFaults(lines) },
    problems: problemsOf(lines),
    files: { history: join(lab.runDir, 'history.jsonl'), trace: lab.traceFile, reportJson: join(lab.runDir, 'report.json'), reportMd: join(lab.runDir, 'report.md') },
    durationMs: performance.now() - t0,
  };
  writeFileSync(report.files.history, history.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(report.files.reportJson, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(report.files.reportMd, renderMarkdown(report));
  return report;
}

/** The program's messages sent while a partition cut their link, and never received. */
function cutMessages(lines: readonly TraceLine[]): number {
  const received = new Set(lines.flatMap((l) => (l.kind === 'receive' ? [l.msg] : [])));
  let cut = new Set<string>();
  let count = 0;
  for (const l of lines) {
    if (l.kind === 'fault' && l.action === 'set' && l.fault.startsWith('partition')) cut = new Set(l.links);
    else if (l.kind === 'fault' && l.action === 'clear' && l.fault === 'heal') cut = new Set();
    // Sent into the cut (the proxy drops it), or refused by a link the cut had closed.
    else if ((l.kind === 'send' || l.kind === 'failed_send') && !isHeartbeat(l) && cut.has(`${l.node}-${l.to}`) && !received.has(l.msg)) count++;
  }
  return count;
}

/** What went wrong with the programs, from the trace: bad lines (the first few), exits. */
function problemsOf(lines: readonly TraceLine[]): string[] {
  const out: string[] = [];
  const malformed = lines.filter((l) => l.kind === 'malformed' && l.source === 'program');
  for (const l of malformed.slice(0, 5)) if (l.kind === 'malformed') out.push(`${l.node}: ${l.error}`);
  if (malformed.length > 5) out.push(`… and ${malformed.length - 5} more lines that were not messages`);
  for (const l of lines) if (l.kind === 'local' && l.label.startsWith('the program exited')) out.push(`${l.node}: ${l.label}`);
  return out;
}

export function renderMarkdown(r: TestReport): string {
  const v = r.verdict;
  const out = [
    `# faultline test -w ${r.workload}`,
    '',
    `Program: \`${r.bin.join(' ')}\` on ${r.nodes} nodes, seed ${r.seed}.`,
    '',
    `## Verdict: ${v.valid === true ? 'valid' : v.valid === false ? 'NOT valid' : 'unknown'}`,
    '',
    v.reason,
    '',
    '## Statistics',
    '',
    '```json',
    JSON.stringify(v.stats, null, 2),
    '```',
    '',
    `Messages between nodes: ${r.serverMessages} (${r.messagesPerOp.toFixed(2)} per operation).`,
    '',
  ];
  if (r.nemesis) out.push('## The nemesis', '', ...r.nemesis.faults.map((f) => `- ${f.atS.toFixed(1)} s: ${f.what}`), '', ...nemesisWords(r.nemesis), '');
  if (r.problems.length) out.push('## The program', '', ...r.problems.map((p) => `- ${p}`), '');
  out.push('## Files', '', `- history: ${r.files.history}`, `- trace: ${r.files.trace}`, '');
  return out.join('\n');
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const times = (n: number): string => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

/** "Did the fault actually happen?" in words, one line a kind of fault. */
export function nemesisWords(n: NemesisReport): string[] {
  if (n.faults.length === 0) return ['The nemesis made no fault (the run was shorter than its interval): this run says nothing about faults.'];
  const out: string[] = [];
  if (n.partitions > 0) {
    out.push(n.messagesCut === 0 ? `${plural(n.partitions, 'partition')}, but no message of the program crossed a cut while it held: they hit nothing.` : `${plural(n.partitions, 'partition')}; ${plural(n.messagesCut, 'message')} of the program lost crossing a cut.`);
  }
  const kills = n.faults.filter((f) => f.what.startsWith('kill')).length;
  const pauses = n.faults.filter((f) => f.what.startsWith('pause')).length;
  if (kills > 0) out.push(`${plural(kills, 'node')} killed and revived (a fresh program each time).`);
  if (pauses > 0) out.push(`${plural(pauses, 'node')} paused and resumed.`);
  const clocks = n.faults.filter((f) => f.what.startsWith('clock'));
  if (clocks.length > 0) out.push(`${plural(clocks.length, 'clock')} set wrong and then right (${clocks.map((f) => f.what.replace(/^clock of /, '')).join('; ')}): a program that reads the time through the C library (libfaketime) saw its node's, a Go program the machine's.`);
  if (n.faults.some((f) => f.what.startsWith('drop'))) out.push(n.dropped === 0 ? 'Drops on every link, but no message of the program was dropped: they hit nothing.' : `${plural(n.dropped, 'message')} of the program dropped by the proxy.`);
  const slowed = n.faults.filter((f) => f.what.startsWith('slow'));
  if (slowed.length > 0) out.push(`links slowed by ${slowed[0].what.replace(/^slow every link: /, '')} ${times(slowed.length)} (late messages, none lost).`);
  if (n.faults.some((f) => f.what.startsWith('duplicate'))) out.push(n.duplicated === 0 ? 'Duplication on every link, but no message of the program was duplicated: it hit nothing.' : `${plural(n.duplicated, 'message')} of the program duplicated by the proxy.`);
  return out;
}
