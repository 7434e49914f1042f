/**
 * Runs a lesson on a real lab (shell): starts the cluster, asks for the student's prediction (its
 * dashboard is up by then), starts the behaviours, does the steps in
 * order (each held by its `at` or `after`), waits for late replies and the proxy's last events,
 * then reads the trace: the checks, the ambiguity lens, the diagram, the explanation with this
 * run's figures. Writes `report.json` and `report.md` beside `trace.ndjson`, stops every process it
 * started, and answers the report. An abort (Ctrl-C) stops the lab at once and keeps the trace.
 */
import { performance } from 'node:perf_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { byTrueTime, startLab, type Lab } from '@faultline/coordinator';
import type { BehaviourSpec, Lesson, RowStep, TraceLine } from '@faultline/protocol';
import type { Logger } from 'pino';
import { CheckContext, matchesLine, describeMatch, type RpcRecord, type SweepRow } from '../checks/context.js';
import { runChecks } from '../checks/run-checks.js';
import { lensOf, type LensEntry } from '@faultline/checkers';
import { FaultlineError } from '@faultline/protocol';
import { drawDiagram } from '../render/diagram.js';
import { isHeartbeat } from '@faultline/checkers';
import { clockViewsOf } from '../report/clock-views-of.js';
import { failureViewsOf } from '../report/failure-views-of.js';
import { counterexamplesOf, historyViewsOf } from '../report/history-views-of.js';
import { renderExplanation } from '../report/explain.js';
import { judgePrediction, type PredictionGiven } from '../report/prediction.js';
import type { LessonReport, StepRecord } from '../report/lesson-report.js';
import { renderMarkdown } from '../report/markdown.js';
import { abortable, interrupted, sleep } from './abortable.js';
import { describeStep } from './describe-step.js';
import { doStep, type RunState } from './do-step.js';
import { runSweep } from './run-sweep.js';

export type RunEvent =
  | { readonly kind: 'started'; readonly seed: string; readonly runDir: string; readonly nodes: number; readonly dashboardUrl?: string }
  | { readonly kind: 'step'; readonly index: number; readonly total: number; readonly description: string; readonly note?: string }
  | { readonly kind: 'trace'; readonly line: TraceLine }
  | { readonly kind: 'call'; readonly record: RpcRecord }
  /** A sweep's row has ended (its trace lines are not heard one by one: there are too many). */
  | { readonly kind: 'sweep_row'; readonly sweep: string; readonly label: string; readonly figureName: string; readonly row: SweepRow };

export interface RunOptions {
  /** Replaces the lesson's own seed. */
  readonly seed?: string;
  /** Where runs go (default `runs`). */
  readonly runsDir?: string;
  readonly logger?: Logger;
  /** Ctrl-C: stop now, keep the trace. */
  readonly signal?: AbortSignal;
  /** Hears the run as it happens. */
  readonly onEvent?: (event: RunEvent) => void;
  /** After the last step, how long late replies and proxy events may still come (default 400 ms). */
  readonly settleMs?: number;
  /** The lesson's file, for the report. */
  readonly file?: string;
  /** Hands over the lab once it is up (tests check it left nothing behind). */
  readonly onLab?: (lab: Lab) => void;
  /** The built dashboard: the lab serves it (and its control API) while the lesson runs. */
  readonly dashboardDir?: string;
  /** The student's prediction, when it was asked before the lab started (or why there is none). */
  readonly prediction?: PredictionGiven;
  /**
   * Asks for the prediction once the lab is up (its dashboard's address is known) and before the
   * first step; the run's clock starts when it answers. Replaces `prediction`.
   */
  readonly ask?: (started: { readonly dashboardUrl?: string }) => Promise<PredictionGiven>;
  /** Hears the report while the lab is still up (the CLI prints the reveal, and may keep the lab a while). */
  readonly onReport?: (report: LessonReport) => Promise<void>;
  /**
   * Run on this running lab (the dashboard's): it must have the lesson's nodes; its seed, not the
   * lesson's, makes the random decisions; it goes on running afterwards. The checks read only the
   * trace the lesson made; the report goes to `<runDir>/lessons/<name>-<time>/`.
   */
  readonly lab?: Lab;
}

/** The diagram shows at most this many rows of what mattered. */
const DIAGRAM_ROWS = 60;
const QUIET = new Set(['peer_up', 'peer_down', 'node_start', 'run_start', 'local']);

/** The lines of the reveal's diagram: no heartbeats, no link bookkeeping, in true-time order. */
export function linesThatMattered(lines: readonly TraceLine[]): TraceLine[] {
  // A message that arrived is drawn as an arrow on its receive's row: its send needs no row.
  const received = new Set(lines.flatMap((l) => (l.kind === 'receive' ? [l.msg] : [])));
  return byTrueTime(
    lines.filter((l) => !isHeartbeat(l) && !QUIET.has(l.kind) && !(l.kind === 'state' && (l.key === 'started' || l.key === 'stopped')) && !(l.kind === 'send' && received.has(l.msg))),
  );
}

export async function runLesson(lesson: Lesson, options: RunOptions = {}): Promise<LessonReport> {
  const emit = options.onEvent ?? (() => undefined);
  const signal = options.signal;
  if (signal?.aborted) throw interrupted();
  const shared = options.lab;
  if (shared && shared.nodes.length < lesson.cluster.nodes) {
    throw new FaultlineError('invalid', `lesson ${lesson.name} needs ${lesson.cluster.nodes} nodes; this lab has ${shared.nodes.length} (npx faultline up --nodes ${lesson.cluster.nodes})`);
  }
  // startLab is handed the signal, not raced: a Ctrl-C meanwhile stops what it started, at once, and never leaks it.
  const lab =
    shared ??
    (await startLab(
      { nodes: lesson.cluster.nodes, seed: options.seed ?? lesson.cluster.seed, runsDir: options.runsDir ?? 'runs', ...(lesson.cluster.heartbeat === undefined ? {} : { heartbeatMs: lesson.cluster.heartbeat }) },
      { ...(options.logger ? { logger: options.logger } : {}), ...(signal ? { signal } : {}) },
    ).catch((err: unknown) => {
      throw signal?.aborted ? interrupted() : err;
    }));
  if (signal?.aborted) {
    if (!shared) await lab.stop();
    throw interrupted();
  }
  options.onLab?.(lab);
  const startSeq = lab.lastSeq;
  const outDir = shared ? join(lab.runDir, 'lessons', `${lesson.name}-${new Date().toISOString().replaceAll(':', '-')}`) : lab.runDir;
  if (shared) mkdirSync(outDir, { recursive: true });
  // Ctrl-C stops a lab the lesson started at once; a shared lab goes on (it is tidied below).
  const stopOnAbort = (): void => void lab.stop();
  if (!shared) signal?.addEventListener('abort', stopOnAbort, { once: true });
  // A sweep's rows make thousands of lines: they are heard as each row's figure, not line by line.
  let inSweep = false;
  const unsubscribe = lab.subscribe((line) => {
    if (!inSweep) emit({ kind: 'trace', line });
  });
  let startedAt: string;
  let t0: number;
  const state: RunState = { lab, signal, rpcs: new Map(), calls: new Map(), sentItems: new Map(), onCall: (record) => emit({ kind: 'call', record }), invokes: new Map(), sweeps: [], histories: new Map(), opsCounters: { values: 0, clients: 0 }, ...(shared ? {} : { traceFile: lab.traceFile }) };
  const steps: StepRecord[] = [];
  /** The behaviours this run started: stopped at the end on a shared lab, so nothing goes on after the verdict. */
  const started: (readonly [string, BehaviourSpec['name']])[] = [];
  let error: string | undefined;
  try {
    const dashboardUrl = options.dashboardDir && !shared ? `${await lab.serve(0, { dashboardDir: options.dashboardDir })}/` : lab.controlUrl ? `${lab.controlUrl}/` : undefined;
    emit({ kind: 'started', seed: lab.seed, runDir: lab.runDir, nodes: lesson.cluster.nodes, ...(dashboardUrl ? { dashboardUrl } : {}) });
    const prediction = options.ask ? await abortable(options.ask(dashboardUrl ? { dashboardUrl } : {}), signal) : (options.prediction ?? { unanswered: 'nobody was asked' });
    startedAt = new Date().toISOString();
    t0 = performance.now();
    const wanted = Object.entries(lesson.cluster.behaviours).flatMap(([id, specs]) => specs.map((spec) => [id, spec] as const));
    // On a shared lab a behaviour an earlier run started keeps its state (a counter at 2): refused,
    // all checked before any is started.
    for (const [id, spec] of wanted) {
      if (lab.behaviours(id).some((b) => b.name === spec.name)) {
        throw new FaultlineError('step-failed', `${id} already runs ${spec.name} from an earlier run, and its state would carry over; start a new lab (npx faultline down, then npx faultline up) to run ${lesson.name} again`);
      }
    }
    // On a larger lab the lesson's behaviours see only the lesson's nodes (n4 and n5 play no part in a 3-node lesson).
    const among = lab.nodes.length > lesson.cluster.nodes ? { among: lab.nodes.slice(0, lesson.cluster.nodes) } : {};
    for (const [id, spec] of wanted) {
      await abortable(lab.startBehaviour(id, spec, among), signal);
      started.push([id, spec.name]);
    }
    error = await runSteps(lab, lesson, state, steps, t0, emit, (on) => (inSweep = on), signal);
    // Calls left running end now; then late replies and the proxy's events get time to arrive.
    await abortable(Promise.allSettled(state.calls.values()), signal);
    await sleep(options.settleMs ?? 400, signal);
    const report = finish(lab, lesson, state, steps, { startedAt, durationMs: performance.now() - t0, error, file: options.file, since: startSeq, outDir, prediction });
    await options.onReport?.(report);
    return report;
  } catch (err) {
    if (signal?.aborted || (err instanceof FaultlineError && err.code === 'interrupted')) throw interrupted();
    throw err;
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', stopOnAbort);
    if (shared) await tidy(shared, started);
    else await lab.stop();
  }
}

/**
 * After a lesson on a shared lab: no behaviour it started still running, no partition, block, link
 * fault or hold left, no node left paused.
 */
async function tidy(lab: Lab, started: readonly (readonly [string, BehaviourSpec['name']])[]): Promise<void> {
  const quietly = (p: Promise<unknown>): Promise<unknown> => p.catch(() => undefined);
  await quietly(lab.heal());
  await quietly(lab.clearLinks());
  for (const id of lab.nodes) if (lab.state(id) === 'paused') await quietly(lab.resume(id));
  for (const [id, name] of started) await quietly(lab.stopBehaviour(id, name));
}

/** The steps in order; the first that fails ends the run (its error is answered, not thrown). */
async function runSteps(lab: Lab, lesson: Lesson, state: RunState, steps: StepRecord[], t0: number, emit: (e: RunEvent) => void, quiet: (on: boolean) => void, signal?: AbortSignal): Promise<string | undefined> {
  const cursor = { since: lab.lastSeq };
  for (const [index, step] of lesson.steps.entries()) {
    const description = describeStep(step);
    try {
      if (step.sweep) {
        const sweep = step.sweep;
        await runOne(lab, { note: step.note ?? '', within: step.within, ...(step.at === undefined ? {} : { at: step.at }), ...(step.after ? { after: step.after } : {}) }, index, description, { state, steps, t0, emit, total: lesson.steps.length, cursor, signal });
        quiet(true);
        try {
          await runSweep(sweep, state, {
            step: (rowStep, row) => runOne(lab, rowStep, index, `${describeStep(rowStep)} [${sweep.name} ${row}]`, { state, steps, t0, emit: () => undefined, total: lesson.steps.length, cursor, signal }),
            rowDone: (row) => emit({ kind: 'sweep_row', sweep: sweep.name, label: sweep.label, figureName: sweep.figure, row }),
          });
        } finally {
          quiet(false);
        }
        continue;
      }
      await runOne(lab, step, index, description, { state, steps, t0, emit, total: lesson.steps.length, cursor, signal });
    } catch (err) {
      if (signal?.aborted || (err instanceof FaultlineError && err.code === 'interrupted')) throw interrupted();
      const last = steps.at(-1);
      if (last?.index === index) steps[steps.length - 1] = { ...last, error: (err as Error).message };
      return `step ${index + 1} (${last?.index === index ? last.description : description}): ${(err as Error).message}`;
    }
  }
  return undefined;
}

interface StepRun {
  readonly state: RunState;
  readonly steps: StepRecord[];
  readonly t0: number;
  readonly emit: (e: RunEvent) => void;
  readonly total: number;
  /** The trace's seq when the step before began: an `after` waits for a line since then. */
  readonly cursor: { since: number };
  readonly signal?: AbortSignal;
}

/** One step: held by its `at` and `after`, recorded, announced, done. */
async function runOne(lab: Lab, step: RowStep, index: number, description: string, r: StepRun): Promise<void> {
  if (step.at !== undefined) await sleep(step.at - (performance.now() - r.t0), r.signal);
  if (step.after) {
    const match = step.after;
    await abortable(lab.waitForTrace((l) => matchesLine(l, match), { since: r.cursor.since, timeoutMs: step.within, what: `with ${describeMatch(match)}` }), r.signal);
  }
  r.cursor.since = lab.lastSeq;
  r.steps.push({ index, description, ...(step.note ? { note: step.note } : {}), atMs: Math.round(performance.now() - r.t0) });
  r.emit({ kind: 'step', index, total: r.total, description, ...(step.note ? { note: step.note } : {}) });
  await doStep(r.state, step, index);
}

interface RunFacts {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly error?: string;
  readonly file?: string;
  readonly since: number;
  readonly outDir: string;
  readonly prediction: PredictionGiven;
}

function finish(lab: Lab, lesson: Lesson, state: RunState, steps: StepRecord[], run: RunFacts): LessonReport {
  const lines = lab.trace({ since: run.since });
  const ctx = new CheckContext(lines, state.rpcs, state.sentItems, { invokes: state.invokes, sweeps: state.sweeps, histories: state.histories, ...(state.traceFile ? { traceFile: state.traceFile } : {}) });
  const checks = run.error === undefined ? runChecks(ctx, lesson.expect) : [];
  const lens = [...state.rpcs.values()].map((r) => lensOf(lines, r)).filter((e): e is LensEntry => e !== undefined);
  const files = { trace: lab.traceFile, reportMd: join(run.outDir, 'report.md'), reportJson: join(run.outDir, 'report.json') };
  const passed = run.error === undefined && checks.every((c) => c.held);
  const report: LessonReport = {
    lesson: { name: lesson.name, title: lesson.title, concept: lesson.concept, teaches: lesson.teaches.trim(), minutes: lesson.minutes, ...(run.file ? { file: run.file } : {}) },
    context: lesson.context.trim(),
    predict: lesson.predict,
    prediction: judgePrediction(lesson.predict, run.prediction, passed),
    seed: lab.seed,
    runDir: run.outDir,
    files,
    startedAt: run.startedAt,
    durationMs: Math.round(run.durationMs),
    steps,
    rpcs: [...state.rpcs.values()],
    lens,
    diagram: diagramOf(withoutSweeps(lines, state.sweeps), lab.nodes),
    explanation: renderExplanation(lesson.explain.trim(), { seed: lab.seed, rpcs: state.rpcs, checks, sweeps: state.sweeps }),
    checks,
    sweeps: state.sweeps,
    clocks: clockViewsOf(lines, state.invokes),
    histories: historyViewsOf(state.histories),
    failures: failureViewsOf(withoutSweeps(lines, state.sweeps)),
    counterexamples: counterexamplesOf(state.histories, checks, lines[0]?.trueMs),
    askTheTrace: checks.flatMap((c) => {
      const command = (c.value as { command?: unknown } | undefined)?.command;
      return typeof command === 'string' ? [command] : [];
    }),
    passed,
    ...(run.error === undefined ? {} : { error: run.error }),
  };
  writeFileSync(files.reportJson, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.reportMd, renderMarkdown(report));
  return report;
}

/** The lines outside every sweep's rows: the sweeps have their charts, the diagram tells the story. */
function withoutSweeps(lines: readonly TraceLine[], sweeps: RunState['sweeps']): TraceLine[] {
  const rows = sweeps.flatMap((s) => s.rows);
  return lines.filter((l) => !rows.some((r) => l.seq > r.sinceSeq && l.seq <= r.untilSeq));
}

function diagramOf(lines: readonly TraceLine[], nodes: readonly string[]): string[] {
  const mattered = linesThatMattered(lines);
  // 80 columns: the report is read in terminals and editors of that width.
  const rows = drawDiagram(mattered.slice(0, DIAGRAM_ROWS), [...nodes], 80);
  if (mattered.length > DIAGRAM_ROWS) rows.push(`… and ${mattered.length - DIAGRAM_ROWS} more events (the whole run is in trace.ndjson)`);
  return rows;
}
