/**
 * Where the lab and its control API meet (types, and `implement`): the lab hands itself to a
 * server it is given (start-lab.ts wires in api/http-api.ts), so lab.ts never imports the API,
 * and the API sees the lab only through its own interface (api/lab-port.ts).
 */
import type { EventSink, Handlers, Routes } from '@faultline/protocol';
import type { Logger } from 'pino';

/** A route's handler once its types are checked: called with the checked request (and a sink, streaming). */
export type AnyHandler<Ctx> = (
  call: { ctx: Ctx; params: Readonly<Record<string, string>>; query: unknown; body: unknown; afterAnswer: (then: () => void) => void },
  sink: EventSink<unknown>,
) => unknown;

/** A registry's routes with a handler for each: what a server serves. */
export interface RouteSet<Ctx> {
  readonly routes: Routes;
  readonly handlers: Readonly<Record<string, AnyHandler<Ctx>>>;
}

/** Pairs a registry with its handlers (the compiler checks one for every route, of the right type). */
export function implement<Rs extends Routes, Ctx>(routes: Rs, handlers: Handlers<Rs, Ctx>): RouteSet<Ctx> {
  return { routes, handlers: handlers as unknown as RouteSet<Ctx>['handlers'] };
}

export interface ServeOptions<Ctx> {
  /** The built dashboard, served at `/` beside the API (same origin). */
  readonly dashboardDir?: string;
  /** The address to listen on (default 127.0.0.1; the lab's `listenHost`). */
  readonly host?: string;
  /** Host names besides loopback that requests may name in `Host` (the name other hosts dial). */
  readonly hostNames?: readonly string[];
  /** More routes (the CLI adds the lessons'), served after the lab's own: one set or several. */
  readonly routes?: RouteSet<Ctx> | readonly RouteSet<Ctx>[];
}

/** A control API that is listening. */
export interface RunningApi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts a control API for `lab` on 127.0.0.1 (`port` 0: any free port). */
export type StartApi<Ctx> = (lab: Ctx, port: number, logger: Logger, options: ServeOptions<Ctx>) => Promise<RunningApi>;
