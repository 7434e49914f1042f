/**
 * A route registry as a Markdown reference (the docs are generated from the declarations, as
 * Maelstrom's are): one row a route, with the shape of its query, body and answer, and its codes.
 */
import * as z from 'zod';
import type { Route, Routes } from './route.js';

type Json = { type?: string | string[]; const?: unknown; enum?: unknown[]; properties?: Record<string, Json>; required?: string[]; items?: Json; anyOf?: Json[]; oneOf?: Json[] };

/** A JSON schema in a few words: `{from, to, msgType?}`, `[{…}…]`, `number or null` (no `|`: it would end a table cell). */
function shape(s: Json, depth = 0): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' or ');
  const union = s.anyOf ?? s.oneOf;
  // A long union of objects (a trace line: one shape per kind of event) shows the keys all share.
  if (union && union.length > 4 && union.every((u) => u.properties)) {
    const common = Object.keys(union[0].properties!).filter((k) => union.every((u) => u.properties![k] !== undefined));
    const required = common.filter((k) => union.every((u) => u.required?.includes(k)));
    return `{${common.map((k) => (required.includes(k) ? k : `${k}?`)).join(', ')}, …by ${common[0] ?? 'kind'}}`;
  }
  if (union) return union.map((u) => shape(u, depth)).join(' or ');
  if (s.type === 'array') return `[${s.items ? shape(s.items, depth) : ''}…]`;
  if (s.type === 'object' && s.properties) {
    if (depth > 0) return '{…}';
    const required = new Set(s.required ?? []);
    return `{${Object.keys(s.properties).map((k) => (required.has(k) ? k : `${k}?`)).join(', ')}}`;
  }
  return Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
}

function describe(schema: z.ZodType | undefined, io: 'input' | 'output'): string {
  if (!schema) return '';
  return `\`${shape(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json)}\``;
}

function errorsOf(route: Route): string {
  const inputs = route.body !== undefined || route.query !== undefined || Object.keys(route.params).length > 0;
  return [...(inputs ? ['bad-request'] : []), ...route.errors.filter((c) => c !== 'failed'), 'failed'].join(', ');
}

/** The routes of `registries` as one Markdown table. */
export function apiReference(registries: readonly Routes[]): string {
  const rows = registries.flatMap((routes) =>
    Object.entries(routes).map(([name, r]) => `| \`${name}\` | \`${r.method} ${r.path}\` | ${r.summary} | ${describe(r.query, 'input')} | ${describe(r.body, 'input')} | ${r.stream ? 'events: ' : ''}${describe(r.response, 'output')} | ${errorsOf(r)} |`),
  );
  return ['| name | route | what it does | query | body | answer | error codes |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}
