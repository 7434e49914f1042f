/**
 * The handlers of the lessons' routes on a running lab's control API (protocol's `lessonApi`, for
 * the dashboard): the CLI hands them to `lab.serve`, so the coordinator needs no lesson code.
 */
import { implement, type Lab, type RouteSet } from '@faultline/coordinator';
import { lessonApi, type Lesson } from '@faultline/protocol';
import { listLessons } from '../catalog.js';
import { FaultlineError } from '@faultline/protocol';
import type { LessonReport } from '../report/lesson-report.js';
import { runLesson } from './run-lesson.js';

export interface LessonRunView {
  readonly name: string;
  readonly state: 'running' | 'done' | 'failed';
  readonly lesson: Pick<Lesson, 'title' | 'concept' | 'teaches' | 'context' | 'predict' | 'minutes'>;
  readonly steps: { index: number; description: string; note?: string }[];
  readonly report?: LessonReport;
  readonly error?: string;
}

/** `extraDir`: a folder of the user's own lessons, listed after the built-in ones (`faultline up --lessons DIR`). */
export function lessonRoutes(extraDir?: string): RouteSet<Lab> {
  let current: LessonRunView | undefined;
  const lessons = (): ReturnType<typeof listLessons> => listLessons(extraDir);
  return implement<typeof lessonApi, Lab>(lessonApi, {
    lessons: () => Promise.resolve(lessons().map(({ lesson: l }) => ({ name: l.name, title: l.title, concept: l.concept, minutes: l.minutes, nodes: l.cluster.nodes }))),
    currentLesson: () => Promise.resolve(current ?? null),
    runLesson: ({ ctx: lab, params }) => {
      const found = lessons().find((l) => l.lesson.name === params.name);
      if (!found) throw new FaultlineError('bad-request', `no lesson called "${params.name}"`);
      if (current?.state === 'running') throw new FaultlineError('conflict', `lesson ${current.name} is running; wait for its verdict`);
      const { lesson, file } = found;
      if (lab.nodes.length < lesson.cluster.nodes) throw new FaultlineError('bad-request', `lesson ${lesson.name} needs ${lesson.cluster.nodes} nodes; this lab has ${lab.nodes.length} (npx faultline up --nodes ${lesson.cluster.nodes})`);
      const view: LessonRunView = {
        name: lesson.name,
        state: 'running',
        // The question and its choices, not the answer: the page shows the view while the lesson runs.
        lesson: { title: lesson.title, concept: lesson.concept, teaches: lesson.teaches, context: lesson.context, predict: { question: lesson.predict.question, ...(lesson.predict.choices ? { choices: lesson.predict.choices } : {}) }, minutes: lesson.minutes },
        steps: [],
      };
      current = view;
      runLesson(lesson, { lab, file, prediction: { unanswered: 'run from the dashboard, which does not ask for one' }, onEvent: (e) => (e.kind === 'step' ? view.steps.push({ index: e.index, description: e.description, ...(e.note ? { note: e.note } : {}) }) : undefined) }).then(
        (report) => (current = { ...view, state: 'done', report }),
        (err: unknown) => (current = { ...view, state: 'failed', error: err instanceof FaultlineError || err instanceof Error ? err.message : String(err) }),
      );
      return Promise.resolve({ ok: true, name: lesson.name });
    },
  });
}
