/** Checks input against its protocol schema: the value, or a `bad-request` naming the field. */
import { parseWith } from '@faultline/protocol';
import type { z } from 'zod';
import { FaultlineError } from '@faultline/protocol';

export function check<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = parseWith(schema, input, what);
  if (!parsed.ok) throw new FaultlineError('bad-request', parsed.error);
  return parsed.value;
}
