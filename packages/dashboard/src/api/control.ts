/**
 * The lab's control API, from the page it serves (same origin: the API refuses any other): the
 * typed clients derived from protocol's route registries, one method a route.
 */
import { createClient, labApi } from '@faultline/protocol';
import { pageLessonApi } from './lesson-histories.js';

export const control = createClient(labApi, { baseUrl: '' });
/** The lessons' routes: there when the CLI served the page (`not-found` otherwise); a report keeps its histories. */
export const lessonControl = createClient(pageLessonApi, { baseUrl: '' });
