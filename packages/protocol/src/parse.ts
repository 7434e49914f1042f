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
 * A hand-written check that is equal to or stricter than a schema, for hot paths: `true` only
 * for a value the schema accepts *and* returns unchanged (no default to fill in, no unknown key to
 * strip). When it says `false` the schema decides, so it may say `false` for anything unusual.
 */
export type FastCheck<T> = (value: unknown) => value is T;

/**
 * Checks `input` against `schema`. On failure the error is one line that names what was wrong:
 * `<what>.<path>: <expectation>, got <value>` (the first problem found). With `fast`, a value it
 * accepts skips zod; everything else goes through the schema as before.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string, fast?: FastCheck<z.infer<S>>): Parsed<z.infer<S>> {
  if (fast?.(input)) return { ok: true, value: input };
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue.path.map(String).join('.');
  const where = path ? `${what}.${path}` : what;
  // A field it does not have, named: a typo is refused, never ignored.
  if (issue.code === 'unrecognized_keys') return { ok: false, error: `${where}.${issue.keys[0]}: unknown field` };
  // zod's "expected string, received undefined" says what came twice: "got …" says it once, in words.
  return { ok: false, error: `${where}: ${issue.message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '')}, got ${describe(at(input, issue.path))}` };
}

/** Parses JSON text, nothing more: a malformed frame becomes an error line, not a throw. */
export function parseJson(text: string, what: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: `${what}: not JSON (${(err as Error).message})` };
  }
}

/** Parses JSON text, then checks it: a malformed frame or message becomes an error line, not a throw. */
export function parseJsonWith<S extends z.ZodType>(schema: S, text: string, what: string, fast?: FastCheck<z.infer<S>>): Parsed<z.infer<S>> {
  const json = parseJson(text, what);
  return json.ok ? parseWith(schema, json.value, what, fast) : json;
}
