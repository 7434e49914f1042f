import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { controlApiDoc, defineRoute, ERROR_CODES, exitCodeOf, fillPath, httpStatusOf, labApi, lessonApi, literalSegments, matchPath, pathParamNames, queryString, type Routes } from '../src/index.js';

describe('routes as data', () => {
  it('matches a path template, decoding each param; a trailing slash is allowed, other shapes are not', () => {
    expect(matchPath('/links/{from}/{to}', '/links/n1/n2')).toEqual({ from: 'n1', to: 'n2' });
    expect(matchPath('/links/{from}/{to}', '/links/n1/n2/')).toEqual({ from: 'n1', to: 'n2' });
    expect(matchPath('/lessons/{name}/run', '/lessons/a%20b/run')).toEqual({ name: 'a b' });
    expect(matchPath('/links/{from}/{to}', '/links/n1')).toBeUndefined();
    expect(matchPath('/links/{from}/{to}', '/links/n1/n2/hold')).toBeUndefined();
    expect(matchPath('/nodes/{id}/kill', '/nodes/n1/pause')).toBeUndefined();
    expect(matchPath('/nodes/{id}/kill', '/nodes/%E0/kill')).toBeUndefined();
    expect(matchPath('/status', '/status')).toEqual({});
  });

  it('fills a path from its params (encoded) and writes a query string', () => {
    expect(fillPath('/links/{from}/{to}', { from: 'n1', to: 'n2' })).toBe('/links/n1/n2');
    expect(fillPath('/lessons/{name}/run', { name: 'a/b' })).toBe('/lessons/a%2Fb/run');
    expect(queryString({ since: 5, node: undefined })).toBe('?since=5');
    expect(queryString({})).toBe('');
    expect(pathParamNames('/links/{from}/{to}/hold')).toEqual(['from', 'to']);
    expect(literalSegments('/lessons/current')).toBeGreaterThan(literalSegments('/lessons/{name}'));
  });

  it('gives every path param a schema (any non-empty segment unless one is declared)', () => {
    const r = defineRoute({ method: 'POST', path: '/things/{a}/{b}', summary: 'x', params: { a: z.string().regex(/^t/) }, response: z.null() });
    expect(Object.keys(r.params)).toEqual(['a', 'b']);
    expect(r.params.a.safeParse('x').success).toBe(false);
    expect(r.params.b.safeParse('x').success).toBe(true);
    expect(r.params.b.safeParse('').success).toBe(false);
    expect(r.errors).toEqual([]);
  });

  it('declares each route once: no two routes of the lab and the lessons share a method and path shape', () => {
    const all: Routes = { ...labApi, ...lessonApi };
    expect(Object.keys(all)).toHaveLength(Object.keys(labApi).length + Object.keys(lessonApi).length);
    const shapes = Object.values(all).map((r) => `${r.method} ${r.path.replace(/\{[^}]+\}/g, '{}')}`);
    expect(new Set(shapes).size).toBe(shapes.length);
    for (const [name, r] of Object.entries(all)) {
      expect(Object.keys(r.params), name).toEqual(pathParamNames(r.path));
      for (const code of r.errors) expect(ERROR_CODES[code], `${name}: ${code}`).toBeDefined();
    }
  });
});

describe('error codes as data', () => {
  it('gives every code a meaning, and HTTP statuses and exit codes where they apply', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(info.meaning, code).toMatch(/^\S.+$/);
      if ('http' in info) expect(info.http, code).toBeGreaterThanOrEqual(400);
    }
    expect(httpStatusOf('bad-request')).toBe(400);
    expect(httpStatusOf('unknown-node')).toBe(404);
    expect(httpStatusOf('bad-usage')).toBe(500);
    expect(exitCodeOf('bad-usage')).toBe(2);
    expect(exitCodeOf('conflict')).toBe(1);
    expect(exitCodeOf('interrupted')).toBe(130);
  });
});

describe('docs/control-api.md', () => {
  it('is generated from the registries and is current (npm run api-docs writes it)', () => {
    const file = new URL('../../../docs/control-api.md', import.meta.url);
    expect(readFileSync(file, 'utf8')).toBe(controlApiDoc());
    for (const r of Object.values(labApi)) expect(controlApiDoc()).toContain(`\`${r.method} ${r.path}\``);
  });
});
