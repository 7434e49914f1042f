/**
 * Hosting a program (part of `npm run bench`; alone: `npm run bench -- program`): what it costs
 * that every node runs a student's program speaking Maelstrom's protocol (`faultline test --bin`)
 * instead of the node's own built-in behaviours, each figure beside its baseline from the same run:
 *
 * - traced messages per second n1 → n2 through the proxy, made by a hosted JavaScript program
 *   (tests/fixtures/maelstrom/flood.mjs: a client's `flood` makes it print that many messages, each
 *   sent by its node on the real link and handed to n2's program), against the same burst made by
 *   the node itself (`lab.burst`, the built-in load; bench-lab.ts's figure), until the coordinator
 *   has every `receive` at n2 in its trace;
 * - the CPU time a message costs the lab's processes together (nodes, the programs, the proxy;
 *   from /proc), which a loaded machine changes much less than the rate;
 * - a client's round trip (`lab.client`: coordinator → node → program's stdin → its stdout → node
 *   → coordinator) with the program answering `echo`, p50 and p99, against the same round trip to
 *   a built-in behaviour (`lab.invoke` of a counter's `read`: coordinator → node → behaviour → back).
 *
 * The two labs run side by side and are measured in turns (3 rounds; `--quick` 1), so a load that
 * comes and goes on the machine falls on both alike. Bounded: a fixed count of messages and of round
 * trips, each wait at most 60 s; both labs are stopped. Only 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { startLab, type Lab } from '@faultline/coordinator';
import { pino } from 'pino';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const BURST = quick ? 2_000 : 10_000;
const ROUNDS = quick ? 1 : 3;
const ROUND_TRIPS = quick ? 300 : 1_500;
const WAIT_MS = 60_000;
const PROGRAM = [process.execPath, fileURLToPath(new URL('../tests/fixtures/maelstrom/flood.mjs', import.meta.url))];

/** CPU time (user + system) in ms that the processes `pids` have used so far, from /proc (10 ms ticks). */
function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone: counted as nothing.
    }
  }
  return ticks * 10;
}

/** A lab's own processes: its nodes, the programs they host (their children), its proxy. */
function labPids(lab: Lab): number[] {
  const pids = lab.resources().pids;
  let children = '';
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', pids.join(',')], { encoding: 'utf8' }).trim();
  } catch {
    // ps exits 1 when there are none.
  }
  return [...pids, ...(children === '' ? [] : children.split('\n').map((l) => Number(l.trim())))];
}

const log = (s: string): void => {
  if (!json) process.stderr.write(`${s}\n`);
};

/** Messages/s of `count` messages of `msgType` n1 → n2 made by `send`, until the trace has them all received at n2. */
async function rate(lab: Lab, msgType: string, count: number, send: () => Promise<unknown>): Promise<number> {
  let received = 0;
  let all!: () => void;
  const done = new Promise<void>((resolve) => (all = resolve));
  const unsubscribe = lab.subscribe((line) => {
    if (line.kind === 'receive' && line.node === 'n2' && line.msgType === msgType && ++received === count) all();
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const t = performance.now();
    await send();
    await Promise.race([done, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${msgType}: ${received} of ${count} received after ${WAIT_MS / 1000} s`)), WAIT_MS)))]);
    return count / ((performance.now() - t) / 1000);
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}

const runsDir = mkdtempSync(join(tmpdir(), 'faultline-bench-program-'));
const logger = pino({ level: 'silent' });
const figures: Record<string, number> = {};
const rows: Array<Record<string, string>> = [];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (ms: number[], p: number): number => [...ms].sort((a, b) => a - b)[Math.min(ms.length - 1, Math.floor(ms.length * p))];
const labs: Lab[] = [];
try {
  // Both labs at once, measured in turns (built in, hosted, built in …): a load that comes and goes
  // on the machine falls on both alike.
  const builtInLab = await startLab({ nodes: 2, seed: '1', runsDir }, { logger });
  labs.push(builtInLab);
  const hostedLab = await startLab({ nodes: 2, seed: '1', runsDir, program: PROGRAM }, { logger });
  labs.push(hostedLab);
  for (const n of hostedLab.nodes) if (!(await hostedLab.programReady(n, 30_000))) throw new Error(`${n}'s program did not answer init`);
  await builtInLab.startBehaviour('n1', { name: 'counter' });
  let msgId = 0;
  const flood = async (count: number): Promise<void> => {
    const r = await hostedLab.client('n1', { src: 'c1', dest: 'n1', body: { type: 'flood', to: 'n2', count, msg_id: ++msgId } }, WAIT_MS);
    if (r.outcome !== 'ok') throw new Error(`flood ${count}: ${r.outcome}`);
  };
  const burst = {
    builtIn: (count: number) => rate(builtInLab, 'burst', count, () => builtInLab.burst('n1', 'n2', count)),
    hosted: (count: number) => rate(hostedLab, 'flood_msg', count, () => flood(count)),
  };
  const ask = {
    builtIn: async (): Promise<void> => {
      await builtInLab.invoke('n1', 'read');
    },
    hosted: async (i: number): Promise<void> => {
      const answer = await hostedLab.client('n1', { src: 'c1', dest: 'n1', body: { type: 'echo', echo: i, msg_id: ++msgId } }, 5_000);
      if (answer.outcome !== 'ok' || answer.reply?.body.echo !== i) throw new Error(`echo ${i}: ${answer.outcome}`);
    },
  };
  // Warm-up (JIT, socket buffers, the programs' own start).
  await burst.builtIn(500);
  await burst.hosted(500);
  for (let i = 0; i < 50; i++) await ask.builtIn();
  for (let i = 0; i < 50; i++) await ask.hosted(-i);
  const pids = { builtIn: labPids(builtInLab), hosted: labPids(hostedLab) };
  log(`processes: built in ${pids.builtIn.length} (2 nodes, proxy), hosted ${pids.hosted.length} (2 nodes, 2 programs, proxy)`);
  const rates = { builtIn: [] as number[], hosted: [] as number[] };
  /** CPU µs a message, all of the lab's processes together (not the coordinator: both labs share it). */
  const cpu = { builtIn: [] as number[], hosted: [] as number[] };
  const trips = { builtIn: [] as number[], hosted: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const k of ['builtIn', 'hosted'] as const) {
      const before = cpuMs(pids[k]);
      rates[k].push(await burst[k](BURST));
      cpu[k].push(((cpuMs(pids[k]) - before) * 1000) / BURST);
    }
    for (const k of ['builtIn', 'hosted'] as const) {
      for (let i = 0; i < ROUND_TRIPS / ROUNDS; i++) {
        const t = performance.now();
        await ask[k](i);
        trips[k].push(performance.now() - t);
      }
    }
    log(`round ${round + 1}: ${BURST} msgs n1 → n2 built in ${rates.builtIn[round].toFixed(0)}/s (${cpu.builtIn[round].toFixed(0)} µs CPU each), hosted ${rates.hosted[round].toFixed(0)}/s (${cpu.hosted[round].toFixed(0)} µs CPU each)`);
  }
  const builtIn = { rate: median(rates.builtIn), cpuUs: median(cpu.builtIn), p50: pct(trips.builtIn, 0.5), p99: pct(trips.builtIn, 0.99) };
  const hosted = { rate: median(rates.hosted), cpuUs: median(cpu.hosted), p50: pct(trips.hosted, 0.5), p99: pct(trips.hosted, 0.99) };
  log(`built in: ${builtIn.rate.toFixed(0)} traced msgs/s (median of ${ROUNDS}); invoke read p50 ${builtIn.p50.toFixed(2)} ms, p99 ${builtIn.p99.toFixed(2)} ms`);
  log(`hosted program: ${hosted.rate.toFixed(0)} traced msgs/s (median of ${ROUNDS}); client echo p50 ${hosted.p50.toFixed(2)} ms, p99 ${hosted.p99.toFixed(2)} ms`);

  Object.assign(figures, {
    program_msgs_per_s: hosted.rate,
    builtin_msgs_per_s: builtIn.rate,
    program_over_builtin_msgs: hosted.rate / builtIn.rate,
    program_cpu_us_per_msg: hosted.cpuUs,
    builtin_cpu_us_per_msg: builtIn.cpuUs,
    program_client_p50_ms: hosted.p50,
    program_client_p99_ms: hosted.p99,
    builtin_invoke_p50_ms: builtIn.p50,
    builtin_invoke_p99_ms: builtIn.p99,
  });
  rows.push(
    {
      measure: `${BURST} messages n1 → n2 made by a hosted JS program: traced msgs/s (median of ${ROUNDS})`,
      value: `${hosted.rate.toFixed(0)}/s`,
      baseline: `${builtIn.rate.toFixed(0)}/s built-in burst (×${(hosted.rate / builtIn.rate).toFixed(2)})`,
    },
    {
      measure: `CPU a message, the lab's processes together (nodes, programs, proxy; median of ${ROUNDS})`,
      value: `${hosted.cpuUs.toFixed(0)} µs`,
      baseline: `${builtIn.cpuUs.toFixed(0)} µs built in (×${(hosted.cpuUs / builtIn.cpuUs).toFixed(2)})`,
    },
    {
      measure: `client round trip to a hosted echo program (${ROUND_TRIPS}): p50 / p99`,
      value: `${hosted.p50.toFixed(2)} / ${hosted.p99.toFixed(2)} ms`,
      baseline: `${builtIn.p50.toFixed(2)} / ${builtIn.p99.toFixed(2)} ms invoke of a built-in counter's read (×${(hosted.p50 / builtIn.p50).toFixed(2)} at p50)`,
    },
  );
} finally {
  for (const lab of labs) await lab.stop();
  rmSync(runsDir, { recursive: true, force: true });
}

if (json) process.stdout.write(`${JSON.stringify({ figures, rows })}\n`);
else {
  const table = new Table({ head: ['hosted program measure', 'value', 'baseline (same run)'], style: { head: [], border: [] } });
  for (const r of rows) table.push([r.measure, r.value, r.baseline]);
  process.stdout.write(`${table.toString()}\n`);
}
