/**
 * The schemas of the coordinator's control API: what its routes take and answer. The routes
 * themselves (method, path, which schema, which error codes) are declared in api/lab-api-routes.ts.
 * Errors are `{ "error": "<one line>", "code": "<stable code>" }` (`apiErrorSchema`), with the
 * HTTP status of the code in errors/error-codes.ts.
 */
import * as z from 'zod';
import { clockOffsetMsSchema, driftPpmSchema } from './clock-bounds.js';
import { nodeStatusSchema, rpcResultSchema } from './control.js';
import { messageTypeSchema } from './envelope.js';
import { nodeIdSchema } from './ids.js';
import { traceLineSchema } from './trace.js';

export const apiErrorSchema = z.object({ error: z.string(), code: z.string() });
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

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
  .object({ offsetMs: clockOffsetMsSchema.optional(), driftPpm: driftPpmSchema.optional(), jumpMs: clockOffsetMsSchema.optional() })
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
/** `link clear A B --both`: `?both=true` clears to → from as well (true or false, nothing else). */
export const linkClearQuerySchema = z.object({
  both: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform((v) => v === true || v === 'true')
    .optional(),
});

export const sendRequestSchema = z.object({ from: nodeIdSchema, to: nodeIdSchema, msgType: messageTypeSchema.default('echo'), body: z.record(z.string(), z.unknown()).default({}) });

/** A client request on `node` itself (a register's write or read, a sync round): the behaviour's answer. */
export const invokeRequestSchema = z.object({ node: nodeIdSchema, msgType: messageTypeSchema, body: z.record(z.string(), z.unknown()).default({}) });
export const invokeResponseSchema = z.object({ node: nodeIdSchema, msgType: z.string(), answer: z.record(z.string(), z.unknown()) });
export type InvokeResponse = z.infer<typeof invokeResponseSchema>;

export const rpcRequestSchema = z.object({
  from: nodeIdSchema,
  to: nodeIdSchema,
  msgType: messageTypeSchema.default('ping'),
  body: z.record(z.string(), z.unknown()).default({}),
  timeoutMs: z.number().int().positive().max(600_000).optional(),
  retries: z.number().int().nonnegative().max(100).default(0),
});

/** What the sender saw (`result`), and beside it what the trace shows really happened (`trace`). */
export const rpcResponseSchema = z.object({ result: rpcResultSchema, trace: z.array(traceLineSchema) });
export type RpcResponse = z.infer<typeof rpcResponseSchema>;

/** A trace seq in a query string (`?since=12`); a client may hand it a number. */
export const seqQuerySchema = z
  .union([z.number(), z.string()])
  .transform(String)
  .pipe(z.string().regex(/^[0-9]+$/, 'expected a trace seq (an integer ≥ 0)'))
  .transform(Number);

export const traceQuerySchema = z.object({ since: seqQuerySchema.optional(), node: nodeIdSchema.optional() });
export const eventsQuerySchema = z.object({ since: seqQuerySchema.optional() });

/** The answers of the routes that change the lab. */
export const okSchema = z.object({ ok: z.literal(true) });
export const nodeActionResponseSchema = z.object({ ok: z.literal(true), node: nodeIdSchema, state: nodeStateSchema });
/** `groups`: the partition in effect, the group of the nodes nobody named last; `cut`: the links it cut. */
export const partitionResponseSchema = z.object({ ok: z.literal(true), groups: z.array(z.array(nodeIdSchema)), cut: z.array(z.string()) });
export const healResponseSchema = z.object({ ok: z.literal(true), healed: z.array(z.string()) });
export const clearLinksResponseSchema = z.object({ ok: z.literal(true), cleared: z.array(z.string()) });
export const downResponseSchema = z.object({ ok: z.literal(true), stopping: z.literal(true) });
