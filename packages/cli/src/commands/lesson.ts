/**
 * lesson list | lesson run NAME [--seed N] [--no-pause] | run FILE.yaml: a lesson from context to
 * verdict. Context → predict (waits for Enter on a TTY) → the run, observed live → the reveal (the
 * ambiguity lens and the space-time diagram) → the explanation → the verdict → the run's files.
 * Exit codes: 0 every expectation held, 1 one did not (or a step failed), 2 a bad lesson file or
 * flag, 130 interrupted (Ctrl-C: every process stopped, the trace so far kept).
 */
import { createInterface } from 'node:readline';
import { FaultlineError } from '@faultline/protocol';
import Table from 'cli-table3';
import type { Command } from 'commander';
import type { Lesson, TraceLine } from '@faultline/protocol';
import {
  findLesson,
  formatTraceLine,
  isHeartbeat,
  lensRows,
  listLessons,
  loadLessonFile,
  runLesson,
  style,
  TRUTH_LABEL,
  type LessonReport,
  type LoadedLesson,
  type RunEvent,
} from '@faultline/lessons';
import { output, run, type Output } from '../output.js';
import type { GlobalOptions } from './global.js';

interface RunFlags {
  seed?: string;
  pause: boolean;
}

/** Lines a student does not need to watch go by: heartbeats, link bookkeeping, each item of a stream. */
function quiet(line: TraceLine): boolean {
  if (isHeartbeat(line)) return true;
  if (line.kind === 'node_start' || line.kind === 'run_start') return true;
  if (line.kind === 'state') return line.key === 'started' || line.key === 'append';
  return (line.kind === 'send' || line.kind === 'receive') && line.msgType === 'append';
}

const indent = (text: string, by = '  '): string => text.split('\n').map((l) => (l === '' ? l : by + l)).join('\n');

/** Folds long lines at word boundaries to the terminal's width (100 columns when not a terminal). */
function wrap(text: string, width = Math.min(process.stdout.columns ?? 100, 100) - 4): string {
  return text
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let current = '';
      for (const word of line.split(' ')) {
        if (current !== '' && current.length + 1 + word.length > width) {
          out.push(current);
          current = word;
        } else current = current === '' ? word : `${current} ${word}`;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

async function waitForEnter(prompt: string): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  await new Promise<void>((resolve) => rl.question(prompt, () => resolve()));
  rl.close();
}

function lensTable(report: LessonReport): string {
  const rows = lensRows(report.lens);
  if (rows.length === 0) return '  (no call timed out)';
  const table = new Table({ head: ['call', 'what the sender saw', 'what really happened (the trace)'], style: { head: [], border: [] }, colWidths: [10, 26, 70], wordWrap: true });
  for (const r of rows) table.push([`${r.call}\n${r.request}`, r.senderSaw, `${TRUTH_LABEL[r.truth as keyof typeof TRUTH_LABEL]}: ${r.story}`]);
  return table.toString();
}

function printIntro(out: Output, l: Lesson, seed: string | undefined): void {
  out.line(style.bold(`━━ ${l.title} ━━`));
  out.line(style.dim(`lesson ${l.name} · ${l.concept} · about ${l.minutes} min${seed ? ` · seed ${seed}` : ''}`));
  out.line(`\n${indent(wrap(l.teaches.trim()))}\n`);
  out.line(style.bold('Context'));
  out.line(indent(l.context.trim()));
  out.line(`\n${style.bold('Predict')}`);
  out.line(indent(wrap(l.predict.question.trim())));
  (l.predict.choices ?? []).forEach((c, i) => out.line(`    ${i + 1}) ${c}`));
}

function printReveal(out: Output, report: LessonReport): void {
  out.line(`\n${style.bold('The reveal: what the sender saw, and what really happened')}`);
  out.line(lensTable(report));
  out.line(`\n${style.bold('Space-time diagram')} ${style.dim('(true time going down; heartbeats hidden)')}`);
  out.line(report.diagram.join('\n'));
  out.line(`\n${style.bold('Explanation')}`);
  out.line(indent(report.explanation));
  out.line(`\n${style.bold('Verdict')}`);
  if (report.error) out.line(style.red(`  the run stopped early: ${report.error}`));
  for (const c of report.checks) out.line(`  ${c.held ? style.green('✓ held') : style.red('✗ did not hold')}  ${style.bold(c.name)}: ${c.evidence}`);
  out.line(report.passed ? style.green('  every expectation held') : style.red('  not every expectation held'));
  out.line(`\n${style.bold('Files')}`);
  out.line(`  trace   ${report.files.trace}\n  report  ${report.files.reportMd}\n          ${report.files.reportJson}`);
}

async function runLoaded(loaded: LoadedLesson, flags: RunFlags, g: GlobalOptions): Promise<void> {
  const out = output(g.json);
  const { lesson } = loaded;
  if (flags.seed !== undefined && !/^-?[0-9]+$/.test(flags.seed)) throw new FaultlineError('bad-usage', `expected an integer for --seed, got "${flags.seed}"`);
  printIntro(out, lesson, flags.seed ?? lesson.cluster.seed);
  if (flags.pause && !g.json && process.stdin.isTTY) await waitForEnter(style.dim('\n  Decide on your answer, then press Enter to run it… '));

  const controller = new AbortController();
  let runDir: string | undefined;
  const onSigint = (): void => {
    if (!g.json) process.stderr.write('\nstopping the lesson (Ctrl-C)…\n');
    controller.abort();
  };
  // `on`, not `once`: execa's signal-exit re-raises a signal that no other listener is left for.
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const onEvent = (e: RunEvent): void => {
    if (e.kind === 'started') {
      runDir = e.runDir;
      out.line(`\n${style.bold('The run')} ${style.dim(`seed ${e.seed} (replay: --seed ${e.seed}); trace in ${e.runDir}/trace.ndjson`)}`);
      if (e.dashboardUrl) out.line(style.dim(`      watch it in the dashboard: ${e.dashboardUrl}`));
    } else if (e.kind === 'step') {
      out.line(`${style.bold(`[${e.index + 1}/${e.total}]`)} ${e.note ? `${e.note}  ` : ''}${style.dim(e.description)}`);
    } else if (e.kind === 'trace' && !quiet(e.line)) {
      out.line(`      ${formatTraceLine(e.line)}`);
    } else if (e.kind === 'call') {
      const r = e.record.result;
      out.line(`      ${style.bold(`call ${e.record.name}`)}: ${e.record.from} saw ${r.outcome === 'ok' ? style.green('a reply') : style.yellow(r.outcome)} after ${Math.round(r.elapsedMs)} ms`);
    }
  };
  let report: LessonReport;
  try {
    const { pino } = await import('pino');
    const logger = pino({ level: process.env.FAULTLINE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
    const { dashboardDir } = await import('@faultline/dashboard');
    // The dashboard is a bonus here: a lesson runs without it if it cannot be built.
    const page = await dashboardDir().catch(() => undefined);
    report = await runLesson(lesson, { seed: flags.seed, signal: controller.signal, onEvent, logger, file: loaded.file, ...(page ? { dashboardDir: page } : {}) });
  } catch (err) {
    if (err instanceof FaultlineError && err.code === 'interrupted') {
      process.stderr.write(`faultline: lesson interrupted; every process it started is stopped${runDir ? `; the trace so far is in ${runDir}/trace.ndjson` : ''}\n`);
      process.exitCode = 130;
      return;
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
  }
  out.result(report);
  printReveal(out, report);
  if (!report.passed) {
    out.hint(`replay this exact run with --seed ${report.seed}; every event is in ${report.files.trace}`);
    process.exitCode = 1;
  }
}

/** A lesson file error is bad input (exit 2); anything else is the lab's. */
function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FaultlineError && ['not-found', 'bad-yaml', 'invalid'].includes(err.code)) throw new FaultlineError('bad-usage', err.message);
    throw err;
  }
}

export function registerLessonCommands(program: Command, globals: () => GlobalOptions): void {
  const lesson = program.command('lesson').description('lessons: see a concept of distributed systems happen on a real cluster');

  lesson
    .command('list')
    .description('the lessons: name, concept, minutes')
    .action(() =>
      run(async () => {
        const out = output(globals().json);
        const all = asUsage(() => listLessons());
        out.result(all.map(({ lesson: l, file }) => ({ name: l.name, title: l.title, concept: l.concept, minutes: l.minutes, file })));
        const table = new Table({ head: ['name', 'concept', 'minutes', 'title'], style: { head: [], border: [] } });
        for (const { lesson: l } of all) table.push([l.name, l.concept, String(l.minutes), l.title]);
        out.line(table.toString());
        out.hint(`faultline lesson run ${all[0]?.lesson.name ?? 'NAME'}`);
        await Promise.resolve();
      }),
    );

  lesson
    .command('run <name>')
    .description('run a lesson: predict, watch, reveal, explain, verdict')
    .option('--seed <n>', "replaces the lesson's seed (printed; the same seed replays the same fault decisions)")
    .option('--no-pause', 'do not wait for Enter after the question (for scripts)')
    .action((name: string, flags: RunFlags) => run(() => runLoaded(asUsage(() => findLesson(name)), flags, globals())));

  program
    .command('run <file>')
    .description('run a scenario file (the lesson format: cluster, steps, expectations)')
    .option('--seed <n>', "replaces the file's seed")
    .option('--no-pause', 'do not wait for Enter after the question')
    .action((file: string, flags: RunFlags) => run(() => runLoaded(asUsage(() => loadLessonFile(file)), flags, globals())));
}
