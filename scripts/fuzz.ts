/**
 * `npm run fuzz [-- --seed N --scale full|slice --only NAME]`: the fuzz targets, seeded (the seed
 * is printed), and a table of cases, crashes, hangs and bad errors each. Exit 0 when all are clean,
 * 1 when not, 2 on bad usage. Targets: lesson files, CLI flags, node WebSockets, control frames,
 * the proxy's HTTP API and proxied WebSockets.
 */
import Table from 'cli-table3';
import { fuzzCliFlags } from './fuzz/cli-flags.js';
import { fuzzControl } from './fuzz/control.js';
import { fuzzLessons } from './fuzz/lessons.js';
import { fuzzNodeWs } from './fuzz/node-ws.js';
import { fuzzProxiedWsTarget, fuzzProxyApiTarget } from './fuzz/proxy-targets.js';
import type { FuzzResult, FuzzScale, FuzzTarget } from './fuzz/target.js';

function usage(message: string): never {
  process.stderr.write(`fuzz: ${message}\nusage: npm run fuzz -- [--seed N] [--scale full|slice] [--only NAME] [--json]\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
let seed = Math.floor(Math.random() * 2 ** 31);
let scale: FuzzScale = 'full';
let only: string | undefined;
let json = false;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = (): string => argv[++i] ?? usage(`expected a value after ${a}`);
  if (a === '--seed') {
    const v = value();
    if (!/^[0-9]+$/.test(v)) usage(`expected a non-negative integer for --seed, got "${v}"`);
    seed = Number(v);
  } else if (a === '--scale') {
    const v = value();
    if (v !== 'full' && v !== 'slice') usage(`expected full or slice for --scale, got "${v}"`);
    scale = v;
  } else if (a === '--only') only = value();
  else if (a === '--json') json = true;
  else usage(`unknown option "${a}"`);
}

const targets: Array<[string, FuzzTarget]> = [
  ['lessons', fuzzLessons],
  ['cli', fuzzCliFlags],
  ['node-ws', fuzzNodeWs],
  ['control', fuzzControl],
  ['proxy-api', fuzzProxyApiTarget],
  ['proxied-ws', fuzzProxiedWsTarget],
];
const chosen = targets.filter(([name]) => only === undefined || name === only);
if (chosen.length === 0) usage(`no target "${only}" (there are: ${targets.map(([n]) => n).join(', ')})`);

process.stderr.write(`fuzz: seed ${seed} (replay with --seed ${seed}), scale ${scale}\n`);
const results: Array<FuzzResult & { seconds: number }> = [];
for (const [name, target] of chosen) {
  process.stderr.write(`fuzz: ${name}…\n`);
  const t = performance.now();
  results.push({ ...(await target({ seed, scale })), seconds: (performance.now() - t) / 1000 });
}
if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
else {
  const table = new Table({ style: { head: [], border: [] }, head: ['target', 'seed', 'cases', 'crashes', 'hangs', 'bad errors', 's'] });
  for (const r of results) table.push([r.name, r.seed, r.cases, r.crashes, r.hangs, r.badErrors.length, r.seconds.toFixed(0)]);
  process.stdout.write(`${table.toString()}\n`);
  for (const r of results) {
    if (r.notes) process.stdout.write(`${r.name}: ${r.notes}\n`);
    for (const e of r.badErrors) process.stdout.write(`${r.name}: ${e}\n`);
  }
}
const clean = results.every((r) => r.crashes === 0 && r.hangs === 0 && r.badErrors.length === 0);
if (!clean) process.stderr.write(`fuzz: FAILED (replay with --seed ${seed} --scale ${scale})\n`);
process.exit(clean ? 0 : 1);
