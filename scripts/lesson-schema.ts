/** npm run schema: writes packages/lessons/lesson.schema.json from the zod schema of lesson files. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LESSON_SCHEMA_FILE, lessonJsonSchema } from '@faultline/lessons';

writeFileSync(LESSON_SCHEMA_FILE, lessonJsonSchema());
process.stdout.write(`wrote ${fileURLToPath(LESSON_SCHEMA_FILE)}\n`);
