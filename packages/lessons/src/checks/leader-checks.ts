/**
 * The `leaders` check (pure, over the trace; the figures come from `@faultline/checkers`): how
 * many nodes believed they led at one instant of true time, a quorum leader's lease counted as
 * long as it claimed it.
 */
import { formatDuration, overlappingLeaders } from '@faultline/checkers';
import { withinBounds } from './bounds.js';
import type { CheckContext, CheckOf, Verdict } from './context.js';

export function leadersCheck(ctx: CheckContext, c: CheckOf<'leaders'>): Verdict {
  const o = overlappingLeaders(c.nodes ? ctx.lines.filter((l) => l.node !== undefined && c.nodes!.includes(l.node)) : [...ctx.lines]);
  const { held, expected } = withinBounds(o.max, c);
  const first = o.first;
  const evidence =
    o.max >= 2 && first
      ? `${o.max} leaders at once${expected ? ` (${expected})` : ''}: ${first.leaders.map((l) => `${l.node} (term ${l.term})`).join(' and ')}; two or more led for ${formatDuration(o.overlapMs)} in all`
      : `${o.max === 0 ? 'no leader at all' : 'never more than one leader at a time'}${c.nodes ? ` among ${c.nodes.join(', ')}` : ''}${expected ? ` (${expected})` : ''}`;
  return { held, evidence, value: { count: o.max, overlapMs: Math.round(o.overlapMs), leaders: first ? first.leaders.map((l) => l.node).join(' and ') : 'one' } };
}
