/** A duration for people: `850ms`, `1.5s`, `-2s`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (a >= 1000) return `${sign}${+(a / 1000).toFixed(3)}s`;
  return `${sign}${+a.toFixed(1)}ms`;
}
