/**
 * lesson list | lesson run NAME | run FILE.yaml: a lesson from context to verdict. Context and the
 * question → the lab comes up (the dashboard's address) → the prediction (asked on a terminal, or
 * `--predict N`) → the run, observed live → the reveal (the prediction beside what happened, the
 * ambiguity lens, the space-time diagram) → the explanation → the verdict → the run's files; with
 * `--keep` the lab stays up until Ctrl-C. `--lessons DIR` adds a folder of the user's own lessons.
 * `lesson run FILE.yaml` runs a lesson file, as `run FILE` does. With `--lab URL`, `lesson run`
 * and `run FILE` run the lesson on that running lab instead (lesson/remote-run.ts): a file goes
 * as its text, checked here first.
 * Exit codes: 0 every expectation held, 1 one did not (or a step failed), 2 a bad lesson file or
 * flag, 130 interrupted (Ctrl-C before the verdict: every process stopped, the trace so far kept).
 */
import { FaultlineError } from '@faultline/protocol';
import type { Command } from 'commander';
import { isHeartbeat } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';
import {
  findLesson,
  fitTable,
  listLessons,
  loadLessonFile,
  runLesson,
  terminalWidth,
  type LessonReport,
  type LoadedLesson,
  type PredictionGiven,
  type RunEvent,
} from '@faultline/lessons';
import { askPrediction, predictionFromFlags } from '../lesson/ask.js';
import { readScenario, runFileOnLab, runOnLab, type RunView } from '../lesson/remote-run.js';
import { RunLog } from '../lesson/run-log.js';
import { Screen } from '../lesson/screen.js';
import { cmd } from '../format/command.js';
import { output, run } from '../output.js';
import type { GlobalOptions } from './global.js';

interface RunFlags {
  seed?: string;
  pause: boolean;
  predict?: string;
  keep?: boolean;
  lessons?: string;
}

/** Lines a student does not need to watch go by: heartbeats, link bookkeeping, each item of a stream. */
function quiet(line: TraceLine): boolean {
  if (isHeartbeat(line)) return true;
  if (line.kind === 'node_start' || line.kind === 'run_start') return true;
  if (line.kind === 'state') return line.key === 'started' || line.key === 'append';
  return (line.kind === 'send' || line.kind === 'receive') && line.msgType === 'append';
}

async function runLoaded(loaded: LoadedLesson, flags: RunFlags, g: GlobalOptions): Promise<void> {
  const out = output(g.json);
  const screen = new Screen(out);
  const { lesson } = loaded;
  if (flags.seed !== undefined && !/^-?[0-9]+$/.test(flags.seed)) throw new FaultlineError('bad-usage', `expected an integer for --seed, got "${flags.seed}"`);
  // A bad --predict is bad usage, found before anything starts; undefined: asked at the terminal.
  const given = predictionFromFlags(lesson.predict, flags, g.json);
  const controller = new AbortController();
  let runDir: string | undefined;
  let dashboardUrl: string | undefined;
  let stopKeeping: (() => void) | undefined;
  const logs = new RunLog();
  const onSigint = (): void => {
    if (stopKeeping) return stopKeeping();
    if (controller.signal.aborted) return;
    controller.abort();
    if (!g.json) process.stderr.write('\nstopping the lesson…\n');
  };
  // `on`, not `once`: execa's signal-exit re-raises a signal that no other listener is left for.
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  // Only now say it is starting: a Ctrl-C pressed the moment this line shows is already heard.
  screen.intro(lesson, flags.seed ?? lesson.cluster.seed);
  screen.blank();
  screen.line(`starting the lesson's lab (${lesson.cluster.nodes} nodes)…`, '', '', (s) => s);
  const onEvent = (e: RunEvent): void => {
    if (e.kind === 'started') {
      runDir = e.runDir;
      dashboardUrl = e.dashboardUrl;
      logs.open(e.runDir);
    }
    if (e.kind !== 'trace' || !quiet(e.line)) screen.event(e);
  };
  const ask = async (): Promise<PredictionGiven> => {
    const answer = given ?? { answer: await askPrediction(lesson.predict, { signal: controller.signal, onInterrupt: onSigint, say: (l) => out.line(l) }) };
    screen.predicted(answer);
    screen.blank();
    screen.heading('The run');
    return answer;
  };
  const onReport = async (report: LessonReport): Promise<void> => {
    screen.reveal(report);
    if (!flags.keep) return;
    screen.blank();
    screen.heading('The lab stays up (--keep)');
    if (dashboardUrl) {
      screen.line(`look around in the dashboard: ${dashboardUrl}`, '  ', '    ');
      screen.line(`or from another terminal: npx faultline diagram --lab ${dashboardUrl.replace(/\/$/, '')}`, '  ', '    ');
    }
    screen.line('Ctrl-C stops it.', '  ');
    await new Promise<void>((resolve) => (stopKeeping = resolve));
    if (!g.json) process.stderr.write('stopping the lab (Ctrl-C)…\n');
  };
  let report: LessonReport;
  try {
    const { pino } = await import('pino');
    const logger = pino({ level: process.env.FAULTLINE_LOG_LEVEL ?? 'warn' }, logs);
    const { dashboardDir } = await import('@faultline/dashboard');
    // The dashboard is a bonus here: a lesson runs without it if it cannot be built.
    const page = await dashboardDir().catch(() => undefined);
    report = await runLesson(lesson, { seed: flags.seed, signal: controller.signal, onEvent, logger, file: loaded.file, ask, onReport, ...(page ? { dashboardDir: page } : {}) });
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
  if (!report.passed) {
    out.hint(`replay this exact run with --seed ${report.seed}`);
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

/** A run on a lab sets the exit code by its verdict (0 every expectation held, 1 not). */
function verdictExit(view: RunView): void {
  if (!view.report?.passed) process.exitCode = 1;
}

/** A lesson file on the running lab (--lab): checked here first (a bad one is bad usage, exit 2, and nothing is sent). */
function runFileThere(file: string, flags: RunFlags, g: GlobalOptions): Promise<void> {
  return runFileOnLab(asUsage(() => readScenario(file)), flags, g).then(verdictExit);
}

const RUN_OPTIONS: [string, string][] = [
  ['--no-pause', 'do not ask for a prediction or wait (for scripts)'],
  ['--predict <answer>', "the prediction, for scripts: a choice's number (or the answer in words)"],
  ['--keep', 'keep the lab running after the verdict, until Ctrl-C'],
];

export function registerLessonCommands(program: Command, globals: () => GlobalOptions): void {
  const lesson = program.command('lesson').description('lessons: see a concept of distributed systems happen on a real cluster');

  lesson
    .command('list')
    .description('the lessons: name, concept, minutes')
    .option('--lessons <dir>', 'also the lessons in this folder')
    .action((flags: { lessons?: string }) =>
      run(async () => {
        const out = output(globals().json);
        const all = asUsage(() => listLessons(flags.lessons));
        out.result(all.map(({ lesson: l, file }) => ({ name: l.name, title: l.title, concept: l.concept, minutes: l.minutes, file })));
        const rows = all.map(({ lesson: l }) => [l.name, l.concept, String(l.minutes), l.title]);
        out.line(fitTable(['name', 'concept', 'minutes', 'title'], rows, terminalWidth(process.env, process.stdout)).join('\n'));
        out.hint(`${cmd(`lesson run ${all[0]?.lesson.name ?? 'NAME'}${flags.lessons ? ` --lessons ${flags.lessons}` : ''}`)} runs one`);
        await Promise.resolve();
      }),
    );

  const runLesson = lesson
    .command('run <name>')
    .description('run a lesson (NAME, or a lesson file FILE.yaml): predict, watch, reveal, explain, verdict')
    .option('--seed <n>', "replaces the lesson's seed (printed; the same seed replays the same fault decisions)")
    .option('--lessons <dir>', 'also look for the lesson in this folder');
  for (const [flag, help] of RUN_OPTIONS) runLesson.option(flag, help);
  runLesson.action((name: string, flags: RunFlags) =>
    run(() => {
      const g = globals();
      // A name ending .yaml or .yml is a lesson file, here or on --lab (as `run FILE`).
      const file = /\.ya?ml$/i.test(name);
      if (file && flags.lessons !== undefined) return Promise.reject(new FaultlineError('bad-usage', `--lessons does not go with a lesson file: it names a folder to find a lesson NAME in, and ${name} is a file`));
      // --lab: on that running lab (its lessons' routes), not a lab of its own.
      if (g.lab === undefined) {
        // Only --lab runs a lesson on a running lab: say so to whoever pointed the other commands at one.
        if (process.env.FAULTLINE_LAB && !g.json) process.stderr.write(`faultline: lesson run starts a lab of its own; to run it on $FAULTLINE_LAB instead, add --lab ${process.env.FAULTLINE_LAB}\n`);
        return runLoaded(asUsage(() => (file ? loadLessonFile(name) : findLesson(name, flags.lessons))), flags, g);
      }
      return file ? runFileThere(name, flags, g) : runOnLab(name, flags, g).then(verdictExit);
    }),
  );

  // `faultline lesson` alone: one line and a hint, not the whole help on stderr (found by the CLI fuzzer).
  lesson.action(() => run(() => Promise.reject(new FaultlineError('bad-usage', 'lesson needs a subcommand: list or run', { hint: `${cmd('lesson --help')} tells more` }))));

  const runFile = program.command('run <file>').description('run a scenario file (the lesson format: cluster, steps, expectations)').option('--seed <n>', "replaces the file's seed");
  for (const [flag, help] of RUN_OPTIONS) runFile.option(flag, help);
  runFile.action((file: string, flags: RunFlags) =>
    run(() => {
      const g = globals();
      // --lab: the file's text goes to that running lab (POST /lessons/run-file).
      if (g.lab !== undefined) return runFileThere(file, flags, g);
      return runLoaded(asUsage(() => loadLessonFile(file)), flags, g);
    }),
  );
}
