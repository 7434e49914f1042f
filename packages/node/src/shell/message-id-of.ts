/**
 * The id of a message that is not a valid envelope, when its JSON still has one (`{"id": "n1-7",
 * "type": <too long>, …}`): the `malformed` line names it, so a reader of the trace can tell what
 * became of message n1-7 (it arrived, and was dropped as malformed).
 */
import { envelopeSchema } from '@faultline/protocol';

const idSchema = envelopeSchema.shape.id;

export function messageIdOf(text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const id = idSchema.safeParse((json as { id?: unknown }).id);
  return id.success ? id.data : undefined;
}
