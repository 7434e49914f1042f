/**
 * `npm run soak -- --minutes 10 [--seed N] [--rate 20] [--json]`: a 5-node lab under steady RPC
 * load and a seeded nemesis (partitions, one-way blocks, kills, pauses, clock jumps, drops,
 * duplicates, holds), the memory of every process sampled; at the end every message of the trace
 * accounted for. Exit 0 when every message is explained and nothing crashed or stalled, 1 when not,
 * 2 on bad usage.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { MESSAGE_FATES } from '@faultline/checkers';
import { runSoak, soakVerdict, type SoakReport } from './soak/run-soak.js';

function usage(message: string): never {
  process.stderr.write(`soak: ${message}\nusage: npm run soak -- [--minutes 10] [--seed N] [--rate 20] [--runs-dir DIR] [--json]\n`);
  process.exit(2);
}

function parse(argv: readonly string[]): { minutes: number; seed: number; rate: number; runsDir?: string; json: boolean } {
  const o = { minutes: 10, seed: Math.floor(Math.random() * 2 ** 31), rate: 20, runsDir: undefined as string | undefined, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => argv[++i] ?? usage(`expected a value after ${a}`);
    const number = (min: number, max: number): number => {
      const v = value();
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) usage(`expected a number from ${min} to ${max} for ${a}, got "${v}"`);
      return n;
    };
    if (a === '--minutes') o.minutes = number(0.1, 24 * 60);
    else if (a === '--seed') o.seed = Math.trunc(number(0, Number.MAX_SAFE_INTEGER));
    else if (a === '--rate') o.rate = number(0.1, 1000);
    else if (a === '--runs-dir') o.runsDir = value();
    else if (a === '--json') o.json = true;
    else usage(`unknown option "${a}"`);
  }
  return o;
}

const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '-');

function print(r: SoakReport): void {
  const a = r.accounting;
  const out = (s: string): void => void process.stdout.write(`${s}\n`);
  out(`soak: seed ${r.seed}, ${(r.durationMs / 60_000).toFixed(1)} min, trace ${r.traceFile}`);
  out(`rpcs: ${r.rpcs.started} started, ${r.rpcs.ok} ok, ${r.rpcs.timeout} timed out, ${r.rpcs.failed} failed, ${r.rpcs.skipped} skipped (too many in flight); refused by the API: ${JSON.stringify(r.rpcs.refused)}`);
  out(`nemesis: ${Object.entries(r.nemesis.applied).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const fates = new Table({ style: { head: [], border: [] }, head: ['messages', ...MESSAGE_FATES, 'duplicates', 'not counted'] });
  fates.push([a.messages, ...MESSAGE_FATES.map((f) => a.counts[f]), `${a.duplicates} (proxy: ${a.duplicatedByProxy})`, a.notCounted]);
  out(fates.toString());
  for (const u of a.unexplained.slice(0, 20)) out(`unexplained: ${u.msg} ${u.from}→${u.to} ${u.msgType} #${u.seq}`);
  if (a.unexplainedDuplicates.length > 0) out(`duplicates no proxy line explains: ${a.unexplainedDuplicates.slice(0, 20).join(', ')}`);
  if (a.receivedWithoutSend.length > 0) out(`received, never sent: ${a.receivedWithoutSend.slice(0, 20).join(', ')}`);
  const mem = new Table({ style: { head: [], border: [] }, head: ['process', 'pid', 'lives', 'samples', 'first MB', 'last MB', 'max MB', 'slope MB/min'] });
  for (const m of r.memory) mem.push([m.name, m.pid, m.processes, m.samples, f1(m.firstMb), f1(m.lastMb), f1(m.maxMb), m.slopeMbPerMin.toFixed(2)]);
  out(mem.toString());
  out(`crashes: ${r.crashes.length}${r.crashes.map((c) => `\n  ${c}`).join('')}`);
  out(`stalls: ${r.stalls.length}${r.stalls.map((s) => `\n  ${s}`).join('')}`);
}

const o = parse(process.argv.slice(2));
process.stderr.write(`soak: seed ${o.seed} (replay with --seed ${o.seed}), ${o.minutes} min\n`);
const report = await runSoak({
  seed: o.seed,
  durationMs: o.minutes * 60_000,
  rpcPerSec: o.rate,
  runsDir: o.runsDir ?? mkdtempSync(join(tmpdir(), 'faultline-soak-')),
  log: (line) => void process.stderr.write(`${line}\n`),
});
if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
else print(report);
const verdict = soakVerdict(report);
if (verdict !== 0) process.stderr.write(`soak: FAILED (seed ${o.seed}; replay with --seed ${o.seed})\n`);
process.exit(verdict);
