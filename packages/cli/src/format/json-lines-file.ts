/**
 * A file of JSON lines (a run's trace, a history) read whole for a command, each line checked
 * against a schema. Every problem is one line naming the file (after `label`, e.g. `--trace`) and
 * the line: no such file, too big, not JSON, not the schema's shape.
 */
import { readFileSync, statSync } from 'node:fs';
import { FaultlineError, parseWith } from '@faultline/protocol';
import type { z } from 'zod';

export interface JsonLinesOptions {
  /** Put before the file in errors (`--trace`), or nothing. */
  readonly label?: string;
  readonly maxBytes: number;
  /** What a line is called in errors about its fields (`event.f: …`). */
  readonly what: string;
}

export function readJsonLines<S extends z.ZodType>(file: string, schema: S, options: JsonLinesOptions): z.infer<S>[] {
  const name = options.label === undefined ? file : `${options.label} ${file}`;
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new FaultlineError('not-found', `${name}: no such file`);
  }
  if (size > options.maxBytes) throw new FaultlineError('bad-usage', `${name}: ${Math.round(size / 1e6)} MB is more than this command reads (${Math.round(options.maxBytes / 1024 / 1024)} MB)`);
  const values: z.infer<S>[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new FaultlineError('bad-usage', `${name}:${i + 1}: not JSON`);
      }
      const parsed = parseWith(schema, json, options.what);
      if (!parsed.ok) throw new FaultlineError('bad-usage', `${name}:${i + 1}: ${parsed.error}`);
      values.push(parsed.value);
    });
  return values;
}
