/**
 * npm run fuzz-proxy -- [--seed N] [--requests 100000] [--connections 1000]
 * Fuzzes faultline-proxy's HTTP API and proxied WebSocket connections; prints the seed first and
 * one JSON result per target; exits 1 if anything crashed, hung, refused unclearly or touched the
 * control link.
 */
import { fuzzProxiedWs, fuzzProxyApi, type ProxyFuzzResult } from './fuzz/proxy.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function count(name: string, fallback: number): number {
  const text = flag(name, String(fallback));
  if (!/^[0-9]+$/.test(text)) {
    process.stderr.write(`fuzz-proxy: expected a whole number for --${name}, got "${text}"\n`);
    process.exit(2);
  }
  return Number(text);
}

const seedText = flag('seed', String(Date.now()));
if (!/^[0-9]+$/.test(seedText)) {
  process.stderr.write(`fuzz-proxy: expected an integer for --seed, got "${seedText}"\n`);
  process.exit(2);
}
const seed = BigInt(seedText);
const requests = count('requests', 100_000);
const connections = count('connections', 1_000);
process.stderr.write(`fuzz-proxy: seed ${seed} (replay with --seed ${seed}), ${requests} API requests, ${connections} WebSocket connections\n`);

const failed = (r: ProxyFuzzResult): boolean => r.crashes + r.hangs + r.nonOneLineErrors + r.unclearErrors + r.bugs > 0 || r.otherLinkAffected;
const results: ProxyFuzzResult[] = [];
if (requests > 0) results.push(await fuzzProxyApi({ seed, requests, progress: (n) => process.stderr.write(`  api ${n}/${requests}\r`) }));
if (connections > 0) results.push(await fuzzProxiedWs({ seed, connections, progress: (n) => process.stderr.write(`  ws ${n}/${connections}\r`) }));
for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
const bad = results.filter(failed);
if (bad.length > 0) process.stderr.write(`fuzz-proxy: FAILED (${bad.map((r) => r.target).join(', ')}); replay with --seed ${seed}\n`);
process.exit(bad.length > 0 ? 1 : 0);
