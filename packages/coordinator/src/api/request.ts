/**
 * Checking a control API request, in one place, against its route's declaration: the path's
 * params, the query and the JSON body. A bad one is a `bad-request` whose one line names the field
 * (`body.groups: expected array, received string, got "n1"`). Also: refusing other origins.
 */
import type { IncomingMessage } from 'node:http';
import { FaultlineError, parseWith, type Route } from '@faultline/protocol';

/** The most a request's body may be (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface CheckedRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: unknown;
  readonly body: unknown;
}

/** The body as JSON (undefined when empty); `bad-request` when it is not JSON or too large. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Refused as soon as it is too large: the rest is not read, let alone kept.
    if (size > MAX_BODY_BYTES) throw new FaultlineError('bad-request', `body: expected at most ${MAX_BODY_BYTES} bytes, got more`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new FaultlineError('bad-request', `body: not JSON (${(err as Error).message})`);
  }
}

function check(schema: Parameters<typeof parseWith>[0], input: unknown, what: string): unknown {
  const parsed = parseWith(schema, input, what);
  if (!parsed.ok) throw new FaultlineError('bad-request', parsed.error);
  return parsed.value;
}

/** Checks a request against `route`: its params, its query (as strings), its body (empty counts as `{}`). */
export async function checkRequest(route: Route, rawParams: Readonly<Record<string, string>>, search: URLSearchParams, req: IncomingMessage): Promise<CheckedRequest> {
  const params: Record<string, string> = {};
  for (const [name, schema] of Object.entries(route.params)) params[name] = check(schema, rawParams[name], `params.${name}`) as string;
  const query = route.query ? check(route.query, Object.fromEntries(search), 'query') : undefined;
  const body = route.body ? check(route.body, (await readJsonBody(req)) ?? {}, 'body') : undefined;
  return { params, query, body };
}

/**
 * The API answers only itself: a request whose `Origin` is another site's (a page in the user's
 * browser) or whose `Host` is not this server's (DNS rebinding) is refused. Its own names are
 * loopback's, and those it listens on or is reached by (`names`: in a container, its host name). Answers why, or undefined.
 */
export function foreignRequest(req: IncomingMessage, port: number, names: readonly string[] = []): string | undefined {
  const own = [`127.0.0.1:${port}`, `localhost:${port}`, ...names.map((name) => `${name}:${port}`)];
  const origin = req.headers.origin;
  if (origin !== undefined && !own.some((host) => origin === `http://${host}`)) return `requests from origin ${origin} are refused`;
  const host = req.headers.host;
  if (host !== undefined && !own.includes(host)) return `requests for host ${host} are refused`;
  return undefined;
}
