/**
 * What a service is (lin-kv, seq-kv, lww-kv, lin-tso; registry.ts names them): a pure state
 * machine, `(state, request, context) → (state, reply)`. The shell owns the service's inbox and
 * outbox: it hands each request message to `handle` in arrival order, and sends the reply body
 * back to the request's `src` from the service's name. Randomness (which past state seq-kv
 * serves, which replica lww-kv asks) comes from the context's seeded PRNG.
 */
import { maelstromError, type MaelstromBody, type MaelstromMessage, type MaelstromServiceName } from '@faultline/protocol';
import type { Rng } from '@faultline/random';

export interface ServiceContext {
  /** The run's PRNG for this service (e.g. `createRng(seed, 'maelstrom:seq-kv')`). */
  readonly rng: Rng;
}

export interface ServiceOptions {
  /** seq-kv: how many past states a client may be served from (default 32, as Maelstrom). */
  readonly history?: number;
  /** lww-kv: how many independent replicas answer (default 2, as Maelstrom's code). */
  readonly replicas?: number;
}

export interface Handled<S> {
  readonly state: S;
  /** The reply's body: its `type` and the `in_reply_to` of the request (when it had a `msg_id`). */
  readonly reply: MaelstromBody;
}

export interface Service<S> {
  readonly name: MaelstromServiceName;
  /** One line: what it offers, how consistent. */
  readonly doc: string;
  init(options?: ServiceOptions): S;
  handle(state: S, request: MaelstromMessage, context: ServiceContext): Handled<S>;
}

/** A reply to `request`: `body` with the request's `msg_id` as `in_reply_to`. */
export function replyTo(request: MaelstromMessage, body: { readonly type: string } & Record<string, unknown>): MaelstromBody {
  return { ...body, ...(request.body.msg_id === undefined ? {} : { in_reply_to: request.body.msg_id }) };
}

/** An `error` reply with Maelstrom's code and a line of text. */
export function errorTo(request: MaelstromMessage, code: number, text: string): MaelstromBody {
  return replyTo(request, { type: 'error', code, text: text || maelstromError(code).meaning });
}
