/**
 * The lab's control API, from the page it serves (same origin: the API refuses any other): the
 * typed clients derived from protocol's route registries, one method a route.
 */
import { createClient, labApi, lessonApi } from '@faultline/protocol';

export const control = createClient(labApi, { baseUrl: '' });
/** The lessons' routes: there when the CLI served the page (`not-found` otherwise). */
export const lessonControl = createClient(lessonApi, { baseUrl: '' });
