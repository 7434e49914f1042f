/**
 * The lab's benchmark (part of `npm run bench`): time from `startLab` to every link connected for
 * 3, 10 and 20 nodes (20 nodes = 380 proxies), with the proxy's own start-up as the baseline; and
 * the RSS of each node and of the coordinator. Everything started is stopped; only 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Table from 'cli-table3';
import { startLab } from '@faultline/coordinator';
import { spawnProxy } from '@faultline/proxy';
import { execa } from 'execa';
import { pino } from 'pino';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const sizes = quick ? [3, 10] : [3, 10, 20];
const TARGET_MS: Record<number, number> = { 3: 1500, 20: 5000 };

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const log = (s: string): void => {
  if (!json) process.stderr.write(`${s}\n`);
};

const runsDir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
const rows: Array<Record<string, string | number>> = [];
const figures: Record<string, number> = {};
try {
  // baseline: starting the proxy process alone (the fixed cost every lab pays)
  let t = performance.now();
  const proxy = await spawnProxy(['--seed', '1']);
  const proxyMs = performance.now() - t;
  await proxy.stop();
  figures.proxy_start_ms = proxyMs;
  log(`proxy process start: ${proxyMs.toFixed(0)} ms (baseline)`);

  // baseline for memory: an idle Node.js process with nothing loaded
  const bare = execa(process.execPath, ['-e', 'setTimeout(() => {}, 5000)']);
  await new Promise((r) => setTimeout(r, 500));
  const bareRss = rssMb(bare.pid!);
  bare.kill();
  await bare.catch(() => undefined);
  figures.rss_bare_node_mb = bareRss;
  log(`idle bare Node.js process: ${bareRss.toFixed(1)} MB RSS (baseline)`);

  for (const n of sizes) {
    t = performance.now();
    const lab = await startLab({ nodes: n, seed: '1', runsDir }, { logger: pino({ level: 'silent' }) });
    const upMs = performance.now() - t;
    const status = await lab.status();
    const nodePids = status.nodes.map((node) => node.pid).filter((pid): pid is number => pid !== null);
    const nodeRss = nodePids.map(rssMb).filter((x) => Number.isFinite(x));
    const maxNodeRss = Math.max(...nodeRss);
    const otherPids = lab.resources().pids.filter((pid) => !nodePids.includes(pid));
    const proxyRss = Math.max(...otherPids.map(rssMb).filter((x) => Number.isFinite(x)));
    const coordinatorRss = rssMb(process.pid);
    await lab.stop();
    figures[`up_${n}_nodes_ms`] = upMs;
    figures[`rss_max_node_${n}_nodes_mb`] = maxNodeRss;
    figures[`rss_proxy_${n}_nodes_mb`] = proxyRss;
    figures[`rss_coordinator_${n}_nodes_mb`] = coordinatorRss;
    const target = TARGET_MS[n];
    rows.push({
      measure: `${n} nodes, ${n * (n - 1)} links: up until every link connected`,
      value: `${upMs.toFixed(0)} ms`,
      baseline: `${proxyMs.toFixed(0)} ms proxy start`,
      target: target ? `≤ ${target} ms` : '',
      verdict: target ? (upMs <= target ? 'ok' : 'MISSED') : '',
    });
    rows.push({
      measure: `${n} nodes: RSS of the largest node`,
      value: `${maxNodeRss.toFixed(1)} MB`,
      baseline: `bare Node ${bareRss.toFixed(1)} MB; proxy ${proxyRss.toFixed(1)} MB, coordinator ${coordinatorRss.toFixed(1)} MB`,
      target: '≤ 50 MB per node',
      verdict: maxNodeRss <= 50 ? 'ok' : 'MISSED',
    });
    log(`${n} nodes: up in ${upMs.toFixed(0)} ms; largest node RSS ${maxNodeRss.toFixed(1)} MB; proxy ${proxyRss.toFixed(1)} MB; coordinator ${coordinatorRss.toFixed(1)} MB`);
  }
} finally {
  rmSync(runsDir, { recursive: true, force: true });
}

if (json) process.stdout.write(`${JSON.stringify({ figures, rows })}\n`);
else {
  const table = new Table({ head: ['lab measure', 'value', 'baseline (same run)', 'target', ''], style: { head: [], border: [] } });
  for (const r of rows) table.push([r.measure, r.value, r.baseline, r.target, r.verdict]);
  process.stdout.write(`${table.toString()}\n`);
}
