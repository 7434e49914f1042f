/** `startLab()`: the whole lab up, every link connected, or an error and nothing left running. */
import { labConfigSchema, parseWith, type LabConfigInput } from '@faultline/protocol';
import { pino, type Logger } from 'pino';
import { HttpApi } from './api/http-api.js';
import { asFaultlineError, FaultlineError } from '@faultline/protocol';
import { LabRuntime } from './lab-runtime.js';
import { Lab } from './lab.js';
import { labPodKiller } from './kubernetes/pod-killer.js';
import type { ServiceHandler } from './lab-runtime.js';
import { POD_NEEDS_AGENTS } from './kubernetes/pods.js';
import { defaultNodeCommand } from './launch/node-command.js';
import { nodeIds } from './links.js';
import type { NodeCommand } from './node-process.js';
import type { NodeKiller } from './node-supervisor.js';
import { createRunDir } from './run-dir.js';
import { checkSeed, drawSeed } from './seed.js';

export interface StartLabOptions {
  /** pino logger (default: JSON lines on stderr, level from $FAULTLINE_LOG_LEVEL or `info`). */
  logger?: Logger;
  /** How to start a node (default: this workspace's faultline-node through tsx). */
  nodeCommand?: NodeCommand;
  /** How long to wait for every link to come up (default 15 s). */
  linksTimeoutMs?: number;
  /**
   * For tests and benchmarks only: no proxy at all, each node connects straight to its peers' own
   * ports (a baseline to measure the proxy against). Link faults then fail with `unsupported`, and
   * the trace has no proxy events.
   */
  direct?: boolean;
  /**
   * The API token of a faultline-proxy at `toxiproxyUrl` that listens beyond loopback (in its own
   * container). Default: $FAULTLINE_PROXY_TOKEN. Never written to the trace.
   */
  toxiproxyToken?: string;
  /**
   * Ctrl-C: stops the start-up at once, and everything it started so far; `startLab` then throws
   * an `interrupted` FaultlineError.
   */
  signal?: AbortSignal;
  /**
   * How `kill` ends a node instead of SIGKILL (a test's stand-in). With `config.killBy: 'pod'` and
   * none given, the lab makes the one that deletes the node's pod through the Kubernetes API.
   */
  killer?: NodeKiller;
  /** Answers the hosted programs' requests to services (`faultline test` runs lin-kv, seq-kv …); without it they are answered `not-supported`. */
  services?: ServiceHandler;
}

function defaultLogger(): Logger {
  return pino({ name: 'faultline-lab', level: process.env.FAULTLINE_LOG_LEVEL ?? 'info' }, pino.destination(2));
}

export async function startLab(input: LabConfigInput = {}, options: StartLabOptions = {}): Promise<Lab> {
  const parsed = parseWith(labConfigSchema, input, 'config');
  if (!parsed.ok) throw new FaultlineError('bad-request', parsed.error);
  const config = parsed.value;
  if (config.agents) {
    // With agents the lab has one node per agent.
    if (input.nodes !== undefined && input.nodes !== config.agents.length) {
      throw new FaultlineError('bad-request', `config.nodes: ${input.nodes} nodes but ${config.agents.length} agents; give one agent a node (or leave nodes out)`);
    }
    config.nodes = config.agents.length;
  }
  const seed = config.seed === undefined ? drawSeed() : checkSeed(config.seed);
  const logger = options.logger ?? defaultLogger();
  // Checked before anything starts: agents that name no pods, or no service account, is one line.
  if (config.killBy === 'pod' && !config.agents) throw new FaultlineError('bad-request', POD_NEEDS_AGENTS);
  const killer = options.killer ?? (config.killBy === 'pod' ? labPodKiller(config, nodeIds(config.nodes), logger) : undefined);
  const signal = options.signal;
  const interrupted = (where: string, cause?: unknown): FaultlineError =>
    new FaultlineError('interrupted', `the lab was stopped while it was starting; every process it started is stopped${where}`, cause === undefined ? {} : { cause });
  if (signal?.aborted) throw interrupted('');
  // With agents, each node's container has its own faultline-node: nothing to build here.
  const nodeCommand = options.nodeCommand ?? (config.agents ? { file: process.execPath, args: [] } : await defaultNodeCommand());
  if (signal?.aborted) throw interrupted('');
  const runDir = createRunDir(config.runsDir);
  logger.info({ seed, runDir, nodes: config.nodes }, `lab seed ${seed} (replay with seed ${seed}); writing ${runDir}`);
  const runtime = new LabRuntime({ config, seed, runDir, logger, nodeCommand, linksTimeoutMs: options.linksTimeoutMs ?? 15_000, direct: options.direct ?? false, toxiproxyToken: options.toxiproxyToken ?? process.env.FAULTLINE_PROXY_TOKEN, ...(options.services ? { services: options.services } : {}) });
  const lab = new Lab(runtime, (l, port, log, serveOptions) => HttpApi.start(l, port, log, serveOptions), killer);
  // Stop at once: what is starting sees the stop at its next step and gives up.
  const stopNow = (): void => void lab.stop();
  signal?.addEventListener('abort', stopNow, { once: true });
  try {
    await runtime.boot();
    if (input.controlPort !== undefined) await lab.serve(config.controlPort);
    if (signal?.aborted) throw interrupted('');
  } catch (err) {
    await lab.stop();
    // Whatever failed after a Ctrl-C (a node that got the SIGINT too, esbuild's service stopped) is the Ctrl-C's doing.
    if (signal && (await abortedSoon(signal))) throw interrupted(` (logs in ${runDir})`, err);
    const e = asFaultlineError(err);
    throw new FaultlineError(e.code, `the lab did not start: ${e.message} (seed ${seed}; logs in ${runDir})`, { cause: err });
  } finally {
    signal?.removeEventListener('abort', stopNow);
  }
  return lab;
}

/**
 * A Ctrl-C reaches the whole process group at once: a child it killed (esbuild's service, a node)
 * can fail a step before this process has run its own SIGINT handler. So a failure is taken for
 * the Ctrl-C's doing if the signal aborts within a short grace after it (or already has).
 */
const SIGNAL_GRACE_MS = 250;
function abortedSoon(signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (aborted: boolean): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(aborted);
    };
    const onAbort = (): void => done(true);
    const timer = setTimeout(() => done(signal.aborted), SIGNAL_GRACE_MS);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
