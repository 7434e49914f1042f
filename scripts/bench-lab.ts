/**
 * The lab's benchmark (part of `npm run bench`): time from `startLab` to every link connected for
 * 3, 10 and 20 nodes (20 nodes = 380 proxies), with the proxy's own start-up as the baseline; and
 * the RSS of each node and of the coordinator; and traced messages per second on one link through
 * the proxy (a burst n1 → n2 until the coordinator has every `receive` at n2 in its trace), with
 * the same lab without proxies (`direct`) as the baseline. Everything started is stopped; only
 * 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Table from 'cli-table3';
import { spawnProxy, startLab, type Lab } from '@faultline/coordinator';
import { execa } from 'execa';
import { pino } from 'pino';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const sizes = quick ? [3, 10] : [3, 10, 20];
const TARGET_MS: Record<number, number> = { 3: 1500, 20: 5000 };
const BURST = quick ? 5_000 : 20_000;
const TARGET_MSGS_PER_S = 20_000;

/** Messages/s of a burst n1 → n2: from the command until the trace has every one of them received at n2. */
async function burstRate(lab: Lab, count: number): Promise<number> {
  let received = 0;
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const unsubscribe = lab.subscribe((line) => {
    if (line.kind === 'receive' && line.node === 'n2' && line.msgType === 'burst' && ++received === count) resolveAll();
  });
  try {
    const t = performance.now();
    const { sent } = await lab.burst('n1', 'n2', count);
    if (sent !== count) throw new Error(`burst: only ${sent} of ${count} sent`);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`burst: ${received} of ${count} received after 60 s`)), 60_000).unref());
    await Promise.race([all, timeout]);
    return count / ((performance.now() - t) / 1000);
  } finally {
    unsubscribe();
  }
}

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

  // traced messages per second on one link: through the proxy, and direct (baseline)
  const rates: Record<string, number> = {};
  for (const mode of ['direct', 'proxy'] as const) {
    const lab = await startLab({ nodes: 2, seed: '1', runsDir }, { logger: pino({ level: 'silent' }), direct: mode === 'direct' });
    try {
      await burstRate(lab, 500); // warm-up (JIT, socket buffers)
      rates[mode] = await burstRate(lab, BURST);
    } finally {
      await lab.stop();
    }
    figures[`burst_${mode}_msgs_per_s`] = rates[mode];
    log(`burst of ${BURST} n1 → n2, ${mode}: ${rates[mode].toFixed(0)} traced msgs/s`);
  }
  figures.burst_proxy_over_direct = rates.proxy / rates.direct;
  rows.push({
    measure: `burst of ${BURST} n1 → n2 through the proxy: traced msgs/s`,
    value: `${rates.proxy.toFixed(0)}/s`,
    baseline: `${rates.direct.toFixed(0)}/s direct (×${(rates.proxy / rates.direct).toFixed(2)})`,
    target: `≥ ${TARGET_MSGS_PER_S}/s`,
    verdict: rates.proxy >= TARGET_MSGS_PER_S ? 'ok' : 'MISSED',
  });
} finally {
  rmSync(runsDir, { recursive: true, force: true });
}

if (json) process.stdout.write(`${JSON.stringify({ figures, rows })}\n`);
else {
  const table = new Table({ head: ['lab measure', 'value', 'baseline (same run)', 'target', ''], style: { head: [], border: [] } });
  for (const r of rows) table.push([r.measure, r.value, r.baseline, r.target, r.verdict]);
  process.stdout.write(`${table.toString()}\n`);
}
