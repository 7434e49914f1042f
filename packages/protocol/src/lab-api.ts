/**
 * The coordinator's control API: HTTP JSON on 127.0.0.1 (the CLI and, later, the dashboard use it).
 * Errors are `{ "error": "<one line>", "code": "<stable code>" }` with status 400 (bad input),
 * 404 (unknown node or link), 409 (not possible now, e.g. resume a running node) or 501 (the proxy
 * in use cannot do it, e.g. message toxics on a real Toxiproxy).
 *
 *   GET    /status                         → LabStatus
 *   POST   /nodes/{id}/{kill|pause|resume|revive}
 *   POST   /nodes/{id}/clock               ClockRequest
 *   POST   /nodes/{id}/behaviours          BehaviourSpec       (started again on revive)
 *   POST   /partition                      PartitionRequest
 *   POST   /block                          BlockRequest        (one direction only)
 *   POST   /heal                                               (ends partitions and blocks)
 *   POST   /links/{from}/{to}              LinkFaultsRequest
 *   DELETE /links  |  /links/{from}/{to}[?both=true]           (link clear; both: and to→from)
 *   POST   /links/{from}/{to}/hold  |  /release
 *   POST   /rpc                            RpcRequest          → RpcResponse
 *   POST   /send                           SendRequest
 *   GET    /trace?since=SEQ&node=ID        → TraceLine[]
 *   GET    /events                         server-sent events, one TraceLine each
 *   POST   /down                                               (stops the lab)
 */
import * as z from 'zod';
import { nodeStatusSchema, rpcResultSchema } from './control.js';
import { nodeIdSchema } from './ids.js';
import { traceLineSchema } from './trace.js';

export const apiErrorSchema = z.object({ error: z.string(), code: z.string() });

export const nodeStateSchema = z.enum(['starting', 'running', 'paused', 'killed', 'exited']);

export const labStatusSchema = z.object({
  seed: z.string(),
  runDir: z.string(),
  proxyUrl: z.string(),
  /** True when the proxy is faultline's (message toxics available). */
  messageFaults: z.boolean(),
  controlUrl: z.string(),
  nodes: z.array(
    z.object({
      id: nodeIdSchema,
      pid: z.number().int().nullable(),
      state: nodeStateSchema,
      /** The node's own answer to `status`; absent when it cannot answer (killed, paused). */
      status: nodeStatusSchema.optional(),
    }),
  ),
  links: z.array(z.object({ name: z.string(), from: nodeIdSchema, to: nodeIdSchema, faults: z.array(z.string()) })),
});
export type LabStatus = z.infer<typeof labStatusSchema>;

export const clockRequestSchema = z
  .object({ offsetMs: z.number().finite().optional(), driftPpm: z.number().finite().optional(), jumpMs: z.number().finite().optional() })
  .refine((r) => r.offsetMs !== undefined || r.driftPpm !== undefined || r.jumpMs !== undefined, 'expected offsetMs, driftPpm or jumpMs');

export const partitionRequestSchema = z.object({ groups: z.array(z.array(nodeIdSchema).min(1)).min(1) });
export const blockRequestSchema = z.object({ from: nodeIdSchema, to: nodeIdSchema });

export const linkFaultsRequestSchema = z.object({
  latencyMs: z.number().int().nonnegative().optional(),
  jitterMs: z.number().int().nonnegative().optional(),
  bandwidthKBs: z.number().int().positive().optional(),
  /** Probabilities in percent, 0–100 (message-level: need faultline's proxy). */
  dropPct: z.number().min(0).max(100).optional(),
  duplicatePct: z.number().min(0).max(100).optional(),
  reorderPct: z.number().min(0).max(100).optional(),
  /** Reset the connection (TCP RST) after this many ms of traffic. */
  resetAfterMs: z.number().int().nonnegative().optional(),
  /** Apply to both directions (from→to and to→from). */
  both: z.boolean().default(false),
});
export type LinkFaultsRequest = z.infer<typeof linkFaultsRequestSchema>;

/** The query of `DELETE /links/{from}/{to}`: `both=true` clears the link to → from too. */
export const linkClearQuerySchema = z.object({ both: z.enum(['true', 'false']).optional() });

export const sendRequestSchema = z.object({ from: nodeIdSchema, to: nodeIdSchema, msgType: z.string().min(1).default('echo'), body: z.record(z.string(), z.unknown()).default({}) });

export const rpcRequestSchema = z.object({
  from: nodeIdSchema,
  to: nodeIdSchema,
  msgType: z.string().min(1).default('ping'),
  body: z.record(z.string(), z.unknown()).default({}),
  timeoutMs: z.number().int().positive().max(600_000).optional(),
  retries: z.number().int().nonnegative().max(100).default(0),
});

/** What the sender saw (`result`), and beside it what the trace shows really happened (`trace`). */
export const rpcResponseSchema = z.object({ result: rpcResultSchema, trace: z.array(traceLineSchema) });
export type RpcResponse = z.infer<typeof rpcResponseSchema>;
