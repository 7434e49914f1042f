/**
 * The Maelstrom-protocol programs the tests run: the examples a student starts from
 * (examples/maelstrom: the node libraries, echo) and the tests' own (tests/fixtures/maelstrom:
 * working broadcasts and counters, and deliberately wrong ones). Python's are skipped, with the
 * reason, where there is no python3.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = fileURLToPath(new URL('../../examples/maelstrom/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/maelstrom/', import.meta.url));
const EXERCISES = fileURLToPath(new URL('../../packages/cli/exercises/', import.meta.url));

/** `node PROGRAM` for a JavaScript program: an example's (`js/echo.mjs`) or a fixture's (`broadcast.mjs`). */
export const js = (file: string): string[] => [process.execPath, file.startsWith('js/') ? join(EXAMPLES, file) : join(FIXTURES, file)];
/** `python3 PROGRAM` for a Python program: an example's (`python/echo.py`) or a fixture's (`broadcast.py`). */
export const py = (file: string): string[] => ['python3', file.startsWith('python/') ? join(EXAMPLES, file) : join(FIXTURES, file)];

/**
 * `node main.mjs` for an exercise's reference solution, laid out in `into/NAME/` as a student's
 * folder is (the solution beside the node library it imports): the same program the exercise's
 * check grades, run by the tests as any other.
 */
export function solution(name: string, into: string): string[] {
  const dir = join(into, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(EXERCISES, name, 'solution', 'main.mjs'), join(dir, 'main.mjs'));
  copyFileSync(join(EXAMPLES, 'js', 'node.mjs'), join(dir, 'node.mjs'));
  return [process.execPath, join(dir, 'main.mjs')];
}

export const hasPython = ((): boolean => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
