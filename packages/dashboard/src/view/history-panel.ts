/**
 * A lesson's histories in the lesson panel (shell): what the diagram now draws on the clients'
 * lifelines, and each failed linearizability check's counterexample, its operations in words (the
 * stuck one first), with a button that brings them into view.
 */
import type { ReportHistories } from '../api/lesson-histories.js';
import { opLabel, STUCK_CAPTION } from '../model/history-ops.js';
import { h } from './dom.js';

const ROLE_WORDS = { stuck: 'stuck', placed: 'in order', overlapping: 'overlapping' } as const;
const ROLE_ORDER = { stuck: 0, overlapping: 1, placed: 2 } as const;

/** `show`: brings true time `fromMs` … `toMs` into the diagram's view. */
export function renderHistories(report: ReportHistories, show: (fromMs: number, toMs: number) => void): HTMLElement[] {
  if (report.histories.length === 0 && report.counterexamples.length === 0) return [];
  const parts: HTMLElement[] = [h('h3', {}, 'The histories')];
  const ops = report.histories.reduce((n, x) => n + x.ops.length, 0);
  const stale = report.histories.reduce((n, x) => n + x.ops.filter((o) => o.stale).length, 0);
  parts.push(h('p', { class: 'hint', id: 'history-legend' }, `${ops} client operations on the clients' lifelines (${stale} stale reads): blue ok, red failed, grey unknown, purple a stale read.`));
  const staleOps = new Set(report.histories.flatMap((x) => x.ops.filter((o) => o.stale).map((o) => `${o.process}|${o.invokeMs}`)));
  for (const c of report.counterexamples) {
    const figure = h('figure', { class: 'counterexample', 'data-check': c.check });
    figure.append(h('figcaption', {}, `${c.check}: ${STUCK_CAPTION}`));
    const list = h('ol');
    for (const op of [...c.ops].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.invokeMs - b.invokeMs)) {
      const li = h('li', { 'data-role': op.role });
      li.append(h('span', { class: `role ${op.role}` }, ROLE_WORDS[op.role]), ` ${op.process} ${opLabel({ ...op, stale: staleOps.has(`${op.process}|${op.invokeMs}`) })}`);
      list.append(li);
    }
    const times = c.ops.flatMap((o) => [o.invokeMs, o.endMs ?? o.invokeMs]);
    const button = h('button', { type: 'button', class: 'show-counterexample' }, 'show on the diagram');
    const from = Math.min(...times);
    const to = Math.max(...times);
    button.onclick = () => show(from - (to - from) * 0.1 - 5, to + (to - from) * 0.1 + 5);
    figure.append(list, button);
    parts.push(figure);
  }
  return parts;
}
