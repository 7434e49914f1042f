/**
 * A lesson run from the page (shell), on the lab the page watches: the lab's control API offers
 * `/lessons` when the CLI served it. The lesson's text sits beside the diagram: context and the
 * question while it runs, its steps as they happen, then the explanation, the verdict and each
 * sweep's chart.
 */
import { FaultlineError } from '@faultline/protocol';
import { lessonControl } from '../api/control.js';
import type { PageLessonRun as LessonRunView, ReportHistories } from '../api/lesson-histories.js';
import { h } from './dom.js';
import { renderHistories } from './history-panel.js';
import { renderSweep } from './sweep-view.js';

/** What a lesson's report does beyond its panel: its histories drawn on the diagram. */
export interface LessonHooks {
  /** A run's report has arrived (once a run). */
  readonly report: (report: ReportHistories) => void;
  /** Brings true time `fromMs` … `toMs` into the diagram's view. */
  readonly show: (fromMs: number, toMs: number) => void;
}

function render(root: HTMLElement, v: LessonRunView, hooks: LessonHooks): void {
  const parts: HTMLElement[] = [
    h('h3', {}, v.lesson.title),
    h('p', { class: 'teaches' }, v.lesson.teaches),
    h('pre', {}, v.lesson.context.trim()),
    h('h3', {}, 'Predict'),
    h('p', {}, v.lesson.predict.question),
  ];
  if (v.lesson.predict.choices) {
    const ul = h('ul');
    for (const c of v.lesson.predict.choices) ul.append(h('li', {}, c));
    parts.push(ul);
  }
  parts.push(h('h3', {}, v.state === 'running' ? 'Running…' : 'The run'));
  const steps = h('ol', { id: 'lesson-steps' });
  for (const s of v.steps) steps.append(h('li', {}, `${s.note ? `${s.note} ` : ''}(${s.description})`));
  parts.push(steps);
  if (v.state === 'failed') parts.push(h('p', { class: 'verdict failed', id: 'lesson-verdict', 'data-passed': 'false' }, `the lesson could not run: ${v.error ?? ''}`));
  if (v.report) {
    parts.push(h('h3', {}, 'Explanation'), h('pre', {}, v.report.explanation), h('h3', {}, 'Verdict'));
    const checks = h('ul', { id: 'lesson-checks' });
    for (const c of v.report.checks) checks.append(h('li', { class: c.held ? 'held' : 'failed', 'data-held': String(c.held) }, `${c.held ? '✓' : '✗'} ${c.name}: ${c.evidence}`));
    parts.push(checks, h('p', { class: 'verdict', id: 'lesson-verdict', 'data-passed': String(v.report.passed) }, v.report.passed ? 'every expectation held' : `not every expectation held${v.report.error ? `: ${v.report.error}` : ''}`));
    // Each sweep: its figure by each value it swept across, as a bar chart and a table.
    if (v.report.sweeps.length > 0) parts.push(h('h3', {}, v.report.sweeps.length === 1 ? 'The sweep' : 'The sweeps'), ...v.report.sweeps.map(renderSweep));
    parts.push(...renderHistories(v.report, hooks.show));
    parts.push(h('p', { class: 'hint' }, `report: ${v.report.files.reportMd}`));
  }
  root.replaceChildren(...parts);
  if (v.id !== undefined) root.dataset.run = String(v.id);
  root.dataset.state = v.state;
}

/** How often the page looks for a lesson run started elsewhere (`lesson run --lab`, a class push): ms. */
const IDLE_POLL_MS = 2_000;

/**
 * The lesson picker and its run button. Why a run was refused (another lesson still running, too
 * few nodes) shows in the panel's own error line, which goes as soon as a run starts or the lesson
 * it waited for has finished.
 */
export async function wireLessons(fail: (err: unknown) => void, hooks: LessonHooks): Promise<void> {
  // No lessons' routes: the page was served by a bare lab.
  const list = await lessonControl.lessons().catch(() => undefined);
  if (!list) return;
  const section = document.getElementById('lessons')!;
  const pick = document.getElementById('lesson-pick') as HTMLSelectElement;
  const root = document.getElementById('lesson')!;
  const error = document.getElementById('lesson-error')!;
  pick.replaceChildren(...list.map((l) => new Option(`${l.name} (${l.nodes} nodes)`, l.name)));
  section.hidden = false;
  let polling: number | undefined;
  /** The report whose histories the diagram draws. */
  let drawn: string | undefined;
  const poll = async (): Promise<void> => {
    const view = await lessonControl.currentLesson();
    if (view) render(root, view, hooks);
    if (view?.report && view.report.files.reportMd !== drawn) {
      drawn = view.report.files.reportMd;
      hooks.report(view.report);
    }
    if (view?.state !== 'running') {
      clearInterval(polling);
      polling = undefined;
      error.textContent = '';
    }
  };
  const follow = (): Promise<void> => {
    polling ??= window.setInterval(() => void poll().catch(fail), 400);
    return poll();
  };
  // A lesson started from the terminal or by the class's console shows here too: look now and
  // then, and follow closely once one runs.
  let shown: number | undefined;
  const look = async (): Promise<void> => {
    if (polling !== undefined) return;
    const view = await lessonControl.currentLesson();
    if (!view || (view.id === shown && view.state !== 'running')) return;
    shown = view.id;
    if (view.state === 'running') await follow();
    else await poll();
  };
  window.setInterval(() => void look().catch(() => undefined), IDLE_POLL_MS);
  await look().catch(() => undefined);
  document.getElementById('lesson-run')!.onclick = () => {
    void lessonControl
      .runLesson({ params: { name: pick.value } })
      .then(
        async () => {
          error.textContent = '';
          await follow();
        },
        async (err: unknown) => {
          if (!(err instanceof FaultlineError)) throw err;
          error.textContent = err.message;
          // Refused while another lesson runs: show that one, and drop the error when it ends.
          if (err.code === 'conflict') await follow();
        },
      )
      .catch(fail);
  };
}
