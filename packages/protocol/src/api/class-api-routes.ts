/**
 * The instructor's console's routes (`faultline class start`): the class as it stands, and pushing
 * a lesson or a scenario to every student's lab. Every request carries the console's key
 * (`Authorization: Bearer KEY`); the students' labs come in through the WebSocket at `/join`
 * (protocol `classroom.ts`) with the join code instead.
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

export const classApi = {
  classView: defineRoute({ method: 'GET', path: '/class', summary: "every student: connected, their lab, each assignment's prediction and verdict", response: classViewSchema, errors: ['unauthorized'] }),
  assign: defineRoute({ method: 'POST', path: '/class/assign', summary: 'push a lesson (or a scenario file) to every lab, those that join later too', body: assignRequestSchema, response: assignmentSchema, errors: ['unauthorized'] }),
} as const;

export type ClassApi = typeof classApi;
