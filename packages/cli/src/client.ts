/** Talks to the running lab's control API: the typed clients derived from protocol's `labApi` and `lessonApi`. */
import { createClient, labApi, lessonApi, type Client, type LabApi, type LessonApi } from '@faultline/protocol';
import { readLabFile } from './lab-file.js';
import { FaultlineError } from '@faultline/protocol';

const START_HINT = 'start one in another terminal with: npm start   (or: npx faultline up --detach)';

/** The lab's URL: `--lab`, else $FAULTLINE_LAB, else `.faultline/lab.json` written by `faultline up`. */
export function findLabUrl(flag: string | undefined): string {
  const url = flag ?? process.env.FAULTLINE_LAB ?? readLabFile()?.controlUrl;
  if (!url) throw new FaultlineError('unavailable', 'no running lab found here (no .faultline/lab.json)', { hint: START_HINT });
  if (!isHttpUrl(url)) {
    const where = flag !== undefined ? '--lab' : process.env.FAULTLINE_LAB !== undefined ? '$FAULTLINE_LAB' : '.faultline/lab.json';
    throw new FaultlineError('bad-usage', `expected a URL like http://127.0.0.1:4000 for ${where}, got ${JSON.stringify(url)}`);
  }
  return url.replace(/\/$/, '');
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The client of the lab at `--lab` (or found here): one method a route, typed answers. */
export function labClient(flag: string | undefined): Client<LabApi> {
  return createClient(labApi, { baseUrl: findLabUrl(flag), unavailableHint: START_HINT });
}

/** The client of the lessons' routes of the lab at `url` (served beside its own by `faultline up`). */
export function lessonClient(url: string): Client<LessonApi> {
  return createClient(lessonApi, { baseUrl: url, unavailableHint: START_HINT });
}
