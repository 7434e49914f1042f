/**
 * The types a route's declaration gives both ends: what a client hands in (`RouteInput`) and gets
 * back (`RouteOutput`), and what a server's handler is called with (`RouteCall`) and must answer.
 */
import type { z } from 'zod';
import type { PathParams, Route, Routes } from './route.js';

type ParamsPart<R extends Route> = [PathParams<R['path']>] extends [never] ? object : { readonly params: { readonly [K in PathParams<R['path']>]: string } };
type QueryPart<R extends Route> = R extends { readonly query: infer Q extends z.ZodType } ? { readonly query?: z.input<Q> } : object;
/** A body whose every field is optional may be left out (the client sends `{}`). */
type BodyPart<R extends Route> = R extends { readonly body: infer B extends z.ZodType } ? (object extends z.input<B> ? { readonly body?: z.input<B> } : { readonly body: z.input<B> }) : object;

/** What a client hands in: `params` (the path's), `query` and `body`, each only where the route has one. */
export type RouteInput<R extends Route> = ParamsPart<R> & QueryPart<R> & BodyPart<R>;

/** What a client gets back (checked against the route's `response`). */
export type RouteOutput<R extends Route> = z.output<R['response']>;

/** A route's checked request, as its handler gets it, beside the server's own `ctx`. */
export interface RouteCall<R extends Route, Ctx> {
  readonly ctx: Ctx;
  readonly params: { readonly [K in PathParams<R['path']>]: string };
  readonly query: R extends { readonly query: infer Q extends z.ZodType } ? z.output<Q> : undefined;
  readonly body: R extends { readonly body: infer B extends z.ZodType } ? z.output<B> : undefined;
  /** Runs `then` once the answer is sent (`POST /down` stops the lab after saying so). */
  readonly afterAnswer: (then: () => void) => void;
}

/**
 * Where a streaming route's events go (server-sent events), as its handler sees it. A client
 * reads at its own pace: when `send` answers false its buffer is full, and the handler sends no
 * more until `drained()` resolves (what it holds for a slow client stays bounded).
 */
export interface EventSink<T> {
  /** The client's `Last-Event-ID` (a browser's EventSource resuming), if it sent one. */
  readonly lastEventId: string | undefined;
  /** Sends one event; false when the client's buffer is full (wait for `drained`). */
  send(id: string | number, event: T): boolean;
  /** Sends events already in JSON (`json`: one event's text, no newline), in one write; as `send`. */
  sendJson(events: readonly { readonly id: string | number; readonly json: string }[]): boolean;
  comment(text: string): void;
  /** Resolves true once the client has taken what was buffered, or false when it has gone. */
  drained(): Promise<boolean>;
}

/**
 * The handler of a route: answers the route's `response` (its wire form); a streaming route's
 * handler sends events to `sink` and answers how to stop (the client went, or the server closes).
 */
export type Handler<R extends Route, Ctx> = R extends { readonly stream: true }
  ? (call: RouteCall<R, Ctx>, sink: EventSink<z.input<R['response']>>) => () => void
  : (call: RouteCall<R, Ctx>) => Promise<z.input<R['response']>>;

/** One handler for every route of a registry: the compiler says which one is missing. */
export type Handlers<Rs extends Routes, Ctx> = { readonly [K in keyof Rs]: Handler<Rs[K], Ctx> };
