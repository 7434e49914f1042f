/**
 * The report as text for a person, every line within `width` (80) columns: one line a check
 * (status, name, detail; a detail too long is shortened in its middle, --json has it whole), each
 * problem's fix indented under it (prose wrapped at words, commands whole), then a summary.
 *
 *   ok    node        v20.20.2 (faultline needs >=20.19)
 *   warn  chromium    no Chromium at /usr/bin/chromium
 *         fix: only the dashboard's browser tests (npm test) and npm run bench need it
 *              Debian/Ubuntu: sudo apt-get install chromium …
 */
import type { Report, Status } from './finding.js';

export interface RenderOptions {
  width?: number;
  /** Colours a status word (the padding stays outside). */
  paint?: (status: Status, text: string) => string;
  /** The lab size checked for, said in the header. */
  nodes: number;
}

const STATUS = 6;
const NAME = 12;
const FIX = '      fix: ';

/** `text` cut to `width` characters by an ellipsis in its middle (both ends tell most). */
export function shorten(text: string, width: number): string {
  if (text.length <= width) return text;
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}

/**
 * Words of `text` in lines of at most `width` characters: the first after `first`, the rest after
 * `rest` and two more spaces. A line that starts with two spaces is a command (or a line to put in
 * a file) and is never broken or shortened: one to copy must stay whole. The checks keep theirs
 * within 80 columns.
 */
export function wrap(text: string, width: number, first: string, rest: string): string[] {
  if (text.startsWith('  ')) return [first + text];
  const words = text.trim().split(/\s+/);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + '  ';
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  // A single word longer than the line (prose, never a command) is shortened rather than let through.
  return lines.map((l) => shorten(l, width));
}

export function renderReport(r: Report, options: RenderOptions): string[] {
  const width = options.width ?? 80;
  const paint = options.paint ?? ((_s: Status, t: string) => t);
  const out = [shorten(`faultline doctor: this machine, for a lab of ${options.nodes} nodes`, width)];
  for (const check of r.checks) {
    const status = paint(check.status, check.status) + ' '.repeat(STATUS - check.status.length);
    out.push(`${status}${check.name.padEnd(NAME)}${shorten(check.detail, width - STATUS - NAME)}`);
    if (check.fix === undefined) continue;
    check.fix.split('\n').forEach((line, i) => out.push(...wrap(line, width, i === 0 ? FIX : ' '.repeat(FIX.length), ' '.repeat(FIX.length))));
  }
  const failed = r.checks.filter((c) => c.status === 'fail').length;
  const warned = r.checks.filter((c) => c.status === 'warn').length;
  const warnings = `${warned} ${warned === 1 ? 'warning' : 'warnings'}`;
  out.push(failed > 0 ? `${failed} ${failed === 1 ? 'check' : 'checks'} failed, ${warnings}` : warned > 0 ? `no failures, ${warnings}` : 'every check passed');
  return out;
}
