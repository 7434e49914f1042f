/**
 * The lessons that ship with faultline (`packages/lessons/lessons/*.yaml`), and those in a folder
 * the user names (`--lessons DIR`: an instructor's own), found by name.
 */
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { FaultlineError } from '@faultline/protocol';
import { loadLessonFile, type LoadedLesson } from './load/lesson-file.js';

/** Installed (the Docker image: `$FAULTLINE_HOME/lessons`), else this package's folder. */
export const LESSONS_DIR = process.env.FAULTLINE_HOME ? join(process.env.FAULTLINE_HOME, 'lessons') : fileURLToPath(new URL('../lessons/', import.meta.url));

/** Every lesson file in `dir`, parsed, in file-name order. A bad file throws its FaultlineError. */
function lessonsIn(dir: string): LoadedLesson[] {
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new FaultlineError('not-found', `--lessons ${dir}: not a folder`);
    files = readdirSync(dir);
  } catch (err) {
    if (err instanceof FaultlineError) throw err;
    throw new FaultlineError('not-found', `--lessons ${dir}: no such folder`);
  }
  return files
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => loadLessonFile(join(dir, f)));
}

/**
 * The built-in lessons, then those in `extraDir` (when given). Two lessons of one name (one
 * built in and one in the folder, or two in the folder) are an error naming both files.
 */
export function listLessons(extraDir?: string): LoadedLesson[] {
  const all = [...lessonsIn(LESSONS_DIR), ...(extraDir === undefined ? [] : lessonsIn(extraDir))];
  const seen = new Map<string, string>();
  for (const { lesson, file } of all) {
    const first = seen.get(lesson.name);
    if (first !== undefined) throw new FaultlineError('invalid', `two lessons are called "${lesson.name}": ${first} and ${file} (rename one)`);
    seen.set(lesson.name, file);
  }
  return all;
}

/** The lesson called `name` (its `name:` or its file's name), built in or in `extraDir`. */
export function findLesson(name: string, extraDir?: string): LoadedLesson {
  const all = listLessons(extraDir);
  const found = all.find((l) => l.lesson.name === name) ?? all.find((l) => l.file.replace(/^.*\//, '').replace(/\.ya?ml$/, '') === name);
  if (!found) throw new FaultlineError('not-found', `no lesson called "${name}" (there are: ${all.map((l) => l.lesson.name).join(', ')})`);
  return found;
}
