/**
 * The agent's protocol: the coordinator ↔ `faultline-agent`, which runs in a node's own container
 * (or pod) and starts, signals and watches that node's process there, so that `kill`, `pause` and
 * `revive` work as on one machine. One WebSocket, JSON text frames, one message a frame:
 *   coordinator → agent: `start` (the node's arguments and its FAULTLINE_* environment), `signal`
 *   agent → coordinator: `ready` (first), `started` {pid}, `output` (what the node wrote),
 *                         `exit` {code, signal}, `error` (a command it could not do)
 * The agent only ever runs faultline-node: the coordinator names its arguments, never a program,
 * and may set only FAULTLINE_* variables.
 */
import * as z from 'zod';

/** The signals the lab sends a node: kill, pause, resume, stop. */
export const AGENT_SIGNALS = ['SIGKILL', 'SIGSTOP', 'SIGCONT', 'SIGTERM'] as const;
export type AgentSignal = (typeof AGENT_SIGNALS)[number];

/** The port an agent listens on unless told otherwise. */
export const AGENT_DEFAULT_PORT = 7070;

export const agentCommandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    args: z.array(z.string().max(4096)).max(64),
    env: z.record(z.string().regex(/^FAULTLINE_[A-Z0-9_]+$/, 'only FAULTLINE_* variables'), z.string().max(4096)),
    /** Lead a process group, signalled as one: the node hosts a program, which a kill or a pause must reach too. */
    group: z.boolean().optional(),
  }),
  z.object({ type: z.literal('signal'), signal: z.enum(AGENT_SIGNALS) }),
]);
export type AgentCommand = z.infer<typeof agentCommandSchema>;

export const agentEventSchema = z.discriminatedUnion('type', [
  /** Sent once the connection is open: the agent's host name (its container's). */
  z.object({ type: z.literal('ready'), host: z.string(), version: z.literal(1) }),
  z.object({ type: z.literal('started'), pid: z.number().int().positive() }),
  z.object({ type: z.literal('output'), data: z.string() }),
  z.object({ type: z.literal('exit'), code: z.number().int().nullable(), signal: z.string().nullable() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type AgentEvent = z.infer<typeof agentEventSchema>;

/** `host:port` of an agent (`n1:7070`, `10.0.0.5:7070`); the port defaults to {@link AGENT_DEFAULT_PORT}. */
export const agentAddressSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,253}(:[0-9]{1,5})?$/, 'expected host or host:port, like n1:7070')
  .transform((text) => (text.includes(':') ? text : `${text}:${AGENT_DEFAULT_PORT}`))
  .refine((text) => {
    const port = Number(text.slice(text.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'the port must be 1-65535');
