/** Checks over the trace itself: counts of events, a behaviour's state, a log against what was sent. */
import type { TraceLine } from '@faultline/protocol';
import { withinBounds } from './bounds.js';
import { type CheckContext, type CheckOf, describeMatch, matchesLine, type Verdict } from './context.js';

type StateLine = Extract<TraceLine, { kind: 'state' }>;

export function count(ctx: CheckContext, c: CheckOf<'count'>): Verdict {
  const n = ctx.lines.filter((l) => matchesLine(l, c.where)).length;
  const { held, expected } = withinBounds(n, c);
  return { held, evidence: `${n} trace line${n === 1 ? '' : 's'} with ${describeMatch(c.where)} (${expected || 'expected any'})`, value: n };
}

export function state(ctx: CheckContext, c: CheckOf<'state'>): Verdict {
  const lines = ctx.lines.filter((l): l is StateLine => l.kind === 'state' && l.node === c.node && l.key === c.key);
  const last = lines.at(-1);
  if (!last) return { held: false, evidence: `${c.node} never traced ${c.key}` };
  const held = JSON.stringify(last.value) === JSON.stringify(c.equals);
  const history = lines.map((l) => JSON.stringify(l.value)).join(' → ');
  return { held, evidence: `${c.node}'s ${last.behaviour} ${c.key}: ${history}${held ? '' : ` (expected ${JSON.stringify(c.equals)})`}`, value: last.value };
}

/** How a delivered log differs from what was sent: duplicates, and items out of the sent order. */
export function compareLog(sent: readonly unknown[], log: readonly unknown[]): { duplicates: number; outOfOrder: number; missing: number; matches: boolean } {
  const key = (v: unknown): string => JSON.stringify(v);
  const position = new Map(sent.map((v, i) => [key(v), i]));
  const seen = new Set<string>();
  let duplicates = 0;
  let outOfOrder = 0;
  let highest = -1;
  for (const item of log) {
    const k = key(item);
    if (seen.has(k)) {
      duplicates += 1;
      continue;
    }
    seen.add(k);
    const at = position.get(k) ?? -1;
    if (at < highest) outOfOrder += 1;
    highest = Math.max(highest, at);
  }
  const missing = sent.filter((v) => !seen.has(key(v))).length;
  const matches = log.length === sent.length && log.every((v, i) => key(v) === key(sent[i]));
  return { duplicates, outOfOrder, missing, matches };
}

export function log(ctx: CheckContext, c: CheckOf<'log'>): Verdict {
  const sent = ctx.sentItems.get(`${c.from}>${c.node}`) ?? [];
  const entries = ctx.lines.filter((l): l is StateLine => l.kind === 'state' && l.node === c.node && l.key === 'append').map((l) => l.value);
  const d = compareLog(sent, entries);
  const summary = d.matches
    ? `${c.node}'s log has the ${entries.length} items ${c.from} sent, in its order, once each`
    : `${c.node}'s log has ${entries.length} entries for the ${sent.length} items ${c.from} sent: ${d.duplicates} duplicate${d.duplicates === 1 ? '' : 's'}, ${d.outOfOrder} out of order, ${d.missing} missing`;
  return { held: c.is === 'matches' ? d.matches : !d.matches && sent.length > 0, evidence: summary, value: { entries: entries.length, sent: sent.length, ...d } };
}
