/**
 * A lab in a process of its own, driven over stdin/stdout (one JSON line each way), so a test or
 * a probe can measure the lab's memory from outside: `tsx scripts/support/lab-process.ts`.
 *
 * It prints `{"ready":true,"pid":…,"controlUrl":…,"traceFile":…,"seed":…}` once the lab serves,
 * then answers each command line: `{"burst":N}` (n1 → n2, N messages; answers once n2's every
 * receive is in the trace) with `{"lastSeq":…,"traceBytes":…}`, `{"gc":true}` (a full garbage
 * collection when started with --expose-gc) with `{"ok":true}` and `process.memoryUsage()`. Stdin closing stops the lab.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startLab, type Lab } from '@faultline/coordinator';
import { pino } from 'pino';

const BURST_BOUND_MS = 60_000;

function say(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function burst(lab: Lab, count: number): Promise<void> {
  let received = 0;
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const unsubscribe = lab.subscribe((line) => {
    if (line.kind === 'receive' && line.node === 'n2' && line.msgType === 'burst' && ++received === count) resolveAll();
  });
  try {
    await lab.burst('n1', 'n2', count);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`burst: ${received} of ${count} received`)), BURST_BOUND_MS)));
    await Promise.race([all, late]).finally(() => clearTimeout(timer));
  } finally {
    unsubscribe();
  }
}

const runsDir = mkdtempSync(join(tmpdir(), 'faultline-lab-process-'));
const lab = await startLab({ nodes: 2, runsDir, seed: process.env.FAULTLINE_SEED }, { logger: pino({ level: 'warn' }, pino.destination(2)) });
const controlUrl = await lab.serve(0);
say({ ready: true, pid: process.pid, controlUrl, traceFile: lab.traceFile, seed: lab.seed });

const input = createInterface({ input: process.stdin });
for await (const text of input) {
  try {
    const command = JSON.parse(text) as { burst?: number; gc?: boolean };
    if (command.burst !== undefined) {
      await burst(lab, command.burst);
      say({ lastSeq: lab.lastSeq, traceBytes: statSync(lab.traceFile).size });
    } else if (command.gc === true) {
      (globalThis as { gc?: () => void }).gc?.();
      say({ ok: true, ...process.memoryUsage() });
    } else say({ error: `unknown command ${text}` });
  } catch (err) {
    say({ error: (err as Error).message });
  }
}
await lab.stop();
rmSync(runsDir, { recursive: true, force: true });
