/**
 * The Maelstrom-protocol programs the tests run: the examples a student starts from
 * (examples/maelstrom: the node libraries, echo) and the tests' own (tests/fixtures/maelstrom:
 * working broadcasts and counters, and deliberately wrong ones). Python's are skipped, with the
 * reason, where there is no python3.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLES = fileURLToPath(new URL('../../examples/maelstrom/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/maelstrom/', import.meta.url));

/** `node PROGRAM` for a JavaScript program: an example's (`js/echo.mjs`) or a fixture's (`broadcast.mjs`). */
export const js = (file: string): string[] => [process.execPath, file.startsWith('js/') ? join(EXAMPLES, file) : join(FIXTURES, file)];
/** `python3 PROGRAM` for a Python program: an example's (`python/echo.py`) or a fixture's (`broadcast.py`). */
export const py = (file: string): string[] => ['python3', file.startsWith('python/') ? join(EXAMPLES, file) : join(FIXTURES, file)];

export const hasPython = ((): boolean => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
