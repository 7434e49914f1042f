/**
 * `faultline lesson run NAME --lab URL`: the lesson on a lab that is already running (`faultline
 * up`, here or in containers), through the lab's lessons' routes, instead of a lab of its own.
 * The lab has the lesson (GET /lessons) → its context and question → the prediction (asked on a
 * terminal, or `--predict N`) → POST /lessons/NAME/run with it → GET /lessons/current followed
 * until the verdict, each step printed as it arrives → the reveal from the run's view. The run's
 * files stay on the lab's machine. Ctrl-C stops following, not the lesson (exit 130).
 * `lesson run FILE.yaml --lab URL`: a lesson file from here, checked here, then sent as its text
 * (POST /lessons/run-file); its context and question are the file's.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FaultlineError, type Lesson, type LessonApi, type LessonRunRequest, type RouteOutput } from '@faultline/protocol';
import { abortable, findLesson, loadLessonFile, parseLesson, sleep, style, type PredictionGiven } from '@faultline/lessons';
import { findLabUrl, labClient, lessonClient } from '../client.js';
import type { GlobalOptions } from '../commands/global.js';
import { output } from '../output.js';
import { askPrediction, predictionFromFlags } from './ask.js';
import { Screen, type LessonText } from './screen.js';

export interface RemoteFlags {
  readonly seed?: string;
  readonly pause: boolean;
  readonly predict?: string;
  readonly keep?: boolean;
  readonly lessons?: string;
}

type Summary = RouteOutput<LessonApi['lessons']>[number];
export type RunView = NonNullable<RouteOutput<LessonApi['currentLesson']>>;

/** How often the run's view is read while it runs. */
const POLL_MS = 250;
/** How long past the lesson's own minutes its verdict may still come. */
const MARGIN_MS = 60_000;

/** For a caller that reports the run elsewhere (`class join`): hears the prediction once it is given. */
export interface RemoteHooks {
  readonly onPrediction?: (given: PredictionGiven) => void;
}

/** `--seed` and `--keep` are a lab of one's own's: refused with `--lab`, in one line. */
function refuseOwnLabFlags(flags: RemoteFlags): void {
  if (flags.seed !== undefined) throw new FaultlineError('bad-usage', "--seed does not go with --lab: a lesson on a running lab uses the lab's seed (faultline up --seed N sets it)");
  if (flags.keep) throw new FaultlineError('bad-usage', '--keep does not go with --lab: the lab is already running, and stays up after the lesson');
}

/** Runs lesson `name` on the lab and reveals it; answers the run's final view (its verdict: `report.passed`). */
export async function runOnLab(name: string, flags: RemoteFlags, g: GlobalOptions, hooks: RemoteHooks = {}): Promise<RunView> {
  refuseOwnLabFlags(flags);
  const url = findLabUrl(g.lab);
  const lessons = lessonClient(url);
  const list = await lessons.lessons().catch((err: unknown) => {
    if (err instanceof FaultlineError && err.code === 'not-found') throw new FaultlineError('unsupported', `the lab at ${url} runs no lessons (its control API has no /lessons)`);
    throw err;
  });
  const summary = list.find((l) => l.name === name);
  if (!summary) throw new FaultlineError('not-found', `the lab at ${url} has no lesson "${name}"; it has: ${list.map((l) => l.name).join(', ') || 'none'}`);
  const text = lessonText(summary, url, flags.lessons);
  return runThere({ url, text, nodes: summary.nodes, start: (body) => lessons.runLesson({ params: { name }, body }) }, flags, g, hooks);
}

/** A lesson file as a lab gets it: its name (no folders), its text, and the lesson in it, checked here. */
export interface ScenarioFile {
  readonly file: string;
  readonly text: string;
  readonly lesson: Lesson;
}

/**
 * Reads a lesson (or scenario) file and checks it with the loader `faultline run FILE` uses: a
 * file that cannot be read, is too large, or is not a lesson throws the loader's one line
 * (`not-found`, `bad-yaml`, `invalid`). The text checked is the text a lab is sent.
 */
export function readScenario(path: string): ScenarioFile {
  // The loader's own refusals first: unreadable, too large (before it is read), not a lesson.
  loadLessonFile(path);
  const text = readFileSync(path, 'utf8');
  return { file: basename(path), text, lesson: parseLesson(text, path) };
}

/**
 * `faultline lesson run FILE.yaml --lab URL` (and `run FILE --lab URL`, a class's pushed file): a
 * lesson file of one's own on the running lab, sent as its text (POST /lessons/run-file); the
 * lab checks it again with the same loader. Then as `runOnLab`.
 */
export async function runFileOnLab(scenario: ScenarioFile, flags: RemoteFlags, g: GlobalOptions, hooks: RemoteHooks = {}): Promise<RunView> {
  refuseOwnLabFlags(flags);
  const url = findLabUrl(g.lab);
  const lessons = lessonClient(url);
  const start = (body: LessonRunRequest): Promise<{ id?: number }> =>
    lessons.runLessonFile({ body: { file: scenario.file, text: scenario.text, ...body } }).catch((err: unknown) => {
      // A lab from before the route: one line that says what it cannot do.
      if (err instanceof FaultlineError && err.code === 'not-found') throw new FaultlineError('unsupported', `the lab at ${url} cannot run a lesson file (its control API has no /lessons/run-file: a faultline older than this one)`);
      throw err;
    });
  return runThere({ url, text: scenario.lesson, nodes: scenario.lesson.cluster.nodes, start }, flags, g, hooks);
}

interface Target {
  readonly url: string;
  /** What the student reads before the run. */
  readonly text: LessonText;
  /** The nodes the lesson needs. */
  readonly nodes: number;
  /** Starts the run on the lab, with the prediction. */
  readonly start: (body: LessonRunRequest) => Promise<{ id?: number }>;
}

/** The lesson's context and question → the prediction → the run started on the lab → followed to its verdict → the reveal. */
async function runThere(target: Target, flags: RemoteFlags, g: GlobalOptions, hooks: RemoteHooks): Promise<RunView> {
  const { url, text } = target;
  const { name } = text;
  const out = output(g.json);
  const screen = new Screen(out);
  // A bad --predict is bad usage, found before the lab is asked to do anything; undefined: asked here.
  const given = predictionFromFlags(text.predict, flags, g.json);
  const status = await labClient(url).status();
  if (status.nodes.length < target.nodes) throw new FaultlineError('bad-usage', `lesson ${name} needs ${target.nodes} nodes; the lab at ${url} has ${status.nodes.length} (npx faultline up --nodes ${target.nodes})`);
  // Busy: said before the student is asked to predict (the lab refuses a second run anyway).
  const current = await lessonClient(url).currentLesson();
  if (current?.state === 'running') throw new FaultlineError('conflict', `the lab at ${url} is busy: lesson ${current.name} is running; wait for its verdict`);

  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) return;
    controller.abort();
    if (!g.json) process.stderr.write('\n');
  };
  // `on`, not `once`: execa's signal-exit re-raises a signal that no other listener is left for.
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let started = false;
  try {
    screen.intro(text, status.seed);
    screen.blank();
    screen.line(`on the running lab at ${url} (${status.nodes.length} nodes); watch it in its dashboard: ${url}/`, '', '  ');
    const prediction = given ?? { answer: await askPrediction(text.predict, { signal: controller.signal, onInterrupt: onSigint, say: (l) => out.line(l) }) };
    screen.predicted(prediction);
    hooks.onPrediction?.(prediction);
    screen.blank();
    screen.heading('The run');
    const body: LessonRunRequest = 'answer' in prediction ? { answer: prediction.answer } : { unanswered: prediction.unanswered };
    // Not cut short by Ctrl-C: the lab answers at once, and then whether it started is known.
    const run = await target.start(body).catch((err: unknown) => {
      // Another lesson holds the lab: one line that says which, and where.
      if (err instanceof FaultlineError && err.code === 'conflict') throw new FaultlineError('conflict', `the lab at ${url} is busy: ${err.message}`);
      throw err;
    });
    started = true;
    const view = await follow(lessonClient(url), run.id, { name, url, minutes: text.minutes, screen, signal: controller.signal });
    out.result(view);
    if (view.state === 'failed' || !view.report) throw new FaultlineError('step-failed', `lesson ${name} could not run on the lab at ${url}: ${view.error ?? 'it gave no report'}`);
    reveal(screen, view, view.report, prediction, url);
    return view;
  } catch (err) {
    if (controller.signal.aborted || (err instanceof FaultlineError && err.code === 'interrupted')) {
      throw new FaultlineError(
        'interrupted',
        started ? `stopped following; lesson ${name} goes on running on the lab at ${url} (its dashboard shows the verdict: ${url}/)` : `interrupted; lesson ${name} was not started on the lab at ${url}`,
      );
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
  }
}

/** The lesson's text from the lab's list (the lab's copy is the one that runs); from a lesson file here when an older lab lists no question. */
function lessonText(s: Summary, url: string, dir: string | undefined): LessonText {
  if (s.predict && s.context !== undefined) return { name: s.name, title: s.title, concept: s.concept, minutes: s.minutes, context: s.context, predict: s.predict };
  try {
    return findLesson(s.name, dir).lesson;
  } catch {
    throw new FaultlineError('unsupported', `the lab at ${url} does not say lesson ${s.name}'s question, and no lesson file here has it`);
  }
}

interface Following {
  readonly name: string;
  readonly url: string;
  readonly minutes: number;
  readonly screen: Screen;
  readonly signal: AbortSignal;
}

/** Reads the run's view until it has a verdict (or failed), printing each step once as it arrives. */
async function follow(lessons: ReturnType<typeof lessonClient>, id: number | undefined, f: Following): Promise<RunView> {
  const deadline = performance.now() + f.minutes * 60_000 + MARGIN_MS;
  let shown = 0;
  for (;;) {
    const view = await abortable(lessons.currentLesson(), f.signal);
    if (!view || view.name !== f.name || (id !== undefined && view.id !== undefined && view.id !== id)) {
      throw new FaultlineError('conflict', `the lab at ${f.url} no longer shows this run of ${f.name}: ${view ? `it shows a run of ${view.name}` : 'it shows none'}`);
    }
    for (const s of view.steps.slice(shown)) f.screen.event({ kind: 'step', index: s.index, total: view.totalSteps ?? view.steps.length, description: s.description, ...(s.note ? { note: s.note } : {}) });
    shown = view.steps.length;
    if (view.state !== 'running') return view;
    if (performance.now() > deadline) {
      throw new FaultlineError('timeout', `lesson ${f.name} gave no verdict within ${Math.round((f.minutes * 60_000 + MARGIN_MS) / 1000)} s (its ${f.minutes} minutes and a margin); it may still be running on the lab at ${f.url}`);
    }
    await sleep(POLL_MS, f.signal);
  }
}

/** The reveal from the run's view: the prediction beside what happened, the diagram, the sweeps, the explanation, the verdict, the files. */
function reveal(screen: Screen, view: RunView, report: NonNullable<RunView['report']>, given: PredictionGiven, url: string): void {
  screen.blank();
  screen.heading('The reveal: your prediction, and what happened');
  // A lab from before the view carried the prediction: what was given, beside nothing.
  screen.line(report.prediction?.line ?? `${'answer' in given ? `you predicted ${given.answer.choice ?? `"${given.answer.text}"`}` : `no prediction (${given.unanswered})`}; the lab did not say what the lesson expects`, '  ', '    ', style.bold);
  screen.blank();
  if (report.diagram.length > 0) screen.diagram(report.diagram);
  screen.sweeps(report.sweeps);
  screen.explanation(view.lesson.teaches, report.explanation);
  screen.verdict(report);
  screen.files(report.files, "on the lab's machine");
  screen.line(`the whole reveal (the tables, the lens) is in the report, and in the lab's dashboard: ${url}/`, '  ', '    ', style.dim);
}
