/**
 * npm run bench (part): the lab in Docker (docker-compose.yml), each figure beside a baseline from
 * the same run: the image's size beside its base image's (what faultline adds), `compose up` to a
 * lab that answers beside the same five nodes started as processes here (`startLab`), and each
 * container's memory beside the same lab's processes here. Skipped, with the reason, where no
 * Docker engine and Compose answer. Stops what it started; leaves no container or network.
 *   tsx scripts/bench-docker.ts [--json]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '@faultline/coordinator';
import { execa, execaSync } from 'execa';
import { pino } from 'pino';

const json = process.argv.includes('--json');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROJECT = `faultline-bench-${process.pid}`;
const IMAGE = 'faultline:local';
const BASE = 'node:20-bookworm-slim';
const log = (s: string): void => {
  if (!json) process.stderr.write(`${s}\n`);
};

function composeCommand(): string[] | string {
  if (execaSync('docker', ['info'], { reject: false, timeout: 20_000 }).failed) return 'no Docker engine answers (docker info)';
  if (!execaSync('docker', ['compose', 'version'], { reject: false, timeout: 20_000 }).failed) return ['docker', 'compose'];
  if (!execaSync('docker-compose', ['version'], { reject: false, timeout: 20_000 }).failed) return ['docker-compose'];
  return 'no Docker Compose';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** "12.3MiB / 23.4GiB" → MiB. */
function mib(usage: string): number {
  const m = /^([0-9.]+)\s*([KMG]i?B)/.exec(usage.trim());
  if (!m) return NaN;
  const scale: Record<string, number> = { KiB: 1 / 1024, KB: 1 / 1024, MiB: 1, MB: 1, GiB: 1024, GB: 1024 };
  return Number(m[1]) * (scale[m[2]] ?? NaN);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Does `url` answer 200 within 2 s? The timer is a plain one: AbortSignal.timeout's does not keep
 * the process alive, and a connection the published port holds open before the coordinator
 * listens would then end the script with nothing left to wait for.
 */
async function answers(url: string): Promise<boolean> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 2_000);
  try {
    return await fetch(url, { signal: abort.signal }).then((r) => r.ok, () => false);
  } finally {
    clearTimeout(timer);
  }
}

const imageSize = async (ref: string): Promise<number> => Number((await execa('docker', ['image', 'inspect', ref, '--format', '{{.Size}}'])).stdout) / 1024 / 1024;

const compose = composeCommand();
if (typeof compose === 'string') {
  log(`docker: skipped (${compose})`);
  if (json) process.stdout.write(`${JSON.stringify({ bench: 'docker', skipped: compose })}\n`);
  process.exit(0);
}
const [file, ...pre] = compose;
const port = await freePort();
const env = { FAULTLINE_PORT: String(port), FAULTLINE_SEED: '1', ...(process.env.FAULTLINE_BUILD_NETWORK ? { FAULTLINE_BUILD_NETWORK: process.env.FAULTLINE_BUILD_NETWORK } : {}) };
const dc = (args: string[], timeout = 120_000) => execa(file, [...pre, '-p', PROJECT, ...args], { cwd: ROOT, env, timeout });
const figures: Record<string, number> = {};
const runsDir = mkdtempSync(join(tmpdir(), 'faultline-bench-docker-'));
try {
  await dc(['build'], 900_000);
  figures.image_mb = await imageSize(IMAGE);
  figures.base_image_mb = await imageSize(BASE);

  // compose up → the coordinator answers (it answers once every node is up and every link connected)
  const t = performance.now();
  await dc(['up', '-d']);
  for (;;) {
    const ok = await answers(`http://127.0.0.1:${port}/status`);
    if (ok) break;
    if (performance.now() - t > 120_000) throw new Error('the lab in Docker did not answer within 120 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  figures.compose_up_ms = performance.now() - t;
  const stats = await execa('docker', ['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}', ...(await dc(['ps', '-q'])).stdout.split('\n').filter(Boolean)]);
  const memory = stats.stdout.split('\n').map((line) => {
    const [name, usage] = line.split('\t');
    return { name: name.replace(`${PROJECT}_`, '').replace(/_1$/, ''), mib: mib(usage ?? '') };
  });
  const nodes = memory.filter((m) => /^n[0-9]+$/.test(m.name));
  figures.container_node_max_mib = Math.max(...nodes.map((m) => m.mib));
  figures.container_proxy_mib = memory.find((m) => m.name === 'proxy')?.mib ?? NaN;
  figures.container_coordinator_mib = memory.find((m) => m.name === 'coordinator')?.mib ?? NaN;
  await dc(['down', '-v', '--remove-orphans', '--timeout', '10']);

  // baseline: the same five nodes as processes here
  const t2 = performance.now();
  const lab = await startLab({ nodes: 5, seed: '1', runsDir }, { logger: pino({ level: 'silent' }) });
  figures.local_up_ms = performance.now() - t2;
  const status = await lab.status();
  figures.local_node_max_mb = Math.max(...status.nodes.map((n) => (n.pid === null ? NaN : rssMb(n.pid))));
  await lab.stop();

  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  const lines = [
    `image ${IMAGE}: ${figures.image_mb.toFixed(0)} MB; its base ${BASE} ${figures.base_image_mb.toFixed(0)} MB (faultline adds ${(figures.image_mb - figures.base_image_mb).toFixed(1)} MB, ${ratio(figures.image_mb, figures.base_image_mb)})`,
    `compose up → the lab answers (5 nodes, 20 links): ${figures.compose_up_ms.toFixed(0)} ms; the same lab as processes here ${figures.local_up_ms.toFixed(0)} ms (${ratio(figures.compose_up_ms, figures.local_up_ms)})`,
    `memory: largest node container (agent + node) ${figures.container_node_max_mib.toFixed(1)} MiB; a node process here ${figures.local_node_max_mb.toFixed(1)} MB (${ratio(figures.container_node_max_mib, figures.local_node_max_mb)}); proxy container ${figures.container_proxy_mib.toFixed(1)} MiB; coordinator container ${figures.container_coordinator_mib.toFixed(1)} MiB`,
  ];
  for (const l of lines) log(`docker: ${l}`);
  if (json) process.stdout.write(`${JSON.stringify({ bench: 'docker', figures })}\n`);
} finally {
  await dc(['down', '-v', '--remove-orphans', '--timeout', '10']).catch(() => undefined);
  rmSync(runsDir, { recursive: true, force: true });
}
