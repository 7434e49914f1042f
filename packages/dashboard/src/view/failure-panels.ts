/**
 * Partial failure beside the diagram (shell): the selected suspicion beside the truth, the
 * selected leader's term of office, and the warning over the diagram while two nodes led at once.
 */
import type { Leadership } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';
import type { FailureFacts } from '../model/failure-facts.js';
import { clashesOf } from '../model/failure-layout.js';
import { overlapWarning, suspicionMoral, suspicionSentence, suspicionSpan } from '../model/failure-words.js';
import { h } from './dom.js';
import { clockTime, duration } from './format.js';

/** The panels for the selected line: a suspicion's (its `suspect` line), a term of office's (its `leader` line). */
export function failurePanels(line: TraceLine, facts: FailureFacts, lastMs: number): HTMLElement[] {
  if (line.kind !== 'state') return [];
  const s = line.behaviour === 'detector' && line.key === 'suspect' ? facts.suspicions.find((x) => x.seq === line.seq) : undefined;
  if (s) {
    const div = h('div', { id: 'suspicion', 'data-right': String(s.right), 'data-truth': s.truth });
    div.append(h('h3', {}, `A suspicion, ${s.right ? 'right' : 'wrong'}`), h('p', { class: 'sentence' }, `${suspicionSentence(s)}.`), h('p', {}, `${suspicionSpan(s)}.`), h('p', { class: 'hint' }, suspicionMoral(s)));
    return [div];
  }
  const t = line.behaviour === 'leader' && line.key === 'leader' ? facts.terms.find((x) => x.node === line.node && x.fromTrueMs === line.trueMs) : undefined;
  return t ? [termPanel(t, facts.terms, lastMs)] : [];
}

function termPanel(t: Leadership, all: readonly Leadership[], lastMs: number): HTMLElement {
  const div = h('div', { id: 'term', 'data-node': t.node, 'data-term': String(t.term) });
  const until = t.toTrueMs === null ? 'still leading at the end of the trace' : `until ${clockTime(t.toTrueMs)} (${ENDED[t.ended]})`;
  div.append(h('h3', {}, `${t.node} leads term ${t.term}`), h('p', {}, `From ${clockTime(t.fromTrueMs)} ${until}${t.quorum ? ', elected by a majority' : ', without a vote'}.`));
  const clashes = clashesOf(t, all, lastMs);
  if (clashes.length > 0) {
    const ms = clashes.reduce((sum, [from, to]) => sum + to - from, 0);
    const who = [...new Set(all.filter((o) => o.node !== t.node && clashesOf(o, [t], lastMs).length > 0).map((o) => `${o.node} (term ${o.term})`))].join(', ');
    div.append(h('p', { class: 'clash' }, `Another node led at the same time for ${duration(Math.round(ms))}: ${who}.`));
  }
  return div;
}

const ENDED = { step_down: 'it stepped down', lease: 'its lease ran out', crash: 'it crashed', end: 'still leading' } as const;

/** The warning over the diagram: shown while the run had two leaders at once. */
export function renderLeaderWarning(el: HTMLElement, facts: FailureFacts): void {
  const text = overlapWarning(facts.overlap, clockTime);
  el.hidden = text === undefined;
  el.textContent = text ?? '';
  el.dataset.max = String(facts.overlap.max);
}
