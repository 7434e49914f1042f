/**
 * What `faultline lesson run` prints, fitted to the terminal's width (`COLUMNS`, the terminal's
 * columns, else 80): the lesson's text folded at word boundaries after its figures are filled in,
 * the tables shrunk to fit, long lines hanging under their first word.
 */
import { relative } from 'node:path';
import type { Lesson, TraceLine } from '@faultline/protocol';
import { TRUTH_LABEL } from '@faultline/checkers';
import { detectionsTable, fitTable, leadersTable, suspicionsTable, formatTraceLine, lensRows, reflow, style, sweepChart, syncTable, terminalWidth, wrapLine, writesTable, type LessonReport, type PredictionGiven, type RunEvent } from '@faultline/lessons';
import type { Output } from '../output.js';

/** What the intro shows of a lesson: from its file, or from a lab's list of lessons (`--lab`). */
export type LessonText = Pick<Lesson, 'name' | 'title' | 'concept' | 'minutes' | 'context' | 'predict'>;

/** What the verdict shows: each check with its evidence, why the run stopped early, all held or not. */
export interface VerdictText {
  readonly checks: readonly { readonly name: string; readonly held: boolean; readonly evidence: string }[];
  readonly passed: boolean;
  readonly error?: string;
}

export class Screen {
  readonly width = terminalWidth(process.env, process.stdout);

  constructor(private readonly out: Output) {}

  /** Lines folded to the width: `indent` first, then `hang` (default: as wide as `indent`). */
  line(text: string, indent = '', hang?: string, paint: (s: string) => string = (s) => s): void {
    for (const l of wrapLine(text, this.width, { indent, ...(hang === undefined ? {} : { hang }) })) this.out.line(paint(l));
  }

  /** A person's text (paragraphs, list items) folded to the width under `indent`. */
  text(text: string, indent = '  '): void {
    this.out.line(reflow(text, this.width, indent));
  }

  heading(text: string): void {
    this.line(text, '', '', style.bold);
  }

  blank(): void {
    this.out.line('');
  }

  intro(l: LessonText, seed: string | undefined): void {
    this.line(`━━ ${l.title} ━━`, '', '   ', style.bold);
    this.line(`lesson ${l.name} · ${l.concept} · about ${l.minutes} min${seed ? ` · seed ${seed}` : ''}`, '', '  ', style.dim);
    // What the lesson teaches is its answer: it comes with the explanation, after the run.
    this.blank();
    this.heading('Context');
    this.text(l.context);
    this.blank();
    this.heading('Predict');
    this.text(l.predict.question);
    (l.predict.choices ?? []).forEach((c, i) => this.line(c, `    ${i + 1}) `));
  }

  /** What happens as the run goes (heartbeats and such filtered out by the caller). */
  event(e: RunEvent): void {
    if (e.kind === 'started') {
      this.blank();
      this.line(`The lab: seed ${e.seed} (replay: --seed ${e.seed}); trace in ${shortPath(`${e.runDir}/trace.ndjson`)}`, '', '      ');
      if (e.dashboardUrl) this.line(`watch it live in the dashboard: ${e.dashboardUrl}`, '      ');
    } else if (e.kind === 'step') {
      const head = `[${e.index + 1}/${e.total}] `;
      this.line(e.note && e.note !== e.description ? `${e.note}  ${e.description}` : e.description, head, '      ');
    } else if (e.kind === 'trace') {
      this.trace(e.line);
    } else if (e.kind === 'sweep_row') {
      this.line(`${e.label} ${e.row.value}: ${e.row.figure ?? '?'} ${e.figureName}`, '      ', '        ');
    } else if (e.kind === 'call') {
      const r = e.record.result;
      this.line(`call ${e.record.name}: ${e.record.from} saw ${r.outcome === 'ok' ? 'a reply' : r.outcome} after ${Math.round(r.elapsedMs)} ms`, '      ');
    }
  }

  trace(line: TraceLine): void {
    this.line(formatTraceLine(line), '      ', '          ');
  }

  reveal(report: LessonReport): void {
    this.blank();
    const f = report.failures;
    const guessed = f.suspicions.length + f.leaders.length > 0;
    this.heading(
      report.rpcs.length > 0
        ? 'The reveal: what the sender saw, and what really happened'
        : report.histories.length > 0
          ? 'The reveal: what the clients saw, and what really happened'
          : guessed
            ? 'The reveal: what the nodes guessed, and what really happened'
            : 'The reveal: what the clocks said, and what really happened',
    );
    this.line(report.prediction.line, '  ', '    ', style.bold);
    this.blank();
    const other = report.clocks.writes.length + report.clocks.sync.length + report.histories.length + report.sweeps.length > 0 || guessed;
    if (report.rpcs.length > 0 || !other) {
      this.out.line(this.lensTable(report).join('\n'));
      this.blank();
    }
    this.views(report);
    this.diagram(report.diagram);
    this.explanation(report.lesson.teaches, report.explanation);
    this.verdict(report);
    if (report.askTheTrace.length > 0) {
      this.heading('Ask the trace yourself');
      // Never folded: a command must be one line to work as pasted, even past the width.
      for (const command of report.askTheTrace) this.out.line(`  ${command}`);
      this.blank();
    }
    this.files(report.files);
  }

  /** The space-time diagram of what mattered (rows already drawn, 80 columns). */
  diagram(rows: readonly string[]): void {
    this.line(`Space-time diagram ${style.dim('(true time going down; heartbeats hidden)')}`);
    this.out.line(rows.join('\n'));
    this.blank();
  }

  explanation(teaches: string, explanation: string): void {
    this.heading('Explanation');
    this.line(teaches.trim(), '  ', '  ', style.bold);
    this.blank();
    this.text(explanation);
    this.blank();
  }

  /** Each check held or not with its evidence, then whether every expectation held. */
  verdict(v: VerdictText): void {
    this.heading('Verdict');
    if (v.error) this.line(`the run stopped early: ${v.error}`, '  ', '    ', style.red);
    for (const c of v.checks) this.line(`${c.held ? '✓ held' : '✗ did not hold'}  ${c.name}: ${c.evidence}`, '  ', '    ', c.held ? (s) => s : style.red);
    this.line(v.passed ? 'every expectation held' : 'not every expectation held', '  ', '  ', v.passed ? style.green : style.red);
    this.blank();
  }

  /**
   * The run's files. `elsewhere`: they are on another machine (a lab run with `--lab`), named as
   * that machine names them, not shortened against this folder.
   */
  files(files: { readonly trace?: string; readonly reportMd: string; readonly reportJson?: string }, elsewhere?: string): void {
    const path = elsewhere ? (p: string): string => p : shortPath;
    this.heading(elsewhere ? `Files (${elsewhere})` : 'Files');
    if (files.trace) this.line(path(files.trace), '  trace   ', '          ');
    this.line(path(files.reportMd), '  report  ', '          ');
    if (files.reportJson) this.line(path(files.reportJson), '          ');
  }

  /** Each write's clocks beside true time, the sync rounds beside the true offset, the sweeps' charts. */
  views(report: LessonReport): void {
    const table = (t: { head: string[]; rows: string[][] }): void => this.out.line(fitTable(t.head, t.rows, this.width).join('\n'));
    if (report.clocks.writes.length > 0) {
      this.line(`The writes ${style.dim('(each on its own node\'s wall clock, beside true time)')}`);
      table(writesTable(report.clocks.writes));
      this.blank();
    }
    if (report.clocks.sync.length > 0) {
      this.line(`Clock synchronisation ${style.dim('(what the client estimated and claimed, beside the truth)')}`);
      table(syncTable(report.clocks.sync));
      this.blank();
    }
    const f = report.failures;
    if (f.detections.length > 0) {
      this.line(`Real failures outside the sweeps ${style.dim('(the lab\'s view), and how long until suspected')}`);
      table(detectionsTable(f.detections));
      this.blank();
    }
    if (f.suspicions.length > 0) {
      this.line(`Suspicions outside the sweeps ${style.dim('(right: the node was really down; wrong: it was alive)')}`);
      table(suspicionsTable(f.suspicions));
      this.blank();
    }
    if (f.leaders.length > 0) {
      this.line(`Leaders ${style.dim('(each term of office, from the run\'s start, true time)')}`);
      table(leadersTable(f.leaders));
      this.blank();
    }
    for (const h of report.histories) {
      this.line(`History ${h.name}: ${h.operations} operations, ${h.ok} answered${h.stale ? ` (${h.stale} stale)` : ''}, ${h.failed} failed, ${h.unknown} unknown ${style.dim('(each server, true time →)')}`);
      this.out.line(h.strips.join('\n'));
      this.blank();
    }
    for (const c of report.counterexamples) {
      this.line(`Not linearizable: ${c.histories.join(' + ')}. No order of the operations explains every answer; around the one that cannot be placed:`, '', '  ', style.red);
      table(c.table);
      this.blank();
    }
    this.sweeps(report.sweeps);
  }

  /** Each sweep's chart: its figure by the value it swept across. */
  sweeps(sweeps: readonly (Parameters<typeof sweepChart>[0] & { readonly name: string })[]): void {
    for (const sweep of sweeps) {
      this.line(`Sweep ${sweep.name}`);
      for (const row of sweepChart(sweep, this.width)) this.out.line(row);
      this.blank();
    }
  }

  /** What the run was given before it started: the answer, or why there is none. */
  predicted(given: PredictionGiven): void {
    if ('answer' in given) this.line(`you predicted ${given.answer.choice === undefined ? `"${given.answer.text}"` : `${given.answer.choice} (${given.answer.text})`}`, '', '  ');
    else this.line(`no prediction (${given.unanswered})`, '', '  ');
  }

  lensTable(report: LessonReport): string[] {
    const rows = lensRows(report.lens);
    if (rows.length === 0) return ['  (no call timed out)'];
    const body = rows.map((r) => [`${r.call}\n${r.request}`, r.senderSaw, `${TRUTH_LABEL[r.truth as keyof typeof TRUTH_LABEL]}: ${r.story}`]);
    return fitTable(['call', 'what the sender saw', 'what really happened (the trace)'], body, this.width);
  }
}

/** A path under the current folder as a relative one (shorter, and still works as typed). */
export function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}
