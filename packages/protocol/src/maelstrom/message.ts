/**
 * Maelstrom's node protocol: what a program reads on stdin and writes on stdout, one JSON object
 * a line, `{src, dest, body}`. `body.type` names the message; a request carries a `msg_id`
 * (unique among its sender's messages), a reply the `in_reply_to` of the request it answers.
 * Bodies keep every other field (each message type adds its own), and so does the envelope
 * (Maelstrom's own network adds an `id`, which some programs echo back).
 *
 * Servers are `n1`, `n2` … (the lab numbers from 1; Maelstrom from 0), clients `c1`, `c2` …,
 * services by name (`lin-kv`, `seq-kv`, `lww-kv`, `lin-tso`).
 *
 * At the start each node receives `init {node_id, node_ids}` and must answer `init_ok`. A
 * request may be answered with `error {code, text?}` instead of its `_ok` (codes: errors.ts).
 */
import * as z from 'zod';
import { parseJsonWith, parseWith, type Parsed } from '../parse.js';

/** A node's, client's or service's id: any short text (`n1`, `c4`, `lin-kv`). */
export const maelstromNodeIdSchema = z.string().min(1).max(100);

/** A message id: a non-negative integer. */
export const maelstromMsgIdSchema = z.number().int().min(0);

/** Every body: a `type`, maybe `msg_id` and `in_reply_to`, and whatever fields its type has. */
export const maelstromBodySchema = z.looseObject({
  type: z.string().min(1).max(100),
  msg_id: maelstromMsgIdSchema.optional(),
  in_reply_to: maelstromMsgIdSchema.optional(),
});
export type MaelstromBody = z.infer<typeof maelstromBodySchema>;

/** One line of the protocol: who sends it, to whom, and the body. */
export const maelstromMessageSchema = z.looseObject({
  src: maelstromNodeIdSchema,
  dest: maelstromNodeIdSchema,
  body: maelstromBodySchema,
});
export type MaelstromMessage = z.infer<typeof maelstromMessageSchema>;

/** `init`: who you are and who is in the cluster (the same list, in the same order, for everyone). */
export const maelstromInitSchema = maelstromBodySchema.extend({
  type: z.literal('init'),
  msg_id: maelstromMsgIdSchema,
  node_id: maelstromNodeIdSchema,
  node_ids: z.array(maelstromNodeIdSchema).min(1),
});
export type MaelstromInit = z.infer<typeof maelstromInitSchema>;

/** `init_ok`: the node is ready. */
export const maelstromInitOkSchema = maelstromBodySchema.extend({ type: z.literal('init_ok'), in_reply_to: maelstromMsgIdSchema });

/** `error`: the request failed; `code` says how (definite or not), `text` says why, for people. */
export const maelstromErrorBodySchema = maelstromBodySchema.extend({
  type: z.literal('error'),
  in_reply_to: maelstromMsgIdSchema,
  code: z.number().int().min(0),
  text: z.string().optional(),
});
export type MaelstromErrorBody = z.infer<typeof maelstromErrorBodySchema>;

/**
 * One line of a program's stdout (or the lab's input to it), checked: `{ok: true, value}`, or
 * `{ok: false, error}` with one line naming what was wrong (`message.body.type: expected string,
 * got nothing`; `message: not JSON (…)`).
 */
export function parseMaelstromMessage(line: string): Parsed<MaelstromMessage> {
  return parseJsonWith(maelstromMessageSchema, line, 'message');
}

/** A body checked against one message's schema (an `init`, a `read_ok` …); `what` names it in the error line. */
export function parseMaelstromBody<S extends z.ZodType>(schema: S, body: unknown, what = 'body'): Parsed<z.infer<S>> {
  return parseWith(schema, body, what);
}
