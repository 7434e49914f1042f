/**
 * JSON values compared by content (pure): the canonical text of a value, object keys sorted, so
 * `{a: 1, b: 2}` and `{b: 2, a: 1}` are the same id, key or element. Programs answer in any key
 * order; the checkers and services compare what they mean.
 */
export function jsonKey(value: unknown): string {
  return JSON.stringify(canonical(value)) ?? 'undefined';
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** The same JSON value? */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return jsonKey(a) === jsonKey(b);
}

/** A value as a student reads it in a sentence: JSON, cut short. */
export function show(value: unknown, max = 60): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
