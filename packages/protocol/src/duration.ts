/**
 * Durations as people write them, `200ms`, `2s`, `1.5s`, `1m` (with `signed`, also `+2s`, `-500ms`),
 * read the one way every part of faultline reads them: the CLI's flags and lesson files alike.
 */
export const DURATION_PATTERN = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)$/;
export const SIGNED_DURATION_PATTERN = /^([+-]?)([0-9]+(?:\.[0-9]+)?)(ms|s|m)$/;
const FACTOR: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** The duration in ms, or undefined when `text` is not one. */
export function durationMs(text: string, options: { signed?: boolean } = {}): number | undefined {
  const m = SIGNED_DURATION_PATTERN.exec(text);
  if (!m || (m[1] !== '' && !options.signed)) return undefined;
  const ms = Number(m[2]) * FACTOR[m[3]];
  return m[1] === '-' ? -ms : ms;
}
