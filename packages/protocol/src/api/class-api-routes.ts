/**
 * The instructor's console's routes (`faultline class start`): the class as it stands (once, or
 * live as server-sent events), pushing a lesson or a scenario to every student's lab, and what the
 * console page needs besides (the join code, the lessons to push, the CSV). Every request carries
 * the console's key (`Authorization: Bearer KEY`); the students' labs come in through the
 * WebSocket at `/join` (protocol `classroom.ts`) with the join code instead. The console page
 * itself (`GET /`, HTML with no data in it) is the one thing served without the key, and is not a
 * JSON route, so it is not declared here.
 */
import * as z from 'zod';
import { assignmentSchema, classViewSchema } from '../classroom.js';
import { defineRoute } from './route.js';

export const assignRequestSchema = z
  .object({
    lesson: z.string().min(1).max(100),
    scenario: z.object({ file: z.string().min(1).max(200), text: z.string().min(1).max(200_000) }).optional(),
  })
  .strict();

/** A lesson the console offers to push (the built-in ones, as `lesson list` names them). */
export const classLessonSchema = z.object({ name: z.string().min(1).max(100), title: z.string().max(200), minutes: z.number().positive().optional() });
export type ClassLesson = z.infer<typeof classLessonSchema>;

/** The join code, and each address a student's `class join ADDRESS CODE` can reach the console at. */
export const classCodeSchema = z.object({ code: z.string(), addresses: z.array(z.string()) });

export const classApi = {
  classView: defineRoute({ method: 'GET', path: '/class', summary: "every student: connected, their lab, each assignment's prediction and verdict", response: classViewSchema, errors: ['unauthorized'] }),
  classEvents: defineRoute({ method: 'GET', path: '/class/events', summary: 'the class live, as server-sent events: the whole class now, then again whenever it changes', response: classViewSchema, stream: true, errors: ['unauthorized'] }),
  assign: defineRoute({ method: 'POST', path: '/class/assign', summary: 'push a lesson (or a scenario file) to every lab, those that join later too', body: assignRequestSchema, response: assignmentSchema, errors: ['unauthorized'] }),
  classCode: defineRoute({ method: 'GET', path: '/class/code', summary: 'the join code, and the addresses students join at (class join ADDRESS CODE)', response: classCodeSchema, errors: ['unauthorized'] }),
  classLessons: defineRoute({ method: 'GET', path: '/class/lessons', summary: 'the lessons the console offers to push (the built-in ones)', response: z.array(classLessonSchema), errors: ['unauthorized'] }),
  classCsv: defineRoute({ method: 'GET', path: '/class/csv', summary: 'every prediction and verdict as CSV (a row a student and lesson), in a JSON answer', response: z.object({ csv: z.string() }), errors: ['unauthorized'] }),
} as const;

export type ClassApi = typeof classApi;
