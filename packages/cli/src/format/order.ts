/**
 * "What happened first?" for two trace events, by their vector clocks (not by anyone's wall
 * clock): happened before, happened after, or concurrent (no clock can order them).
 */
import { compare } from '@faultline/clock';
import type { TraceLine } from '@faultline/protocol';
import { describeEvent } from '@faultline/lessons';

export type Order = 'before' | 'after' | 'concurrent' | 'same';

export interface OrderAnswer {
  order: Order;
  sentence: string;
  /** What the two nodes' wall clocks and true time say, for comparison. */
  wallOrder: 'before' | 'after' | 'same';
  trueOrder: 'before' | 'after' | 'same';
}

const ESC = String.fromCharCode(27);

function stripAnsi(text: string): string {
  return text.split(ESC).map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, ''))).join('');
}

function name(line: TraceLine): string {
  return `#${line.seq} (${line.node ?? 'lab'} ${stripAnsi(describeEvent(line))})`;
}

function cmp(a: number, b: number): 'before' | 'after' | 'same' {
  return a < b ? 'before' : a > b ? 'after' : 'same';
}

export function orderOf(a: TraceLine, b: TraceLine): OrderAnswer | { error: string } {
  if (!a.clocks || !b.clocks) return { error: `event ${a.clocks ? b.seq : a.seq} carries no vector clock (only node events do)` };
  const vc = compare(a.clocks.vc, b.clocks.vc);
  const order: Order = vc === 'equal' ? 'same' : vc;
  const sentence =
    order === 'concurrent'
      ? `${name(a)} and ${name(b)} are concurrent: neither could have influenced the other`
      : order === 'same'
        ? `${name(a)} and ${name(b)} have the same vector clock`
        : `${name(a)} happened ${order} ${name(b)}`;
  return { order, sentence, wallOrder: cmp(a.clocks.wallMs, b.clocks.wallMs), trueOrder: cmp(a.trueMs, b.trueMs) };
}
