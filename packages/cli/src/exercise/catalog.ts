/**
 * The exercises that ship with faultline (`packages/cli/exercises/NAME/`: `exercise.yaml`, the
 * `starter/` files a student begins from, the reference `solution/`), and the small node library
 * the starters import (examples/maelstrom/js/node.mjs). Installed (the Docker image), both are
 * under `$FAULTLINE_HOME`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exerciseSchema, FaultlineError, parseWith, type Exercise } from '@faultline/protocol';
import { parse } from 'yaml';

const HOME = process.env.FAULTLINE_HOME;
export const EXERCISES_DIR = HOME ? join(HOME, 'exercises') : fileURLToPath(new URL('../../exercises/', import.meta.url));
/** The JavaScript node library every starter imports (`./node.mjs`). */
export const NODE_LIBRARY = HOME ? join(HOME, 'examples', 'maelstrom', 'js', 'node.mjs') : fileURLToPath(new URL('../../../../examples/maelstrom/js/node.mjs', import.meta.url));

export interface LoadedExercise {
  readonly exercise: Exercise;
  /** Its folder (exercise.yaml, starter/, solution/). */
  readonly dir: string;
}

/** One exercise's file, checked: a bad one is one line naming the file and the field. */
export function loadExercise(dir: string): LoadedExercise {
  const file = join(dir, 'exercise.yaml');
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FaultlineError('invalid', `${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = parseWith(exerciseSchema, raw, 'exercise');
  if (!parsed.ok) throw new FaultlineError('invalid', `${file}: ${parsed.error}`);
  return { exercise: parsed.value, dir };
}

export function listExercises(): LoadedExercise[] {
  return readdirSync(EXERCISES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(EXERCISES_DIR, d.name, 'exercise.yaml')))
    .map((d) => loadExercise(join(EXERCISES_DIR, d.name)))
    .sort((a, b) => a.exercise.name.localeCompare(b.exercise.name));
}

export function findExercise(name: string): LoadedExercise {
  const all = listExercises();
  const found = all.find((e) => e.exercise.name === name);
  if (!found) throw new FaultlineError('bad-usage', `no exercise called "${name}"; there are: ${all.map((e) => e.exercise.name).join(', ')}`);
  return found;
}
