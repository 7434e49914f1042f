/**
 * One trace line in the terminal: `12:00:03.512 n2   ✗ killed (SIGKILL)`. The words are the
 * checkers' (`traceWords`, the dashboard's too); here they get colour by tone and columns. The time
 * is true time (the lab's god's-eye view).
 */
import { clockTime, traceWords, type Tone } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';
import { style } from './style.js';

const TONE: Record<Tone, (s: string) => string> = {
  plain: (s) => s,
  good: style.green,
  bad: style.red,
  warn: style.yellow,
  change: style.magenta,
  state: style.blue,
};

/** The event part of the line, without time and node, coloured on a TTY. */
function describeEvent(line: TraceLine): string {
  const { tone, parts } = traceWords(line);
  return TONE[tone](parts.map((p) => (p.minor ? style.dim(p.text) : p.text)).join(''));
}

export function formatTraceLine(line: TraceLine): string {
  const who = (line.node ?? 'lab').padEnd(4);
  return `${style.dim(clockTime(line.trueMs))} ${style.bold(who)} ${describeEvent(line)}`;
}
