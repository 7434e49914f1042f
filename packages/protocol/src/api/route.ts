/**
 * A route of an HTTP JSON API, declared once as data (trpc's router, Maelstrom's registries): its
 * method, its path with named `{params}`, the schemas of its query, body and answer, and the error
 * codes it can answer. The server's routing and validation, its handlers' types and the typed
 * clients are all derived from these declarations; nothing about a route is written twice.
 */
import * as z from 'zod';
import type { ErrorCode } from '../errors/error-codes.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** The names of a path's `{params}`: `'/links/{from}/{to}'` → `'from' | 'to'`. */
export type PathParams<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | PathParams<Rest> : never;

export interface Route<P extends string = string> {
  readonly method: HttpMethod;
  /** `/links/{from}/{to}`: each `{name}` is one path segment, handed to the handler as `params.name`. */
  readonly path: P;
  /** One line for the docs: what the route does. */
  readonly summary: string;
  /** A schema for each path param (any non-empty segment where none is given). */
  readonly params: string extends P ? Readonly<Record<string, z.ZodType<string, string>>> : { readonly [K in PathParams<P>]: z.ZodType<string, string> };
  /** The query string, as an object of strings (`?since=5` → `{ since: '5' }`). */
  readonly query?: z.ZodType<unknown, Record<string, string | number | boolean | undefined>>;
  /** The JSON body (an empty body is checked as `{}`). */
  readonly body?: z.ZodType;
  /** The answer: one JSON value, or with `stream` each server-sent event's data. */
  readonly response: z.ZodType;
  /** Answered as server-sent events (one `response` each) instead of one JSON value. */
  readonly stream?: true;
  /** The codes this route answers besides `bad-request` (a bad param, query or body) and `failed`. */
  readonly errors: readonly ErrorCode[];
}

/** A registry: routes by name (the name is the client's method). */
export type Routes = Readonly<Record<string, Route>>;

const anySegment = z.string().min(1);

/** Names of the `{params}` of a path, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

type RouteDraft<P extends string> = Omit<Route<P>, 'params' | 'errors' | 'path'> & {
  readonly path: P;
  readonly params?: { readonly [K in PathParams<P>]?: z.ZodType<string, string> };
  readonly errors?: readonly ErrorCode[];
};

type Defined<P extends string, D> = Omit<D, 'params' | 'errors'> & Route<P>;

/** Declares a route: params not given a schema accept any non-empty segment. */
export function defineRoute<const P extends string, const D extends RouteDraft<P>>(draft: D & { readonly path: P }): Defined<P, D> {
  const given: Readonly<Record<string, z.ZodType<string, string> | undefined>> = draft.params ?? {};
  const params = Object.fromEntries(pathParamNames(draft.path).map((name) => [name, given[name] ?? anySegment]));
  const route: Route = { ...draft, params, errors: draft.errors ?? [] };
  return route as Defined<P, D>;
}

/** `fillPath('/links/{from}/{to}', { from: 'n1', to: 'n2' })` → `/links/n1/n2` (each segment encoded). */
export function fillPath(path: string, params: Readonly<Record<string, string>>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name]));
}

/**
 * The params of `pathname` if it has the shape of `path` (same segments, literal ones equal),
 * else undefined. A trailing slash is allowed. Segments are decoded; a bad escape matches nothing.
 */
export function matchPath(path: string, pathname: string): Record<string, string> | undefined {
  const want = path.split('/');
  const got = (pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname).split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const name = /^\{([^}]+)\}$/.exec(want[i])?.[1];
    if (name === undefined) {
      if (want[i] !== got[i]) return undefined;
      continue;
    }
    try {
      params[name] = decodeURIComponent(got[i]);
    } catch {
      return undefined;
    }
  }
  return params;
}

/** How many literal segments a path has: the more, the more specific (`/lessons/current` beats `/lessons/{name}`). */
export function literalSegments(path: string): number {
  return path.split('/').filter((s) => s !== '' && !s.startsWith('{')).length;
}

/** A query object as a query string (`?a=1&b=x`, or '' when empty); undefined values are left out. */
export function queryString(query: Readonly<Record<string, string | number | boolean | undefined>> | undefined): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) search.set(k, `${v}`);
  const text = search.toString();
  return text ? `?${text}` : '';
}
