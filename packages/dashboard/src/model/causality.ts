/**
 * "What could have influenced this event, and what could it influence?" (pure), by vector clocks:
 * the causal past of e is every event whose clock is below e's, its future every event above it;
 * the rest are concurrent with e: no message chain links them, whatever the wall clocks say.
 */
import { compare } from '@faultline/clock';
import { isNodeEvent, type TraceLine } from '@faultline/protocol';

export interface CausalSets {
  readonly past: Set<number>;
  readonly future: Set<number>;
  readonly concurrent: Set<number>;
}

/** Node events only (they carry a vector clock); lab events belong to none of the sets. */
export function causalSets(lines: readonly TraceLine[], event: TraceLine): CausalSets {
  const past = new Set<number>();
  const future = new Set<number>();
  const concurrent = new Set<number>();
  const vc = event.clocks?.vc;
  if (!vc || !isNodeEvent(event)) return { past, future, concurrent };
  for (const l of lines) {
    if (l.seq === event.seq || !l.clocks || !isNodeEvent(l)) continue;
    const order = compare(l.clocks.vc, vc);
    if (order === 'before') past.add(l.seq);
    else if (order === 'after') future.add(l.seq);
    else if (order === 'concurrent') concurrent.add(l.seq);
  }
  return { past, future, concurrent };
}
