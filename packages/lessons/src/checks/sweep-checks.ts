/** Checks over what a run did through clients and sweeps: a named read's answer, a sweep's row. */
import { withinBounds } from './bounds.js';
import type { CheckContext, CheckOf, Verdict } from './context.js';

export function read(ctx: CheckContext, c: CheckOf<'read'>): Verdict {
  const r = ctx.invoke(c.read);
  const values = Array.isArray(r.answer.values) ? r.answer.values : [];
  const held = values.length === c.count;
  const shown = values.map((v) => JSON.stringify(v)).join(', ');
  return { held, evidence: `read ${c.read} on ${r.node} answered ${values.length} value${values.length === 1 ? '' : 's'}${shown ? `: ${shown}` : ''} (expected ${c.count})`, value: values.length };
}

export function sweep(ctx: CheckContext, c: CheckOf<'sweep'>): Verdict {
  const s = ctx.sweep(c.sweep);
  const row = s.rows.find((r) => r.value === c.row);
  if (!row) return { held: false, evidence: `sweep ${c.sweep} has no row ${c.row} (its rows: ${s.rows.map((r) => r.value).join(', ') || 'none ran'})` };
  if (row.figure === null) return { held: false, evidence: `sweep ${c.sweep}, ${s.label} ${row.value}: no figure (${row.evidence})` };
  const { held, expected } = withinBounds(row.figure, c);
  return { held, evidence: `${s.label} ${row.value}: ${row.figure} ${s.figure}${expected ? ` (${expected})` : ''}; ${row.evidence}`, value: row.figure };
}
