/**
 * "What could have influenced this event, and what could it influence?" (pure), by vector clocks:
 * the causal past of e is every event whose clock is below e's, its future every event above it;
 * the rest are concurrent with e: no message chain links them, whatever the wall clocks say.
 */
import { compare } from '@faultline/clock';
import { isNodeEvent, type TraceLine } from '@faultline/protocol';
import type { TraceModel } from './trace-model.js';

export interface CausalSets {
  readonly past: Set<number>;
  readonly future: Set<number>;
  readonly concurrent: Set<number>;
}

/** Puts each of `lines` in the set it belongs to, relative to `event` (node events only). */
function classify(sets: CausalSets, event: TraceLine, lines: Iterable<TraceLine>): void {
  const vc = event.clocks?.vc;
  if (!vc || !isNodeEvent(event)) return;
  for (const l of lines) {
    if (l.seq === event.seq || !l.clocks || !isNodeEvent(l)) continue;
    const order = compare(l.clocks.vc, vc);
    if (order === 'before') sets.past.add(l.seq);
    else if (order === 'after') sets.future.add(l.seq);
    else if (order === 'concurrent') sets.concurrent.add(l.seq);
  }
}

/** Node events only (they carry a vector clock); lab events belong to none of the sets. */
export function causalSets(lines: readonly TraceLine[], event: TraceLine): CausalSets {
  const sets: CausalSets = { past: new Set(), future: new Set(), concurrent: new Set() };
  classify(sets, event, lines);
  return sets;
}

/**
 * The causal sets of a selected event, kept true while the run goes on: each `update` classifies
 * the lines that reached the model since the last one (a live run's new events are mostly in the
 * selected event's future, and must be drawn so).
 */
export class CausalSelection {
  readonly sets: CausalSets = { past: new Set(), future: new Set(), concurrent: new Set() };
  private seen = 0;

  constructor(readonly event: TraceLine) {}

  /** Classifies the lines of `model` that arrived since the last update; returns the sets. */
  update(model: TraceModel): CausalSets {
    const { arrivals } = model;
    if (this.seen < arrivals.length) {
      classify(this.sets, this.event, arrivals.slice(this.seen));
      this.seen = arrivals.length;
    }
    return this.sets;
  }
}
