/**
 * A typed client derived from a route registry (browser-safe: only `fetch`). Each route becomes a
 * method of the same name that takes the route's `RouteInput` and answers its checked response;
 * an error answer becomes a FaultlineError with the server's code and one-line message.
 *
 *   const lab = createClient(labApi, { baseUrl: 'http://127.0.0.1:4000' });
 *   const { cleared } = await lab.clearLink({ params: { from: 'n1', to: 'n2' } });
 */
import { isErrorCode, type ErrorCode } from '../errors/error-codes.js';
import { FaultlineError } from '../errors/faultline-error.js';
import { apiErrorSchema } from '../lab-api.js';
import { parseWith } from '../parse.js';
import { fillPath, queryString, type Route, type Routes } from './route.js';
import type { RouteInput, RouteOutput } from './route-call.js';

export interface ClientOptions {
  /** Sent with every request (the class console's key: `authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The API's address, e.g. `http://127.0.0.1:4000`; '' for the page's own origin (the dashboard). */
  readonly baseUrl: string;
  /** A hint for the `unavailable` error (nothing answers): how to start a lab. */
  readonly unavailableHint?: string;
}

type Call<R extends Route> = object extends RouteInput<R> ? (input?: RouteInput<R>) => Promise<RouteOutput<R>> : (input: RouteInput<R>) => Promise<RouteOutput<R>>;

type StreamName<Rs extends Routes> = { [K in keyof Rs]: Rs[K] extends { readonly stream: true } ? K : never }[keyof Rs];

/** A method for each route that answers one JSON value; `url` gives any route's address (a stream's, for an EventSource). */
export type Client<Rs extends Routes> = { readonly [K in Exclude<keyof Rs, StreamName<Rs>>]: Call<Rs[K]> } & {
  readonly url: <K extends keyof Rs>(name: K, ...input: object extends RouteInput<Rs[K]> ? [RouteInput<Rs[K]>?] : [RouteInput<Rs[K]>]) => string;
};

interface AnyInput {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
}

/** The code of an error answer that carries none (or one this side does not know). */
function codeOfStatus(status: number): ErrorCode {
  if (status === 400) return 'bad-request';
  if (status === 404) return 'not-found';
  if (status === 401) return 'unauthorized';
  if (status === 409) return 'conflict';
  return 'failed';
}

export function createClient<Rs extends Routes>(routes: Rs, options: ClientOptions): Client<Rs> {
  const base = options.baseUrl.replace(/\/$/, '');
  const where = base || 'this address';
  const url = (route: Route, input: AnyInput = {}): string => base + fillPath(route.path, input.params ?? {}) + queryString(input.query);

  async function call(name: string, route: Route, input: AnyInput = {}): Promise<unknown> {
    const hasBody = route.body !== undefined;
    let res: Response;
    try {
      res = await fetch(url(route, input), {
        method: route.method,
        headers: { ...options.headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
        body: hasBody ? JSON.stringify(input.body ?? {}) : undefined,
      });
    } catch (err) {
      throw new FaultlineError('unavailable', `no lab answers at ${where}`, { cause: err, ...(options.unavailableHint ? { hint: options.unavailableHint } : {}) });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch (err) {
      throw new FaultlineError('bad-answer', `the lab at ${where} answered ${res.status} with something that is not JSON`, { cause: err });
    }
    if (!res.ok) {
      const e = apiErrorSchema.safeParse(json);
      if (!e.success) throw new FaultlineError(codeOfStatus(res.status), `the lab answered ${res.status} to ${route.method} ${route.path}`);
      throw new FaultlineError(isErrorCode(e.data.code) ? e.data.code : codeOfStatus(res.status), e.data.error);
    }
    const parsed = parseWith(route.response, json, `the answer to ${name}`);
    if (!parsed.ok) throw new FaultlineError('bad-answer', `unexpected answer from the lab: ${parsed.error}`);
    return parsed.value;
  }

  const client: Record<string, unknown> = {
    url: (name: string, input?: AnyInput) => url(routes[name], input),
  };
  for (const [name, route] of Object.entries(routes)) {
    if (!route.stream) client[name] = (input?: AnyInput) => call(name, route, input);
  }
  return client as Client<Rs>;
}
