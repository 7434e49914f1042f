import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LESSONS_DIR, parseLesson } from '@faultline/lessons';
import { createRng } from '@faultline/random';
import { mutateText } from './mutate.js';
const rng = createRng(1, 'fuzz:lessons');
const files = readdirSync(LESSONS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => ({ name: f, text: readFileSync(join(LESSONS_DIR, f), 'utf8') }));
for (let i = 0; i <= 266; i++) {
  const file = files[rng.int(files.length)];
  const text = mutateText(rng, file.text);
  if (i === 266) {
    writeFileSync('/tmp/case266.yaml', text);
    try { parseLesson(text, file.name); } catch (e) { console.log((e as Error).stack?.split('\n').slice(0, 30).join('\n')); }
  }
}
