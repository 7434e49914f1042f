import * as z from 'zod';

/**
 * Message-level events of faultline's proxy (a faultline extension to the Toxiproxy API), streamed
 * as server-sent events from `GET /events`. One event per action a message toxic takes on one
 * WebSocket message.
 */
export const proxyEventActionSchema = z.enum(['dropped', 'duplicated', 'delayed', 'held', 'released']);
export type ProxyEventAction = z.infer<typeof proxyEventActionSchema>;

export const proxyEventSchema = z.object({
  /** Increasing number of the event on this server; the SSE `id:`; resume with `Last-Event-ID`. */
  seq: z.number().int().nonnegative(),
  action: proxyEventActionSchema,
  /** Name of the proxy (one directed link of the lab). */
  proxy: z.string(),
  /** Name of the toxic that acted. */
  toxic: z.string(),
  /** `upstream`: client → server bytes; `downstream`: server → client. */
  direction: z.enum(['upstream', 'downstream']),
  /** Number of the TCP connection within the proxy, counting from 1 in accept order. */
  connection: z.number().int().positive(),
  /** True wall time when the proxy acted, ms since the Unix epoch (the lab's god's-eye view). */
  timeMs: z.number(),
  /** The proxy process's monotonic clock, ms. */
  monoMs: z.number(),
  /** Payload size of the message in bytes. */
  size: z.number().int().nonnegative(),
  /** WebSocket opcode of the message: 1 text, 2 binary. */
  opcode: z.number().int(),
  /** The `id` field of the message, when its payload is a JSON object that has one. */
  id: z.union([z.string(), z.number()]).optional(),
  /** The `type` field of the message, when its payload is a JSON object that has one. */
  msgType: z.string().optional(),
  /** For `delayed` and `released`: how long the message was held back. */
  heldMs: z.number().nonnegative().optional(),
  /** Why, when not obvious (e.g. `connection closed` for held messages lost with their connection). */
  reason: z.string().optional(),
});
export type ProxyEvent = z.infer<typeof proxyEventSchema>;

/** `GET /capabilities`: what faultline's proxy can do beyond Toxiproxy (a real Toxiproxy answers 404). */
export const proxyCapabilitiesSchema = z.object({
  server: z.literal('faultline-proxy'),
  version: z.string(),
  /** The Toxiproxy version whose API this server reproduces. */
  toxiproxyCompatible: z.string(),
  toxics: z.array(z.string()),
  messageToxics: z.array(z.object({ type: z.string(), attributes: z.array(z.string()), description: z.string() })),
  events: z.object({ path: z.string(), format: z.literal('text/event-stream') }),
  seed: z.string(),
});
export type ProxyCapabilities = z.infer<typeof proxyCapabilitiesSchema>;
