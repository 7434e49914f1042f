/**
 * How the lab starts faultline-node: its entry point as the node package exports it
 * (`@faultline/node/main`), bundled, run by this Node with `--id n1 --incarnation 1 …`.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { NodeId } from '@faultline/protocol';
import { LAB_SECRET_ENV } from '@faultline/protocol/lab-secret';
import type { NodeCommand } from '../node-process.js';
import { bundleEntry } from './bundle-entry.js';
import { installed } from './install-home.js';
import { resolveEntry } from './resolve-entry.js';

/** Runs a TypeScript entry with this Node and the tsx loader, resolved here (not from the cwd). */
export function tsxCommand(entry: string): NodeCommand {
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { file: process.execPath, args: ['--import', loader, entry] };
}

/**
 * V8's young generation defaults to 16 MiB semi-spaces, sized for servers; a node of the lab keeps
 * little in memory, and a small one keeps its resident size down.
 *
 * No Sparkplug, V8's baseline (non-optimizing) compiler, which compiles a function's bytecode to
 * machine code once it has run a little: a node's start-up code is enough for it, and its code in
 * the node binary and the code it makes are ~1.1 MB of every node's resident size. Hot code is
 * still optimized by TurboFan as before: a burst costs the same CPU per message with and without
 * (12–15 µs at each end, `docs/performance.md`).
 */
export const NODE_FLAGS = (process.env.FAULTLINE_NODE_FLAGS ?? '--max-semi-space-size=1 --no-sparkplug').split(' ').filter(Boolean);

/**
 * faultline-node from this workspace, bundled to one self-contained JavaScript file, its npm
 * dependencies included (fast to start, small: a lab runs many nodes, and each pays its resident
 * size once).
 */
export async function defaultNodeCommand(): Promise<NodeCommand> {
  const prebuilt = installed('faultline-node.cjs');
  if (prebuilt) return { file: process.execPath, args: [...NODE_FLAGS, prebuilt] };
  const main = resolveEntry('@faultline/node/main', 'faultline-node', 'pass the nodeCommand option');
  return { file: process.execPath, args: [...NODE_FLAGS, await bundleEntry(main, 'faultline-node', { standalone: true })] };
}

export interface NodeArgs {
  readonly id: NodeId;
  /** 1 at the node's first start, one more at every revive: its message ids tell its lives apart. */
  readonly incarnation: number;
  readonly controlUrl: string;
  readonly heartbeatMs: number;
  readonly seed: string;
  /** Every node id of the lab: a node refuses messages over any other. */
  readonly labNodes: readonly NodeId[];
  /** Where its peer port listens (default 127.0.0.1). */
  readonly listen?: string;
  /** A program speaking Maelstrom's protocol that the node hosts: its command and arguments. */
  readonly program?: readonly string[];
}

/** The command line of a node (the lab's secret goes in its environment: `nodeEnv`). */
export function nodeArgs(a: NodeArgs): string[] {
  return ['--id', a.id, '--incarnation', String(a.incarnation), '--control', a.controlUrl, '--heartbeat-ms', String(a.heartbeatMs), '--seed', a.seed, '--lab-nodes', a.labNodes.join(','), ...(a.listen ? ['--listen', a.listen] : []), ...(a.program ? ['--program', JSON.stringify(a.program)] : [])];
}

/** The environment a node gets besides this process's own: the lab's secret, never on its command line. */
export function nodeEnv(secret: string): Record<string, string> {
  return { [LAB_SECRET_ENV]: secret };
}
