/**
 * The explanation with this run's figures: `{{rpc.A.elapsed}}`, `{{check.NAME}}`, `{{sweep.NAME.ROW}}`, `{{seed}}`
 * (pure). Figures first, then the author's line breaks go (each paragraph and list item on one
 * line): whoever shows it wraps it to their width, the terminal to its columns.
 */
import { formatDuration } from '@faultline/checkers';
import type { CheckResult, RpcRecord, SweepResult } from '../checks/context.js';
import { unwrap } from '../render/fit.js';

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(Math.round(value * 1000) / 1000);
  return JSON.stringify(value);
}

export function renderExplanation(text: string, figures: { seed: string; rpcs: ReadonlyMap<string, RpcRecord>; checks: readonly CheckResult[]; sweeps?: readonly SweepResult[] }): string {
  const filled = text.replace(/\{\{[ \t]*([^}\n]*?)[ \t]*\}\}/g, (whole, ref: string) => {
    const [head, name, field] = ref.split('.');
    if (head === 'seed') return figures.seed;
    if (head === 'rpc') {
      const r = figures.rpcs.get(name)?.result;
      if (!r) return '(not run)';
      if (field === 'elapsed') return formatDuration(Math.round(r.elapsedMs));
      if (field === 'outcome') return r.outcome;
      if (field === 'attempts') return String(r.attempts);
      if (field === 'reply') return r.reply ? JSON.stringify(r.reply.body) : '(no reply)';
    }
    if (head === 'sweep') {
      // A row's value may have a dot in it (1.5s): the row is everything after the sweep's name.
      const row = ref.split('.').slice(2).join('.');
      const figure = figures.sweeps?.find((x) => x.name === name)?.rows.find((r) => r.value === row)?.figure;
      return figure === undefined || figure === null ? '(not measured)' : show(figure);
    }
    if (head === 'check') {
      const c = figures.checks.find((x) => x.name === name);
      if (!c || c.value === undefined) return '(not measured)';
      if (field === undefined) return show(c.value);
      const v = c.value !== null && typeof c.value === 'object' ? (c.value as Record<string, unknown>)[field] : undefined;
      return v === undefined ? '(not measured)' : show(v);
    }
    return whole;
  });
  return unwrap(filled);
}
