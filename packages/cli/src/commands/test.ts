/**
 * test -w WORKLOAD --bin PROG [ARGS…]: a program speaking Maelstrom's protocol (a Gossip Glomers
 * solution, in any language) on every node of a real lab, under a workload's clients and a
 * nemesis, and whether its history holds. Flags as Maelstrom names them where it has them, so a
 * Gossip Glomers README works with `npx faultline` in place of `maelstrom`. Exit 0 valid, 1 not
 * valid or unknown, 2 bad usage.
 */
import type { Command } from 'commander';
import { DEFAULT_DETECTION_MS, DEFAULT_MAX_FALSE_RATE, TOPOLOGIES, WORKLOADS, type TopologyName } from '@faultline/maelstrom';
import { FaultlineError, MAELSTROM_WORKLOADS, type MaelstromWorkloadName } from '@faultline/protocol';
import { pino } from 'pino';
import { findLibfaketime, NO_LIBFAKETIME } from '@faultline/protocol/faketime';
import { NEMESES, nemesisWords, runTest, SLOW, type Nemesis, type TestReport } from '../maelstrom/run-test.js';
import { output, run } from '../output.js';
import { parseDuration } from '../units.js';
import type { GlobalOptions } from './global.js';

interface TestFlags {
  workload: string;
  bin?: string[];
  nodeCount: string;
  timeLimit: string;
  rate: string;
  concurrency?: string;
  latency?: string;
  nemesis?: string;
  nemesisInterval: string;
  topology?: string;
  timeout: string;
  seed?: string;
  availability?: string;
  keyCount?: string;
  maxTxnLength?: string;
  maxWritesPerKey?: string;
  detectionDeadline?: string;
  maxFalseRate?: string;
}

function count(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n < min || n > max) throw new FaultlineError('bad-usage', `expected a number from ${min} to ${max} for ${flag}, got "${value}"`);
  return n;
}

/** Seconds, as Maelstrom takes them (`--time-limit 10`), or a duration (`10s`, `500ms`). */
function seconds(value: string, flag: string): number {
  return /^\d+(\.\d+)?$/.test(value) ? count(value, flag, 0.1, 3600) : parseDuration(value, flag) / 1000;
}

const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** `text` folded at spaces to `width` columns: its own indent kept, the lines after the first indented two more. */
export function fold(text: string, width = process.stdout.columns || 80): string[] {
  const indent = /^ */.exec(text)![0];
  const out: string[] = [];
  let line = indent;
  for (const word of text.slice(indent.length).split(' ')) {
    if (line.trim() !== '' && [...line].length + 1 + [...word].length > width) {
      out.push(line);
      line = `${indent}  ${word}`;
    } else line = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
  }
  if (line.trim() !== '') out.push(line);
  return out;
}

/** Maelstrom's flags that faultline does not take, each with why (a Gossip Glomers README may use them). */
const NOT_HERE: Readonly<Record<string, string>> = {
  logStderr: "--log-stderr: faultline keeps each program's stderr in runs/<time>/<node>.log rather than printing it",
  consistencyModels: '--consistency-models: faultline checks each workload by its own model (docs/maelstrom.md)',
  testCount: '--test-count: run faultline test again (with --seed to repeat a run)',
  latencyDist: '--latency-dist: faultline adds a fixed --latency (the proxy can add jitter: faultline link --jitter)',
};

function summary(r: TestReport): string[] {
  const v = r.verdict;
  const mark = v.valid === true ? '✓ valid' : v.valid === false ? '✗ NOT valid' : '? unknown';
  const stats = v.stats as { operations?: number; ok?: number; fail?: number; info?: number; availability?: number; latencyMs?: { p50: number; p95: number; p99: number; max: number } | null };
  const lines = ['', ...fold(`${mark}: ${v.reason}`)];
  if (stats.operations !== undefined) {
    lines.push(`operations ${stats.operations}: ${stats.ok ?? 0} ok, ${stats.fail ?? 0} failed, ${stats.info ?? 0} unknown; availability ${percent(stats.availability ?? 1)}`);
  }
  if (stats.latencyMs) lines.push(`latency (ok): p50 ${stats.latencyMs.p50.toFixed(0)} ms, p95 ${stats.latencyMs.p95.toFixed(0)} ms, p99 ${stats.latencyMs.p99.toFixed(0)} ms, max ${stats.latencyMs.max.toFixed(0)} ms`);
  lines.push(`messages between nodes: ${r.serverMessages} (${r.messagesPerOp.toFixed(2)} per operation)`);
  if (r.nemesis) for (const words of nemesisWords(r.nemesis)) lines.push(...fold(words));
  for (const p of r.problems) lines.push(...fold(`the program: ${p}`));
  lines.push(`report: ${r.files.reportMd}`, `history: ${r.files.history}`, `trace: ${r.files.trace}`);
  return lines;
}

export function registerTestCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('test')
    .description("run a program speaking Maelstrom's protocol on every node, under a workload and faults, and check what it did")
    .requiredOption('-w, --workload <name>', `the workload: ${MAELSTROM_WORKLOADS.join(', ')}`)
    .option('--bin <command...>', 'the program and its arguments (e.g. --bin python3 echo.py)')
    .option('--node-count <n>', 'how many nodes', '3')
    .option('--time-limit <s>', 'how long the clients run, in seconds', '10')
    .option('--rate <r>', 'operations a second, all clients together', '10')
    .option('--concurrency <n>', 'clients at once (default: one per node)')
    .option('--latency <ms>', 'latency added to every link, in ms')
    .option('--nemesis <faults>', `faults during the run: ${NEMESES.join(',')} (slow: ${SLOW.latencyMs} ± ${SLOW.jitterMs} ms on every link)`)
    .option('--nemesis-interval <s>', 'seconds between two faults (a partition, then its heal)', '10')
    .option('--topology <name>', `broadcast's suggested topology: ${TOPOLOGIES.join(', ')}`)
    .option('--timeout <duration>', "a client's wait for a reply", '1s')
    .option('--seed <n>', 'replays the workload and the nemesis of an earlier run')
    .option('--availability <a>', "the share of operations that must succeed: total (every one) or a fraction like 0.99")
    .option('--key-count <n>', 'lin-kv, txn-list-append, mv-register: keys in play at once')
    .option('--max-txn-length <n>', 'txn-list-append: micro-operations a transaction at most')
    .option('--max-writes-per-key <n>', 'txn-list-append: appends to a key before a fresh one')
    .option('--detection-deadline <duration>', `failure-detector: a node down longer must be suspected within it (${DEFAULT_DETECTION_MS} ms)`)
    .option('--max-false-rate <f>', `failure-detector: the share of false suspicions allowed (${DEFAULT_MAX_FALSE_RATE})`)
    .option('--log-stderr', '(Maelstrom\'s; not here: see the error)')
    .option('--consistency-models <m>', '(Maelstrom\'s; not here)')
    .option('--test-count <n>', '(Maelstrom\'s; not here)')
    .option('--latency-dist <d>', '(Maelstrom\'s; not here)')
    .action((flags: TestFlags) =>
      run(async () => {
        const out = output(globals().json);
        for (const [flag, why] of Object.entries(NOT_HERE)) if ((flags as unknown as Record<string, unknown>)[flag] !== undefined) throw new FaultlineError('bad-usage', why);
        if (!(flags.workload in WORKLOADS)) throw new FaultlineError('bad-usage', `no workload called "${flags.workload}"; there are: ${MAELSTROM_WORKLOADS.join(', ')}`);
        if (!flags.bin || flags.bin.length === 0) throw new FaultlineError('bad-usage', 'expected --bin PROG [ARGS…]: the program every node runs');
        const nemesis = (flags.nemesis ?? '').split(',').filter(Boolean);
        const unknown = nemesis.find((n) => !(NEMESES as readonly string[]).includes(n));
        if (nemesis.includes('clock') && findLibfaketime() === undefined) throw new FaultlineError('bad-usage', `--nemesis clock: ${NO_LIBFAKETIME}`);
        if (unknown !== undefined) throw new FaultlineError('bad-usage', `expected --nemesis from ${NEMESES.join(', ')}, got "${unknown}"`);
        if (flags.topology !== undefined && !(TOPOLOGIES as readonly string[]).includes(flags.topology)) throw new FaultlineError('bad-usage', `expected --topology from ${TOPOLOGIES.join(', ')}, got "${flags.topology}"`);
        const controller = new AbortController();
        process.once('SIGINT', () => controller.abort());
        // The dashboard, built once (or the image's): a run is worth watching; without it the test still runs.
        const { dashboardDir } = await import('@faultline/dashboard');
        const page = await dashboardDir().catch(() => undefined);
        const report = await runTest({
          ...(page ? { dashboardDir: page } : {}),
          workload: flags.workload as MaelstromWorkloadName,
          bin: flags.bin,
          nodeCount: count(flags.nodeCount, '--node-count', 1, 50),
          timeLimitS: seconds(flags.timeLimit, '--time-limit'),
          rate: count(flags.rate, '--rate', 0.1, 10_000),
          ...(flags.concurrency === undefined ? {} : { concurrency: count(flags.concurrency, '--concurrency', 1, 1000) }),
          ...(flags.latency === undefined ? {} : { latencyMs: count(flags.latency, '--latency', 0, 60_000) }),
          nemesis: nemesis as Nemesis[],
          nemesisIntervalS: seconds(flags.nemesisInterval, '--nemesis-interval'),
          ...(flags.topology === undefined ? {} : { topology: flags.topology as TopologyName }),
          timeoutMs: parseDuration(flags.timeout, '--timeout'),
          ...(flags.keyCount === undefined ? {} : { keyCount: count(flags.keyCount, '--key-count', 1, 1000) }),
          ...(flags.maxTxnLength === undefined ? {} : { maxTxnLength: count(flags.maxTxnLength, '--max-txn-length', 1, 100) }),
          ...(flags.maxWritesPerKey === undefined ? {} : { maxWritesPerKey: count(flags.maxWritesPerKey, '--max-writes-per-key', 1, 10_000) }),
          ...(flags.detectionDeadline === undefined ? {} : { detectionMs: parseDuration(flags.detectionDeadline, '--detection-deadline') }),
          ...(flags.maxFalseRate === undefined ? {} : { maxFalseRate: count(flags.maxFalseRate, '--max-false-rate', 0, 1) }),
          ...(flags.availability === undefined ? {} : { availability: flags.availability === 'total' ? 'total' : count(flags.availability, '--availability', 0, 1) }),
          ...(flags.seed === undefined ? {} : { seed: flags.seed }),
          runsDir: 'runs',
          logger: pino({ level: 'error' }),
          signal: controller.signal,
          say: (line) => out.line(line),
        });
        out.result(report);
        for (const line of summary(report)) out.line(line);
        if (report.verdict.valid !== true) process.exitCode = 1;
      }),
    );
}
