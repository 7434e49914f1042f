/**
 * Parsing what the coordinator sends on the control channel. Never throws: anything that is not a
 * valid command message is an error line (for a `malformed` event); when the message at least
 * says which command it was (`{"kind":"command","id":7,…}`), the id comes back too, so the node can
 * answer that command with `ok: false` instead of leaving the coordinator waiting.
 */
import { coordinatorToNodeSchema, parseJsonWith, type CoordinatorToNode } from '@faultline/protocol';

export type ParsedControl = { ok: true; message: CoordinatorToNode } | { ok: false; error: string; id?: number };

export function parseControlMessage(text: string): ParsedControl {
  const parsed = parseJsonWith(coordinatorToNodeSchema, text, 'control');
  if (parsed.ok) return { ok: true, message: parsed.value };
  const id = commandId(text);
  return id === undefined ? { ok: false, error: parsed.error } : { ok: false, error: parsed.error, id };
}

function commandId(text: string): number | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object') return undefined;
    const { kind, id } = value as { kind?: unknown; id?: unknown };
    return kind === 'command' && typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
  } catch {
    return undefined;
  }
}
