/** The control API's routes (packages/protocol/src/lab-api.ts), each a call on the Lab. */
import {
  behaviourSpecSchema,
  blockRequestSchema,
  clockRequestSchema,
  linkClearQuerySchema,
  linkFaultsRequestSchema,
  nodeIdSchema,
  partitionRequestSchema,
  rpcRequestSchema,
  sendRequestSchema,
} from '@faultline/protocol';
import { check } from '../check.js';
import { LabError } from '../lab-error.js';
import type { Lab } from '../lab.js';
import { parseBody } from './request.js';

export interface RouteCall {
  readonly lab: Lab;
  /** The path's `{…}` parts, in order. */
  readonly params: readonly string[];
  readonly body: unknown;
  readonly query: URLSearchParams;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: RegExp;
  /** Whether the route reads a JSON body. */
  readonly body: boolean;
  readonly handle: (call: RouteCall) => Promise<unknown>;
}

const ok = { ok: true };
const SEG = '([^/]+)';

/** A route: `{}` in `path` matches one path segment, handed to `handle` in `params`. */
export function route(method: Route['method'], path: string, handle: Route['handle'], body = false): Route {
  return { method, path: new RegExp(`^${path.replaceAll('{}', SEG)}/?$`), body, handle };
}

function since(query: URLSearchParams): number | undefined {
  const text = query.get('since');
  if (text === null) return undefined;
  if (!/^[0-9]+$/.test(text)) throw new LabError('bad-request', `since: expected a trace seq (an integer ≥ 0), got ${JSON.stringify(text)}`);
  return Number(text);
}

function nodeFilter(query: URLSearchParams): string | undefined {
  const node = query.get('node');
  if (node === null) return undefined;
  if (!nodeIdSchema.safeParse(node).success) throw new LabError('bad-request', `node: expected a node id like n1, got ${JSON.stringify(node)}`);
  return node;
}

export const routes: readonly Route[] = [
  route('GET', '/status', ({ lab }) => lab.status()),
  ...(['kill', 'pause', 'resume', 'revive'] as const).map((action) =>
    route('POST', `/nodes/{}/${action}`, async ({ lab, params }) => {
      await lab[action](params[0]);
      return { ok: true, node: params[0], state: lab.state(params[0]) };
    }),
  ),
  route(
    'POST',
    '/nodes/{}/clock',
    async ({ lab, params, body }) => {
      await lab.clock(params[0], parseBody(clockRequestSchema, body));
      return ok;
    },
    true,
  ),
  route(
    'POST',
    '/nodes/{}/behaviours',
    async ({ lab, params, body }) => {
      await lab.startBehaviour(params[0], parseBody(behaviourSpecSchema, body));
      return ok;
    },
    true,
  ),
  route(
    'POST',
    '/partition',
    async ({ lab, body }) => ({ ok: true, cut: (await lab.partition(parseBody(partitionRequestSchema, body).groups)).map((l) => l.name) }),
    true,
  ),
  route(
    'POST',
    '/block',
    async ({ lab, body }) => {
      const { from, to } = parseBody(blockRequestSchema, body);
      await lab.block(from, to);
      return ok;
    },
    true,
  ),
  route('POST', '/heal', async ({ lab }) => ({ ok: true, healed: (await lab.heal()).map((l) => l.name) })),
  route('DELETE', '/links', async ({ lab }) => ({ ok: true, cleared: (await lab.clearLinks()).map((l) => l.name) })),
  route('DELETE', '/links/{}/{}', async ({ lab, params, query }) => {
    const both = check(linkClearQuerySchema, Object.fromEntries(query), 'query').both === 'true';
    return { ok: true, cleared: (await lab.clearLinks(params[0], params[1], { both })).map((l) => l.name) };
  }),
  route(
    'POST',
    '/links/{}/{}',
    async ({ lab, params, body }) => {
      await lab.link(params[0], params[1], parseBody(linkFaultsRequestSchema, body));
      return ok;
    },
    true,
  ),
  route('POST', '/links/{}/{}/hold', async ({ lab, params }) => {
    await lab.hold(params[0], params[1]);
    return ok;
  }),
  route('POST', '/links/{}/{}/release', async ({ lab, params }) => {
    await lab.release(params[0], params[1]);
    return ok;
  }),
  route(
    'POST',
    '/rpc',
    ({ lab, body }) => {
      const r = parseBody(rpcRequestSchema, body);
      return lab.rpc(r.from, r.to, r.msgType, r.body, r.timeoutMs, r.retries);
    },
    true,
  ),
  route(
    'POST',
    '/send',
    async ({ lab, body }) => {
      const r = parseBody(sendRequestSchema, body);
      await lab.send(r.from, r.to, r.msgType, r.body);
      return ok;
    },
    true,
  ),
  route('GET', '/trace', ({ lab, query }) => Promise.resolve(lab.trace({ since: since(query), node: nodeFilter(query) }))),
];

export { since as sinceOf };
