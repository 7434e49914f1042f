import type { z } from 'zod';

/** The outcome of checking untrusted input against a schema: never throws. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  return typeof value === 'function' ? 'a function' : 'an object';
}

function at(root: unknown, path: PropertyKey[]): unknown {
  let v = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/**
 * Checks `input` against `schema`. On failure the error is one line that names what was wrong:
 * `<what>.<path>: <expectation>, got <value>` (the first problem found).
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): Parsed<z.infer<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue.path.map(String).join('.');
  const where = path ? `${what}.${path}` : what;
  return { ok: false, error: `${where}: ${issue.message.replace(/^Invalid input: /, '')}, got ${describe(at(input, issue.path))}` };
}

/** Parses JSON text, then checks it: a malformed frame or message becomes an error line, not a throw. */
export function parseJsonWith<S extends z.ZodType>(schema: S, text: string, what: string): Parsed<z.infer<S>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${what}: not JSON (${(err as Error).message})` };
  }
  return parseWith(schema, value, what);
}
