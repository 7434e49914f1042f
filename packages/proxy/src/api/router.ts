/**
 * Routing as gorilla/mux does it for Toxiproxy: unclean paths are redirected (301), a path that
 * matches a route with another method gets 405, anything else 404. Middlewares (the browser
 * refusal) run only for matched routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { posix } from 'node:path';

export type Handler = (req: IncomingMessage, res: ServerResponse, vars: Record<string, string>) => Promise<void> | void;

interface Route { methods: string[]; parts: string[]; handler: Handler }

export type RouteMatch =
  | { kind: 'match'; handler: Handler; vars: Record<string, string> }
  | { kind: 'redirect'; location: string }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

/** Go's mux cleanPath: path.Clean, keeping a trailing slash. */
export function cleanPath(p: string): string {
  if (p === '') return '/';
  if (p[0] !== '/') p = `/${p}`;
  let np = posix.normalize(p);
  if (np.length > 1 && np.endsWith('/')) np = np.slice(0, -1);
  if (p.endsWith('/') && np !== '/') np += '/';
  return np;
}

/** Go's url.URL.EscapedPath for a decoded path: what may not stand in a path is percent-encoded. */
export function escapePath(p: string): string {
  return encodeURI(p).replace(/[?#]/g, (c) => (c === '?' ? '%3F' : '%23'));
}

export class Router {
  private readonly routes: Route[] = [];

  add(methods: string[], template: string, handler: Handler): this {
    this.routes.push({ methods, parts: template.split('/'), handler });
    return this;
  }

  match(method: string, rawUrl: string): RouteMatch {
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      path = rawPath;
    }
    const clean = cleanPath(path);
    if (clean !== path) return { kind: 'redirect', location: escapePath(clean) + (q < 0 ? '' : rawUrl.slice(q)) };
    const parts = path.split('/');
    let methodMismatch = false;
    for (const route of this.routes) {
      const vars = matchParts(route.parts, parts);
      if (!vars) continue;
      if (route.methods.includes(method)) return { kind: 'match', handler: route.handler, vars };
      methodMismatch = true;
    }
    return methodMismatch ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }
}

function matchParts(template: string[], parts: string[]): Record<string, string> | undefined {
  if (template.length !== parts.length) return undefined;
  const vars: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i];
    if (t.startsWith('{') && t.endsWith('}')) {
      if (parts[i] === '') return undefined;
      vars[t.slice(1, -1)] = parts[i];
    } else if (t !== parts[i]) {
      return undefined;
    }
  }
  return vars;
}
