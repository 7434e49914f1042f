/** The lessons that ship with faultline (`packages/lessons/lessons/*.yaml`), found by name. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { FaultlineError } from '@faultline/protocol';
import { loadLessonFile, type LoadedLesson } from './load/lesson-file.js';

export const LESSONS_DIR = fileURLToPath(new URL('../lessons/', import.meta.url));

/** Every lesson file in `dir`, parsed, in file-name order. A bad file throws its FaultlineError. */
export function listLessons(dir = LESSONS_DIR): LoadedLesson[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => loadLessonFile(join(dir, f)));
}

/** The lesson called `name` (its `name:` or its file's name). */
export function findLesson(name: string, dir = LESSONS_DIR): LoadedLesson {
  const all = listLessons(dir);
  const found = all.find((l) => l.lesson.name === name || l.file.replace(/^.*\//, '').replace(/\.ya?ml$/, '') === name);
  if (!found) throw new FaultlineError('not-found', `no lesson called "${name}" (there are: ${all.map((l) => l.lesson.name).join(', ')})`);
  return found;
}
