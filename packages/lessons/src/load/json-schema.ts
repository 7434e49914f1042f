/** The JSON Schema of lesson files, generated from the zod schema (the one source of truth). */
import { lessonSchema } from '@faultline/protocol';
import { z } from 'zod';

export const LESSON_SCHEMA_FILE = new URL('../../lesson.schema.json', import.meta.url);

export function lessonJsonSchema(): string {
  const schema = z.toJSONSchema(lessonSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'faultline lesson', description: 'A faultline lesson or scenario file (faultline run FILE.yaml). Generated from packages/protocol/src/lesson.ts by npm run schema.' }, null, 2)}\n`;
}
