/**
 * "What happened first?" for two trace events, by their vector clocks (not by anyone's wall
 * clock): happened before, happened after, or concurrent (no clock can order them).
 */
import { eventText } from '@faultline/checkers';
import { compare } from '@faultline/clock';
import type { TraceLine } from '@faultline/protocol';

export type Order = 'before' | 'after' | 'concurrent' | 'same';

export interface OrderAnswer {
  order: Order;
  sentence: string;
  /** What the two nodes' wall clocks and true time say, for comparison. */
  wallOrder: 'before' | 'after' | 'same';
  trueOrder: 'before' | 'after' | 'same';
}

function name(line: TraceLine): string {
  return `#${line.seq} (${line.node ?? 'lab'} ${eventText(line)})`;
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

/**
 * The event a person named for `order`: a seq (`12`, `#12`, shown by `trace` and `diagram`) or a
 * message id (`n1-3`, or `n2.2-1` for a message of n2's second life), which means the send of that
 * message.
 */
export function findEvent(lines: readonly TraceLine[], ref: string): TraceLine | { error: string } {
  const bad = checkEventRef(ref);
  if (bad !== undefined) return { error: bad };
  const seq = /^#?(\d+)$/.exec(ref);
  if (seq) {
    const n = Number(seq[1]);
    return lines.find((l) => l.seq === n) ?? { error: `no event #${n} in this run's trace` };
  }
  const sends = lines.filter((l) => l.kind === 'send' && l.msg === ref);
  if (sends.length === 0) return { error: `no send of message ${ref} in this run's trace` };
  if (sends.length > 1) return { error: `message ${ref} was sent ${sends.length} times (#${sends.map((l) => l.seq).join(', #')}): name one by its number` };
  return sends[0];
}

/** Why `ref` names no event (before the trace is read), or undefined when it could. */
export function checkEventRef(ref: string): string | undefined {
  if (/^#?[1-9][0-9]*$/.test(ref) || /^n[1-9][0-9]{0,3}(\.[1-9][0-9]*)?-[1-9][0-9]*$/.test(ref)) return undefined;
  return `expected an event number like 12 or a message id like n1-3, got "${ref}"`;
}
