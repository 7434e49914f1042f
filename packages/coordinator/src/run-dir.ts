/** `<runsDir>/<timestamp>/`: one fresh directory per run, for the trace and the nodes' logs. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Creates the run's directory (relative `runsDir` is under the current directory); answers its path. */
export function createRunDir(runsDir: string, now = new Date()): string {
  const root = resolve(runsDir);
  mkdirSync(root, { recursive: true });
  const stamp = now.toISOString().replace(/:/g, '-');
  for (let n = 1; ; n++) {
    const dir = join(root, n === 1 ? stamp : `${stamp}-${n}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
