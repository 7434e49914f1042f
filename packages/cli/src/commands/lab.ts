/** up (the lab in the foreground, or --detach) and down. */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { TraceLine } from '@faultline/protocol';
import { findLabUrl, labClient } from '../client.js';
import { isHeartbeat } from '@faultline/checkers';
import { formatTraceLine, listLessons, style } from '@faultline/lessons';
import { labProcessAlive, readLabFile, removeLabFile, writeLabFile } from '../lab-file.js';
import { cli, cmd } from '../format/command.js';
import { output, run } from '../output.js';
import { FaultlineError, LISTEN_HOST } from '@faultline/protocol';
import type { GlobalOptions } from './global.js';

interface UpFlags {
  nodes?: string;
  seed?: string;
  toxiproxyUrl?: string;
  detach?: boolean;
  heartbeats?: boolean;
  lessons?: string;
  agents?: string;
  host?: string;
  advertise?: string;
  port?: string;
  killBy?: string;
}

interface UpConfig {
  nodes: number;
  seed?: string;
  toxiproxyUrl?: string;
  agents?: string[];
  listenHost?: string;
  advertiseHost?: string;
  port: number;
  killBy?: 'signal' | 'pod';
}

/** `--lessons DIR`: its lessons must load (and not clash with the built-in ones) before the lab starts. */
function checkLessons(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  try {
    listLessons(dir);
  } catch (err) {
    if (err instanceof FaultlineError) throw new FaultlineError('bad-usage', err.message);
    throw err;
  }
  return resolve(dir);
}

function parseUp(flags: UpFlags): UpConfig {
  const agents = flags.agents?.split(',').map((a) => a.trim());
  if (agents?.some((a) => !/^[A-Za-z0-9._-]{1,253}(:[0-9]{1,5})?$/.test(a)) || (agents && (agents.length < 1 || agents.length > 50))) {
    throw new FaultlineError('bad-usage', `expected 1 to 50 agents like n1:7070,n2:7070 for --agents, got "${flags.agents}"`);
  }
  const nodesText = flags.nodes ?? String(agents?.length ?? 3);
  const nodes = Number(nodesText);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 50) throw new FaultlineError('bad-usage', `expected a number of nodes from 1 to 50 for --nodes, got "${nodesText}"`);
  if (agents && nodes !== agents.length) throw new FaultlineError('bad-usage', `--nodes ${nodes} but ${agents.length} agents in --agents: each node runs under one agent`);
  if (flags.host !== undefined && !LISTEN_HOST.test(flags.host)) throw new FaultlineError('bad-usage', `expected an address like 127.0.0.1 or 0.0.0.0 for --host, got "${flags.host}"`);
  if (flags.advertise !== undefined && !/^[A-Za-z0-9._-]{1,253}$/.test(flags.advertise)) throw new FaultlineError('bad-usage', `expected a host name for --advertise, got "${flags.advertise}"`);
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!/^[0-9]{1,5}$/.test(flags.port ?? '0') || port > 65535) throw new FaultlineError('bad-usage', `expected a port 0-65535 for --port, got "${flags.port}"`);
  if (flags.killBy !== undefined && flags.killBy !== 'signal' && flags.killBy !== 'pod') throw new FaultlineError('bad-usage', `expected signal or pod for --kill-by, got "${flags.killBy}"`);
  if (flags.killBy === 'pod' && !agents) throw new FaultlineError('bad-usage', '--kill-by pod needs --agents (each node in a pod of its own, node-0.node:7070,…)');
  if (flags.seed !== undefined && !/^-?[0-9]+$/.test(flags.seed)) throw new FaultlineError('bad-usage', `expected an integer for --seed, got "${flags.seed}"`);
  if (flags.toxiproxyUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(flags.toxiproxyUrl)) {
    throw new FaultlineError('bad-usage', `expected a URL like http://127.0.0.1:8474 for --toxiproxy-url, got "${flags.toxiproxyUrl}"`);
  }
  return {
    nodes,
    seed: flags.seed,
    toxiproxyUrl: flags.toxiproxyUrl,
    port,
    ...(agents ? { agents } : {}),
    ...(flags.host ? { listenHost: flags.host } : {}),
    ...(flags.advertise ? { advertiseHost: flags.advertise } : {}),
    ...(flags.killBy === 'pod' ? { killBy: 'pod' as const } : {}),
  };
}

/** What to try next, each a command and what follows it; aligned where they fit 80 columns. */
function tryNext(): string[] {
  const steps: [string, string?][] = [
    ['status'],
    ['rpc n1 n2'],
    ['kill n2', `then: ${cli()} revive n2`],
    ['partition n1 n2,n3', `then: ${cli()} heal`],
    ['link n1 n2 --latency 200ms --drop 20%'],
    ['clock n3 --offset +2s --drift 200ppm'],
    ['diagram'],
    ['lesson list', 'a lesson runs its own lab; or run one from the dashboard'],
  ];
  return steps.flatMap(([args, note]) => {
    const line = `  ${cli()} ${note ? args.padEnd(18) : args}`;
    if (!note) return [line];
    const whole = `${line} (${note})`;
    return [...whole].length <= 80 ? [whole] : [`  ${cli()} ${args}`, `    (${note})`];
  });
}

/**
 * One lab a directory: a lab running here is an error. The file of a lab that is gone (killed,
 * so it could not remove it; its pid is dead or its control API silent) is removed.
 */
async function clearStaleLab(): Promise<void> {
  const existing = readLabFile();
  if (!existing) return;
  const alive = labProcessAlive(existing) && (await labClient(existing.controlUrl).status().then(() => true, () => false));
  if (alive) throw new FaultlineError('conflict', `a lab is already running here (${existing.controlUrl}, pid ${existing.pid})`, { hint: `${cmd('down')} stops it` });
  removeLabFile();
  process.stderr.write(`faultline: the lab in .faultline/lab.json (pid ${existing.pid}) is gone; starting a new one\n`);
}

async function upForeground(flags: UpFlags, g: GlobalOptions): Promise<void> {
  const config = parseUp(flags);
  const lessonsDir = checkLessons(flags.lessons);
  const out = output(g.json);
  await clearStaleLab();
  const { startLab } = await import('@faultline/coordinator');
  const { pino } = await import('pino');
  const t0 = performance.now();
  if (!g.json) process.stderr.write(`starting ${config.nodes} nodes and ${config.nodes * (config.nodes - 1)} links…\n`);
  const logger = pino({ level: process.env.FAULTLINE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const { dashboardDir } = await import('@faultline/dashboard');
  // The page is built beside the lab starting; a page that will not build costs the page, not the lab.
  const [lab, page] = await Promise.all([
    startLab(
      {
        nodes: config.nodes,
        seed: config.seed,
        toxiproxyUrl: config.toxiproxyUrl,
        ...(config.agents ? { agents: config.agents } : {}),
        ...(config.listenHost ? { listenHost: config.listenHost } : {}),
        ...(config.advertiseHost ? { advertiseHost: config.advertiseHost } : {}),
        ...(config.killBy ? { killBy: config.killBy } : {}),
      },
      { logger },
    ),
    dashboardDir().catch((err: unknown) => {
      process.stderr.write(`faultline: the dashboard could not be built (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); the lab runs without it\n`);
      return undefined;
    }),
  ]);
  const { lessonRoutes } = await import('@faultline/lessons');
  const controlUrl = await lab.serve(config.port, { ...(page ? { dashboardDir: page } : {}), routes: lessonRoutes(lessonsDir) });
  writeLabFile({ controlUrl, pid: process.pid, runDir: lab.runDir, seed: lab.seed });
  let unsubscribe = (): void => undefined;
  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    unsubscribe();
    if (!g.json) process.stderr.write(`stopping the lab (${why})…\n`);
    await lab.stop();
    removeLabFile();
  };
  // Heard before anything is printed: a Ctrl-C the moment the lab says it is up stops it cleanly.
  // `on`, not `once`: execa's signal-exit re-raises a signal that no other listener is left for.
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const upMs = performance.now() - t0;
  out.result({ controlUrl, runDir: lab.runDir, seed: lab.seed, nodes: config.nodes, upMs: Math.round(upMs) });
  out.line(style.bold(`faultline: ${config.nodes} nodes up in ${(upMs / 1000).toFixed(1)} s`) + ` — seed ${lab.seed} (--seed ${lab.seed} repeats its fault decisions)`);
  if (page) out.line(`dashboard: ${style.bold(`${controlUrl}/`)}   (open it in a browser, or: ${cli()} dashboard)`);
  out.line(`trace: ${lab.runDir}/trace.ndjson   control: ${controlUrl}`);
  // In a container the lab file stays inside it: the other terminals name the lab themselves.
  if (config.listenHost !== undefined) out.line(`in other terminals first: export FAULTLINE_LAB=${controlUrl}`);
  out.line(`try from another terminal:\n${tryNext().join('\n')}`);
  out.line(style.dim(`Ctrl-C (or ${cli()} down) stops the lab. Live events (heartbeats hidden):`));
  unsubscribe = lab.subscribe((line: TraceLine) => {
    if (!g.json && (flags.heartbeats || !isHeartbeat(line))) process.stdout.write(`${formatTraceLine(line)}\n`);
  });
  await lab.stopped;
  await stop('faultline down');
}

/** `up --detach`: the same command in a background process; returns when the lab answers. */
async function upDetached(flags: UpFlags, g: GlobalOptions): Promise<void> {
  parseUp(flags);
  const lessonsDir = checkLessons(flags.lessons);
  const out = output(g.json);
  // From a clone's sources: main.ts through tsx; installed (one bundled file, the Docker image's): that file again.
  const fromSources = import.meta.url.endsWith('.ts');
  const args = fromSources ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, fileURLToPath(new URL('../main.ts', import.meta.url)), 'up'] : [process.argv[1], 'up'];
  for (const [flag, value] of [
    ['--nodes', flags.nodes],
    ['--seed', flags.seed],
    ['--toxiproxy-url', flags.toxiproxyUrl],
    ['--agents', flags.agents],
    ['--host', flags.host],
    ['--advertise', flags.advertise],
    ['--port', flags.port],
    ['--kill-by', flags.killBy],
  ] as const) {
    if (value !== undefined) args.push(flag, value);
  }
  if (lessonsDir) args.push('--lessons', lessonsDir);
  await clearStaleLab();
  const log = openSync('.faultline-up.log', 'w');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const info = readLabFile();
    if (info && (await labClient(info.controlUrl).status().then(() => true, () => false))) {
      out.result(info);
      out.line(`faultline: lab up in the background (pid ${info.pid}), control ${info.controlUrl}, trace ${info.runDir}/trace.ndjson`);
      out.hint(`${cmd('status')}; ${cmd('down')} stops it; its log is in .faultline-up.log`);
      return;
    }
    if (child.exitCode !== null) break;
  }
  throw new FaultlineError('unavailable', 'the lab did not come up; see .faultline-up.log');
}

export function registerLabCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('up')
    .description('start the lab: the proxy, N nodes, a proxy for every directed link; live events in the foreground')
    .option('--nodes <n>', 'how many nodes (default: 3, or one per agent)')
    .option('--seed <n>', "seed of the proxy's fault decisions (printed): with the same seed, the k-th message of a type on a link is dropped, duplicated or reordered alike in every run; timing (heartbeats, timeouts, jitter) is not replayed")
    .option('--toxiproxy-url <url>', 'use a running Toxiproxy instead of the embedded faultline-proxy')
    .option('--detach', 'run the lab in the background and return')
    .option('--heartbeats', 'show heartbeats in the live events')
    .option('--lessons <dir>', "the dashboard's lesson picker also lists the lessons in this folder")
    .option('--port <n>', 'port of the control API and dashboard (default: any free port)')
    .option('--agents <list>', 'run node i under the faultline-agent at the i-th host[:port] (one container per node), e.g. n1:7070,n2:7070,n3:7070')
    .option('--host <addr>', 'address the control API and the control channel listen on (default 127.0.0.1; 0.0.0.0 in a container)')
    .option('--advertise <name>', 'the host name nodes reach this lab by (default: with --agents, this host name)')
    .option('--kill-by <how>', 'how kill ends a node: signal (SIGKILL, the default) or pod (delete its pod through the Kubernetes API; the lab in a pod, --agents naming StatefulSet pods)')
    .action((flags: UpFlags) => run(() => (flags.detach ? upDetached(flags, globals()) : upForeground(flags, globals()))));

  program
    .command('dashboard')
    .description("the running lab's dashboard: prints its address and opens it in a browser when one is there")
    .option('--no-open', 'only print the address')
    .action((flags: { open: boolean }) =>
      run(async () => {
        const out = output(globals().json);
        const url = `${findLabUrl(globals().lab)}/`;
        const page = await fetch(url).then((r) => r.ok && (r.headers.get('content-type') ?? '').startsWith('text/html'), () => false);
        if (!page) throw new FaultlineError('unavailable', `no dashboard answers at ${url}`, { hint: `${cmd('up')} starts a lab with its dashboard` });
        out.result({ url });
        out.line(`faultline dashboard: ${url}`);
        if (flags.open && !globals().json && process.stdout.isTTY) {
          const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start' : 'xdg-open';
          const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
          child.on('error', () => out.hint(`no ${opener} here: open ${url} in a browser`));
          child.unref();
        }
      }),
    );

  program
    .command('down')
    .description('stop the running lab')
    .action(() =>
      run(async () => {
        const out = output(globals().json);
        await labClient(globals().lab).down();
        out.result({ ok: true });
        out.line('faultline: lab stopped');
      }),
    );
}
