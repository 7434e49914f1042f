/**
 * doctor: what bites students on their own machines (Node.js, open files, loopback and ports,
 * Chromium, Docker, the platform), each problem with its fix. This file is the shell: it gathers
 * facts, every external command bounded in time and killed, with anything it started, when it
 * overstays; the verdicts are pure (../doctor/). It never needs a running lab.
 * Exit 0 when no check failed, 1 when one did, 2 for a bad flag.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { style } from '@faultline/lessons';
import { CHROMIUM_CANDIDATES, DEFAULT_CHROMIUM, type ChromiumFacts } from '../doctor/chromium.js';
import { diagnose, type DoctorFacts } from '../doctor/diagnose.js';
import type { CommandResult, DockerFacts } from '../doctor/docker.js';
import type { Status } from '../doctor/finding.js';
import { parseDoctorFlags, type DoctorFlags, type RawDoctorFlags } from '../doctor/flags.js';
import type { LoopbackFacts } from '../doctor/loopback.js';
import type { NodeFacts } from '../doctor/node-version.js';
import { parseProcLimits, parseUlimit, type OpenFilesFacts } from '../doctor/open-files.js';
import { parseLsof, parseSs, type PortFacts } from '../doctor/port.js';
import { renderReport } from '../doctor/render.js';
import { output, run } from '../output.js';
import type { GlobalOptions } from './global.js';

/** The repository's root (this file is packages/cli/src/commands/doctor.ts). */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The tools whose own `engines.node` a student meets, and where. */
const TOOLS = [
  { name: 'vite', usedFor: 'the dashboard, npm test' },
  { name: 'vitest', usedFor: 'npm test' },
  { name: 'eslint', usedFor: 'npm run lint' },
];

const OUTPUT_CAP = 64 * 1024;
/** After SIGKILL a process is gone at once; this only bounds a pipe some other process keeps open. */
const KILL_GRACE_MS = 2_000;

/** Every command running now, so a Ctrl-C can stop them too (they run in their own process groups). */
const running = new Set<ChildProcess>();

/** SIGKILL `child` and, on POSIX, its process group (what it started: docker runs its plugins as children). */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  if (process.platform !== 'win32') {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }
  try {
    child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Runs `file args` with no shell and no stdin, for at most `timeoutMs`: then it is killed, with
 * its process group, by its PID. Resolves once it is gone; never rejects.
 */
export function runBounded(file: string, args: readonly string[], timeoutMs: number, onSpawn?: (pid: number) => void): Promise<CommandResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let found = true;
    let done = false;
    let grace: NodeJS.Timeout | undefined;
    const group = process.platform !== 'win32';
    let child: ChildProcess;
    try {
      child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: group, windowsHide: true });
    } catch {
      resolve({ found: false, code: null, stdout, stderr, timedOut, timeoutMs });
      return;
    }
    running.add(child);
    if (child.pid !== undefined) onSpawn?.(child.pid);
    const finish = (code: number | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(grace);
      running.delete(child);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({ found, code, stdout, stderr, timedOut, timeoutMs });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
      grace = setTimeout(() => finish(null), KILL_GRACE_MS);
    }, timeoutMs);
    child.stdout?.on('data', (b: Buffer) => (stdout = (stdout + b.toString()).slice(0, OUTPUT_CAP)));
    child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(0, OUTPUT_CAP)));
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') found = false;
      else stderr += err.message;
      // Nothing was started (no such program, not executable): nothing to wait for.
      if (child.pid === undefined) finish(null);
    });
    child.once('close', (code) => finish(timedOut ? null : code));
  });
}

/** A promise that gives up after `ms` with `fallback` (for the socket probes, which run no process). */
function within<T>(ms: number, work: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function readJson(path: string): { engines?: { node?: unknown }; name?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { engines?: { node?: unknown } };
  } catch {
    return undefined;
  }
}

function nodeFacts(): NodeFacts {
  const root = readJson(`${ROOT}package.json`);
  const engines = root?.name === 'faultline' && typeof root.engines?.node === 'string' ? root.engines.node : undefined;
  const tools = TOOLS.flatMap((t) => {
    const range = readJson(`${ROOT}node_modules/${t.name}/package.json`)?.engines?.node;
    return typeof range === 'string' ? [{ ...t, range }] : [];
  });
  return { version: process.version, ...(engines === undefined ? {} : { engines }), tools };
}

/** The limits of this process: a Node.js process, so its soft limit is already raised to the hard one. */
async function openFilesFacts(): Promise<OpenFilesFacts> {
  const platform = process.platform;
  if (platform === 'win32') return { platform };
  if (platform === 'linux') {
    try {
      const limits = parseProcLimits(readFileSync('/proc/self/limits', 'utf8'));
      if (limits) return { platform, ...limits };
    } catch {
      // No /proc: ask a shell below.
    }
  }
  // The shell inherits this process's limits.
  const r = await runBounded('/bin/sh', ['-c', 'ulimit -Sn; ulimit -Hn'], 5_000);
  const limits = r.code === 0 ? parseUlimit(r.stdout) : undefined;
  if (limits) return { platform, ...limits };
  return { platform, error: r.timedOut ? 'sh did not answer in 5 s' : r.found ? (r.stderr.trim().split('\n')[0] ?? 'sh failed') : 'no /bin/sh' };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Listen on 127.0.0.1:0, connect to it, be accepted; everything closed after. */
async function loopbackFacts(): Promise<LoopbackFacts> {
  const platform = process.platform;
  const server = createServer((accepted) => accepted.destroy());
  let socket: Socket | undefined;
  const attempt = (async (): Promise<LoopbackFacts> => {
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`listen ${err.code ?? err.message}`)));
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
    await new Promise<void>((resolve, reject) => {
      socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve());
      socket.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`connect ${err.code ?? err.message}`)));
    });
    return { ok: true, platform };
  })().catch((err: unknown) => ({ ok: false, error: err instanceof Error ? err.message : String(err), platform }));
  const facts = await within(5_000, attempt, { ok: false, error: 'no answer in 5 s', platform });
  socket?.destroy();
  if (server.listening) await closeServer(server);
  return facts;
}

/** Can this process listen on `port` (on `host`, or every interface)? undefined when it can, else the error's code. */
function listenError(port: number, host?: string): Promise<string | undefined> {
  const server = createServer();
  const attempt = new Promise<string | undefined>((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ port, ...(host ? { host } : {}) }, () => resolve(undefined));
  });
  return within(5_000, attempt, 'ETIMEDOUT').finally(() => (server.listening ? closeServer(server) : undefined));
}

async function portError(port: number): Promise<string | undefined> {
  return (await listenError(port, '127.0.0.1')) ?? (await listenError(port));
}

async function holderOf(port: number): Promise<PortFacts['holder']> {
  const lsof = await runBounded('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], 5_000);
  const byLsof = lsof.code === 0 ? parseLsof(lsof.stdout) : undefined;
  if (byLsof || process.platform !== 'linux') return byLsof;
  const ss = await runBounded('ss', ['-ltnp', 'sport', '=', `:${port}`], 5_000);
  return ss.code === 0 ? parseSs(ss.stdout) : undefined;
}

async function portFacts(port: number): Promise<PortFacts> {
  const platform = process.platform;
  const code = await portError(port);
  if (code === undefined) return { port, platform, free: true };
  let alternative: number | undefined;
  for (let p = Math.max(port + 1, 1024); p <= Math.min(port + 20, 65535) && alternative === undefined; p++) {
    if ((await portError(p)) === undefined) alternative = p;
  }
  const holder = code === 'EADDRINUSE' ? await holderOf(port) : undefined;
  return { port, platform, free: false, code, ...(holder ? { holder } : {}), ...(alternative === undefined ? {} : { alternative }) };
}

function chromiumFacts(): ChromiumFacts {
  const platform = process.platform;
  const env = process.env.FAULTLINE_CHROMIUM;
  // As tests/support/chromium.ts reads it.
  const path = env ?? DEFAULT_CHROMIUM;
  const exists = path !== '' && existsSync(path);
  let executable: boolean;
  try {
    accessSync(path, constants.X_OK);
    executable = exists;
  } catch {
    executable = false;
  }
  const found = (CHROMIUM_CANDIDATES[platform] ?? []).filter((p) => p !== path && existsSync(p));
  return { platform, path, fromEnv: env !== undefined, exists, executable, found };
}

async function dockerFacts(): Promise<DockerFacts> {
  const [client, info, composeV2, composeV1] = await Promise.all([
    runBounded('docker', ['--version'], 5_000),
    runBounded('docker', ['info', '--format', '{{.ServerVersion}}'], 10_000),
    runBounded('docker', ['compose', 'version', '--short'], 10_000),
    runBounded('docker-compose', ['version', '--short'], 10_000),
  ]);
  return { platform: process.platform, client, info, composeV2, composeV1 };
}

/** Every fact, gathered side by side; a Ctrl-C meanwhile stops every command started. */
export async function gatherFacts(flags: DoctorFlags): Promise<DoctorFacts> {
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const child of running) killTree(child);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const [openFiles, loopback, port, docker] = await Promise.all([
      openFilesFacts(),
      loopbackFacts(),
      flags.port === undefined ? Promise.resolve(undefined) : portFacts(flags.port),
      dockerFacts(),
    ]);
    return {
      node: nodeFacts(),
      openFiles,
      loopback,
      ...(port ? { port } : {}),
      chromium: chromiumFacts(),
      docker,
      platform: { platform: process.platform, arch: process.arch },
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const PAINT: Record<Status, (s: string) => string> = { ok: style.green, warn: style.yellow, fail: style.red };

export function registerDoctorCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('doctor')
    .description('check this machine for the lab (Node.js, open files, ports, Chromium, Docker, platform), each problem with its fix; exit 1 if a check failed')
    .option('--nodes <n>', 'the size of lab to check for (1 to 50; default 10, with --classroom 5)')
    .option('--port <port>', 'also check that this port (a classroom control port, e.g. 4000) is free')
    .option('--classroom', "the lab in Docker: Docker's problems fail instead of warn, and the port it publishes (4000, or $FAULTLINE_PORT) is checked")
    .action((raw: RawDoctorFlags) =>
      run(async () => {
        const flags = parseDoctorFlags(raw, process.env);
        const out = output(globals().json);
        const result = diagnose(await gatherFacts(flags), flags);
        out.result(result);
        for (const line of renderReport(result, { nodes: flags.nodes, paint: (s, t) => PAINT[s](t) })) out.line(line);
        if (!result.ok) process.exitCode = 1;
      }),
    );
}
