/**
 * npx tsx scripts/probe-scheduling.ts [seconds=5] [processes=1]
 *
 * How continuously does this machine run a process? Each process spins on the monotonic clock and
 * counts the gaps when it did not run. On a VM whose vCPUs are descheduled, gaps of milliseconds
 * bound how precise any timer (and so the latency toxic) can be. Prints one line per process.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const seconds = Number(process.argv[2] ?? 5);
const processes = Number(process.argv[3] ?? 1);

function spin(ms: number): string {
  const end = performance.now() + ms;
  let last = performance.now();
  const gaps: number[] = [];
  for (;;) {
    const now = performance.now();
    if (now > end) break;
    if (now - last > 0.2) gaps.push(now - last);
    last = now;
  }
  gaps.sort((a, b) => b - a);
  return `gaps > 0.2 ms: ${gaps.length}, > 1 ms: ${gaps.filter((g) => g > 1).length}, largest: ${gaps.slice(0, 5).map((g) => g.toFixed(2)).join(' ')} ms`;
}

if (process.env.PROBE_CHILD) {
  process.send?.(spin(seconds * 1000));
} else {
  const children = Array.from({ length: processes - 1 }, () => fork(process.argv[1], process.argv.slice(2), { env: { ...process.env, PROBE_CHILD: '1' }, execArgv: process.execArgv }));
  const results = children.map((c) => new Promise<string>((resolve) => c.once('message', (m) => resolve(m as string))));
  const mine = spin(seconds * 1000);
  console.log(`process 1 of ${processes}, ${seconds} s spinning: ${mine}`);
  (await Promise.all(results)).forEach((r, i) => console.log(`process ${i + 2} of ${processes}, ${seconds} s spinning: ${r}`));
  for (const c of children) c.kill();
}
