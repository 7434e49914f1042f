/**
 * The soak's lab in a process of its own (so its memory and its crashes are its own, and the soak
 * talks to it only through the control API, as a student's CLI does): starts a lab, serves its
 * control API, prints one JSON line `LabInfo` on stdout, and stops the lab on SIGTERM or `POST
 * /down`. Run with `--expose-gc`, it then prints one more line every `--heap-every` ms (20,000):
 * `{"heapMb":N}`, its V8 heap in use right after a full GC, so that what the lab keeps is told
 * apart from garbage not yet collected and pages not given back (its RSS).
 * Usage: node --expose-gc --import tsx scripts/soak/lab-process.ts --nodes 5 --seed 42 --runs-dir DIR
 */
import { startLab } from '@faultline/coordinator';
import { pino } from 'pino';

export interface LabInfo {
  readonly controlUrl: string;
  readonly traceFile: string;
  readonly runDir: string;
  readonly seed: string;
  /** The coordinator's (this process), the proxy's, and each node's. */
  readonly pids: { readonly coordinator: number; readonly proxy: number[]; readonly nodes: Record<string, number> };
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const lab = await startLab(
  { nodes: Number(flag('nodes', '5')), seed: flag('seed', '1'), runsDir: flag('runs-dir', 'runs') },
  { logger: pino({ level: process.env.FAULTLINE_LOG_LEVEL ?? 'warn' }, pino.destination(2)) },
);
const controlUrl = await lab.serve(0);
const status = await lab.status();
const nodes = Object.fromEntries(status.nodes.map((n) => [n.id, n.pid ?? 0]));
const nodePids = new Set(Object.values(nodes));
const info: LabInfo = {
  controlUrl,
  traceFile: lab.traceFile,
  runDir: lab.runDir,
  seed: lab.seed,
  pids: { coordinator: process.pid, proxy: lab.resources().pids.filter((p) => !nodePids.has(p)), nodes },
};
process.stdout.write(`${JSON.stringify(info)}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc) {
  setInterval(() => {
    gc();
    process.stdout.write(`${JSON.stringify({ heapMb: process.memoryUsage().heapUsed / (1024 * 1024) })}\n`);
  }, Number(flag('heap-every', '20000'))).unref();
}
const stop = (): void => void lab.stop();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
await lab.stopped;
process.exit(0);
