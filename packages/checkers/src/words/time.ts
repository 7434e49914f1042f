/** Times, durations and clocks in words (pure, no Node.js): the terminal's and the dashboard's. */
import { compareNodeIds } from '@faultline/clock';

/** A duration: `850ms`, `1.5s`, `-2s`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (a >= 1000) return `${sign}${+(a / 1000).toFixed(3)}s`;
  return `${sign}${+a.toFixed(1)}ms`;
}

/** A time of day to the millisecond, in local time: `12:00:03.512`. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A vector clock in node order: `[n1:3 n2:1 n10:4]`. */
export function vectorText(vc: Readonly<Record<string, number>>): string {
  return `[${Object.entries(vc)
    .sort(([a], [b]) => compareNodeIds(a, b))
    .map(([k, v]) => `${k}:${v}`)
    .join(' ')}]`;
}
