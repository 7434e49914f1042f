/**
 * The handlers of the lessons' routes on a running lab's control API (protocol's `lessonApi`, for
 * the dashboard and `faultline lesson run --lab`): the CLI hands them to `lab.serve`, so the
 * coordinator needs no lesson code.
 */
import { implement, type Lab, type RouteSet } from '@faultline/coordinator';
import { lessonApi, type Lesson, type LessonRunRequest } from '@faultline/protocol';
import { listLessons } from '../catalog.js';
import { parseLesson } from '../load/lesson-file.js';
import { FaultlineError } from '@faultline/protocol';
import type { LessonReport } from '../report/lesson-report.js';
import { checkAnswer, type PredictionGiven } from '../report/prediction.js';
import { runLesson } from './run-lesson.js';

export interface LessonRunView {
  readonly name: string;
  /** The file's name when the lesson came as its text (`POST /lessons/run-file`). */
  readonly file?: string;
  /** Which run on this lab (1, 2 …). */
  readonly id: number;
  readonly state: 'running' | 'done' | 'failed';
  readonly lesson: Pick<Lesson, 'title' | 'concept' | 'teaches' | 'context' | 'predict' | 'minutes'>;
  readonly totalSteps: number;
  readonly steps: { index: number; description: string; note?: string }[];
  readonly report?: LessonReport;
  readonly error?: string;
}

/** Why a run from the page has no prediction: the page does not ask for one. */
export const FROM_THE_PAGE = 'run from the dashboard, which does not ask for one';

/**
 * The prediction a run's body gives (`{}`: none, as from the page), its answer checked against
 * the lesson's question; a bad one is a `bad-request` whose one line names the field.
 */
export function predictionOf(predict: Lesson['predict'], body: LessonRunRequest | undefined): PredictionGiven {
  if (body?.answer !== undefined && body.unanswered !== undefined) throw new FaultlineError('bad-request', 'body: expected an answer or why there is none (unanswered), not both');
  if (body?.answer !== undefined) {
    const checked = checkAnswer(predict, body.answer);
    if ('error' in checked) throw new FaultlineError('bad-request', `body.answer.${checked.error}`);
    return checked;
  }
  return { unanswered: body?.unanswered ?? FROM_THE_PAGE };
}

/**
 * A lesson from its file's text, checked as `faultline run FILE` checks a file (the same loader);
 * a bad one is a `bad-request` whose one line names the file, the line and the field.
 */
function lessonFromText(text: string, file: string): Lesson {
  try {
    return parseLesson(text, file);
  } catch (err) {
    if (err instanceof FaultlineError && (err.code === 'bad-yaml' || err.code === 'invalid')) throw new FaultlineError('bad-request', err.message);
    throw err;
  }
}

/** `extraDir`: a folder of the user's own lessons, listed after the built-in ones (`faultline up --lessons DIR`). */
export function lessonRoutes(extraDir?: string): RouteSet<Lab> {
  let current: LessonRunView | undefined;
  let runs = 0;
  const lessons = (): ReturnType<typeof listLessons> => listLessons(extraDir);
  /**
   * Starts `lesson` on the lab (both routes): the prediction checked against its question, one
   * run at a time, enough nodes; answers at once, the run going on behind `currentLesson`.
   * `fromText`: the lesson came as its file's text (the view names the file).
   */
  const start = (lab: Lab, lesson: Lesson, file: string, body: LessonRunRequest | undefined, fromText = false): Promise<{ ok: true; name: string; id: number }> => {
    const prediction = predictionOf(lesson.predict, body);
    if (current?.state === 'running') throw new FaultlineError('conflict', `lesson ${current.name} is running; wait for its verdict`);
    if (lab.nodes.length < lesson.cluster.nodes) throw new FaultlineError('bad-request', `lesson ${lesson.name} needs ${lesson.cluster.nodes} nodes; this lab has ${lab.nodes.length} (npx faultline up --nodes ${lesson.cluster.nodes})`);
    const view: LessonRunView = {
      name: lesson.name,
      ...(fromText ? { file } : {}),
      id: ++runs,
      state: 'running',
      // The question and its choices, not the answer: the page shows the view while the lesson runs.
      lesson: { title: lesson.title, concept: lesson.concept, teaches: lesson.teaches, context: lesson.context, predict: { question: lesson.predict.question, ...(lesson.predict.choices ? { choices: lesson.predict.choices } : {}) }, minutes: lesson.minutes },
      totalSteps: lesson.steps.length,
      steps: [],
    };
    current = view;
    runLesson(lesson, { lab, file, prediction, onEvent: (e) => (e.kind === 'step' ? view.steps.push({ index: e.index, description: e.description, ...(e.note ? { note: e.note } : {}) }) : undefined) }).then(
      (report) => (current = { ...view, state: 'done', report }),
      (err: unknown) => (current = { ...view, state: 'failed', error: err instanceof FaultlineError || err instanceof Error ? err.message : String(err) }),
    );
    return Promise.resolve({ ok: true, name: lesson.name, id: view.id });
  };
  return implement<typeof lessonApi, Lab>(lessonApi, {
    lessons: () =>
      Promise.resolve(
        lessons().map(({ lesson: l }) => ({
          name: l.name,
          title: l.title,
          concept: l.concept,
          minutes: l.minutes,
          nodes: l.cluster.nodes,
          context: l.context,
          // The question and its choices, never the answer.
          predict: { question: l.predict.question, ...(l.predict.choices ? { choices: l.predict.choices } : {}) },
        })),
      ),
    currentLesson: () => Promise.resolve(current ?? null),
    runLesson: ({ ctx: lab, params, body }) => {
      const found = lessons().find((l) => l.lesson.name === params.name);
      if (!found) throw new FaultlineError('bad-request', `no lesson called "${params.name}"`);
      return start(lab, found.lesson, found.file, body);
    },
    runLessonFile: ({ ctx: lab, body }) => {
      const { file, text, ...prediction } = body;
      return start(lab, lessonFromText(text, file), file, prediction, true);
    },
  });
}
