/**
 * Fuzz target: the bundled lesson files, mutated (seeded), through the lesson loader. Each either
 * loads or is refused with a FaultlineError of one line; a throw of anything else is a crash, a
 * load that takes over 5 s a hang.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LESSONS_DIR, parseLesson } from '@faultline/lessons';
import { FaultlineError } from '@faultline/protocol';
import { createRng } from '@faultline/random';
import { mutateText } from './mutate.js';
import { isOneLine, Tally, type FuzzOptions, type FuzzResult } from './target.js';

const HANG_MS = 5_000;

export function fuzzLessons(o: FuzzOptions): Promise<FuzzResult> {
  const tally = new Tally('lesson files', o.seed);
  const rng = createRng(o.seed, 'fuzz:lessons');
  const files = readdirSync(LESSONS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ name: f, text: readFileSync(join(LESSONS_DIR, f), 'utf8') }));
  const count = o.scale === 'full' ? 20_000 : 400;
  for (let i = 0; i < count; i++) {
    const file = files[rng.int(files.length)];
    const text = mutateText(rng, file.text);
    tally.cases += 1;
    const t = performance.now();
    try {
      parseLesson(text, file.name);
    } catch (err) {
      if (!(err instanceof FaultlineError)) tally.crash(`case ${i} (${file.name}): ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
      else if (!isOneLine(err.message)) tally.bad(`case ${i} (${file.name}): ${JSON.stringify(err.message)}`);
    }
    if (performance.now() - t > HANG_MS) tally.hang(`case ${i} (${file.name}) took ${Math.round(performance.now() - t)} ms`);
  }
  return Promise.resolve(tally.result());
}
