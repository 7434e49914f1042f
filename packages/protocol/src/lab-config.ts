import * as z from 'zod';
import { agentAddressSchema } from './agent.js';

/** An address to listen on: an IPv4 or IPv6 address, or a host name (checked once, for every flag and config that takes one). */
export const LISTEN_HOST = /^[A-Za-z0-9.:_-]{1,253}$/;

/** How a lab is started (`faultline up`, `startLab()`); every field has a default. */
export const labConfigSchema = z.object({
  nodes: z.number().int().min(1).max(50).default(3),
  /** Seed of every random decision (the proxy's toxics, jitter); drawn and printed if absent. */
  seed: z.string().regex(/^-?[0-9]+$/).optional(),
  /** A running Toxiproxy (or faultline-proxy) to use instead of starting the embedded one. */
  toxiproxyUrl: z.string().url().optional(),
  heartbeatMs: z.number().int().positive().max(60_000).default(500),
  /** Default RPC timeout per attempt. */
  rpcTimeoutMs: z.number().int().positive().max(600_000).default(1000),
  /** Where runs are written: `<runsDir>/<timestamp>/trace.ndjson`. */
  runsDir: z.string().default('runs'),
  /** Port of the coordinator's control API (0: any free port). */
  controlPort: z.number().int().min(0).max(65535).default(0),
  /**
   * Each node in a container (or pod) of its own: node i runs under the faultline-agent at
   * `agents[i-1]` (`n1:7070`), and is reached by that host name. Absent: nodes are processes here.
   */
  agents: z.array(agentAddressSchema).min(1).max(50).optional(),
  /**
   * The address the control API and the nodes' control channel listen on: 127.0.0.1 unless told
   * otherwise (0.0.0.0 in a container, where the nodes are other hosts).
   */
  listenHost: z.string().regex(LISTEN_HOST, 'expected an address like 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  /** The name nodes reach this coordinator by (default: this machine's host name with agents, else 127.0.0.1). */
  advertiseHost: z.string().regex(/^[A-Za-z0-9._-]{1,253}$/, 'expected a host name').optional(),
  /**
   * How `kill` ends a node: `signal` (absent: the default), SIGKILL to its process (through its
   * agent, with agents); `pod`, its pod is deleted through the Kubernetes API (agents in the pods
   * of a StatefulSet, this lab in a pod with a service account allowed to delete them).
   */
  killBy: z.enum(['signal', 'pod']).optional(),
  /**
   * Every node hosts this program, which speaks Maelstrom's node protocol (`faultline test --bin`):
   * its command and arguments, run in the node's working directory.
   */
  program: z.array(z.string().min(1).max(4096)).min(1).max(200).optional(),
});
export type LabConfig = z.infer<typeof labConfigSchema>;
export type LabConfigInput = z.input<typeof labConfigSchema>;
