/**
 * A data message while the framer follows it (from its first frame to the frame with FIN), and
 * the unit it becomes once whole: its opcode, payload size, frame count and, for a JSON object
 * payload, its `id` and `type`.
 */
import { isUtf8 } from 'node:buffer';
import { unmaskFrames, type FrameHeader } from './frame-parser.js';
import type { WsUnit } from './units.js';

/** The data message in progress (from its first frame to the frame with FIN). */
export interface MessageState {
  opcode: 1 | 2;
  /** Collected for alignment (else its bytes pass as they arrive). */
  aligned: boolean;
  frames: number;
  payloadSize: number;
  parts: Buffer[];
  collectedBytes: number;
  headers: FrameHeader[];
}

/** A message that starts with a data frame of `opcode`; collected when `aligned`. */
export function startMessage(opcode: 1 | 2, aligned: boolean): MessageState {
  return { opcode, aligned, frames: 0, payloadSize: 0, parts: [], collectedBytes: 0, headers: [] };
}

/** The bytes and unit of a whole collected message; ids are looked for in payloads up to `maxIdBytes`. */
export function messageItem(msg: MessageState, maxIdBytes: number): { data: Buffer; unit: WsUnit } {
  const data = Buffer.concat(msg.parts);
  const unit: WsUnit = { kind: 'message', opcode: msg.opcode, payloadSize: msg.payloadSize, frames: msg.frames };
  const fields = findFields(msg, data, maxIdBytes);
  if (fields?.id !== undefined) unit.id = fields.id;
  if (fields?.type !== undefined) unit.type = fields.type;
  return { data, unit };
}

/** The `id` and `type` of a JSON object payload (text, or binary that is valid UTF-8), if any. */
function findFields(msg: MessageState, data: Buffer, maxIdBytes: number): { id?: string | number; type?: string } | undefined {
  if (msg.payloadSize === 0 || msg.payloadSize > maxIdBytes) return undefined;
  const payload = unmaskFrames(data, msg.headers);
  const first = payload.findIndex((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (first < 0 || payload[first] !== 0x7b || !isUtf8(payload)) return undefined;
  try {
    const parsed: unknown = JSON.parse(payload.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const { id, type } = parsed as { id?: unknown; type?: unknown };
    return {
      id: typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : undefined,
      type: typeof type === 'string' && type.length <= 100 ? type : undefined,
    };
  } catch {
    return undefined;
  }
}
