/** Finding the route of a request among route sets (pure): the most specific path wins. */
import { literalSegments, matchPath, type HttpMethod, type Route } from '@faultline/protocol';
import type { AnyHandler, RouteSet } from '../control-api-port.js';

export interface Entry<Ctx> {
  readonly name: string;
  readonly route: Route;
  readonly handler: AnyHandler<Ctx>;
}

export type Lookup<Ctx> =
  | { readonly kind: 'found'; readonly entry: Entry<Ctx>; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'wrong-method'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'none' };

export class RouteTable<Ctx> {
  private readonly entries: Entry<Ctx>[];

  constructor(sets: readonly RouteSet<Ctx>[]) {
    const entries = sets.flatMap((set) => Object.entries(set.routes).map(([name, route]) => ({ name, route, handler: set.handlers[name] })));
    const seen = new Set<string>();
    for (const e of entries) {
      if (typeof e.handler !== 'function') throw new Error(`route ${e.name} (${e.route.method} ${e.route.path}) has no handler`);
      const key = `${e.route.method} ${e.route.path.replace(/\{[^}]+\}/g, '{}')}`;
      if (seen.has(key)) throw new Error(`two routes are ${key}`);
      seen.add(key);
    }
    // Stable: among equally specific paths, the earlier set (the lab's own) wins.
    this.entries = entries.map((e, i) => ({ e, i })).sort((a, b) => literalSegments(b.e.route.path) - literalSegments(a.e.route.path) || a.i - b.i).map(({ e }) => e);
  }

  lookup(method: string, pathname: string): Lookup<Ctx> {
    const matching = this.entries.flatMap((entry) => {
      const params = matchPath(entry.route.path, pathname);
      return params ? [{ entry, params }] : [];
    });
    const found = matching.find((m) => m.entry.route.method === method);
    if (found) return { kind: 'found', ...found };
    if (matching.length > 0) return { kind: 'wrong-method', allowed: [...new Set(matching.map((m) => m.entry.route.method))] };
    return { kind: 'none' };
  }
}
