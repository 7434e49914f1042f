/**
 * The linearizability checker's benchmark (part of `npm run bench`): histories a seeded generator
 * makes linearizable (clients whose operations overlap at random, each taking effect at a random
 * instant inside its call), checked with `checkLinearizable`. Baseline: pairing the same history's
 * events into operations (`pairOperations`), the linear pass every check starts with. The figures
 * issue 12 asks for: a lesson-sized history (2,000 operations, 10 clients) in ≤ 250 ms; 1,700
 * key-value operations from 50 clients in ≤ 1 s; 10,000 operations from 10 clients; and how the
 * time grows with operations and clients. The seed is printed (`--seed N` replays it).
 */
import Table from 'cli-table3';
import { checkLinearizable, pairOperations } from '@faultline/checkers';
import type { HistoryEvent, HistoryModel } from '@faultline/protocol';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const seedAt = process.argv.indexOf('--seed');
const SEED = seedAt > 0 ? Number(process.argv[seedAt + 1]) : 20261204;
const log = (s: string): void => {
  if (!json) process.stderr.write(`${s}\n`);
};

/** A linearizable history: `n` operations of `clients` clients on `keys` keys (reads/gets and writes/puts, half each). */
function history(n: number, clients: number, keys: number, seed: number): HistoryEvent[] {
  let s = seed >>> 0 || 1;
  const rand = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const free = new Array<number>(clients).fill(0);
  const ops: { p: number; key: string; write: boolean; value: number; call: number; at: number; ret: number; out?: unknown }[] = [];
  for (let i = 0; i < n; i++) {
    const p = i % clients;
    const call = free[p] + rand() * 3;
    const at = call + rand() * 5;
    const ret = at + rand() * 5;
    free[p] = ret + 0.1;
    ops.push({ p, key: `k${Math.floor(rand() * keys)}`, write: rand() < 0.5, value: i, call, at, ret });
  }
  const state = new Map<string, number>();
  for (const o of [...ops].sort((a, b) => a.at - b.at)) {
    if (o.write) state.set(o.key, o.value);
    else o.out = state.get(o.key) ?? null;
  }
  const events: { e: HistoryEvent; t: number }[] = [];
  for (const o of ops) {
    const f = keys === 1 ? (o.write ? 'write' : 'read') : o.write ? 'put' : 'get';
    const key = keys === 1 ? {} : { key: o.key };
    events.push({ e: { process: o.p, type: 'invoke', f, ...key, ...(o.write ? { value: o.value } : {}), time: o.call }, t: o.call });
    events.push({ e: { process: o.p, type: 'ok', f, ...key, value: o.write ? o.value : o.out, time: o.ret }, t: o.ret });
  }
  return events.sort((a, b) => a.t - b.t).map((x) => x.e);
}

interface Row {
  readonly name: string;
  readonly operations: number;
  readonly clients: number;
  readonly keys: number;
  readonly result: string;
  readonly ms: number;
  readonly baselineMs: number;
  readonly target?: string;
}

function measure(name: string, n: number, clients: number, keys: number, target?: string): Row {
  const events = history(n, clients, keys, SEED + n + clients + keys);
  const model: HistoryModel = keys === 1 ? 'register' : 'kv';
  const b0 = performance.now();
  pairOperations(events);
  const baselineMs = performance.now() - b0;
  const t0 = performance.now();
  // A bound on each: a history that is too hard says `unknown` after 10 s, and the bench goes on.
  const verdict = checkLinearizable(events, model, { budgetMs: 10_000, now: () => performance.now() });
  const ms = performance.now() - t0;
  return { name, operations: n, clients, keys, result: verdict.result, ms, baselineMs, ...(target ? { target } : {}) };
}

log(`seed ${SEED} (replay: npm run bench -- --seed ${SEED})`);
const rows: Row[] = [
  measure('lesson-sized', 2_000, 10, 1, '≤ 250 ms'),
  measure('kv, many clients', 1_700, 50, 8, '≤ 1 s'),
  ...(quick ? [] : [measure('large', 10_000, 10, 1)]),
  ...[500, 1_000, 2_000, 4_000, ...(quick ? [] : [8_000])].map((n) => measure('growth: operations', n, 10, 1)),
  ...[2, 5, 10, 20, ...(quick ? [] : [40])].map((c) => measure('growth: clients', 2_000, c, 1)),
];
if (json) process.stdout.write(`${JSON.stringify({ seed: SEED, rows })}\n`);
else {
  const table = new Table({ head: ['history', 'operations', 'clients', 'keys', 'verdict', 'check', 'baseline (pairing)', 'ratio', 'target'], style: { head: [], border: [] } });
  for (const r of rows) table.push([r.name, r.operations, r.clients, r.keys, r.result, `${r.ms.toFixed(0)} ms`, `${r.baselineMs.toFixed(1)} ms`, `${(r.ms / Math.max(r.baselineMs, 0.01)).toFixed(0)}×`, r.target ?? '']);
  process.stdout.write(`linearizability checker (generated linearizable histories, seed ${SEED})\n${table.toString()}\n`);
}
