/**
 * ws_hold: holds every WebSocket data message until the toxic is removed (a stalled peer that
 * still answers pings). Control frames pass at once; on removal the held messages go out in their
 * original order. Bytes that are not a whole unit (unaligned or raw: e.g. a message too large to
 * align) first release everything held, so a message never lands inside a frame.
 */
import type { WsUnit } from '../ws/units.js';
import type { Action, Chunk, MessageEventDraft, ToxicDefinition } from './toxic.js';

type MessageUnit = Extract<WsUnit, { kind: 'message' }>;

interface Held {
  chunk: Chunk;
  unit: MessageUnit;
  heldAtMs: number;
}

function messageEvent(action: MessageEventDraft['action'], toxic: string, unit: MessageUnit): MessageEventDraft {
  const event: MessageEventDraft = { action, toxic, size: unit.payloadSize, opcode: unit.opcode };
  if (unit.id !== undefined) event.id = unit.id;
  return event;
}

export const wsHoldToxic: ToxicDefinition<Record<string, never>> = {
  type: 'ws_hold',
  goName: 'WsHoldToxic',
  attributes: {},
  messageLevel: true,
  description: 'Holds every WebSocket data message until the toxic is removed; control frames pass.',
  create(_attrs, ctx) {
    let held: Held[] = [];
    const releaseAll = (nowMs: number): Action[] => {
      const actions: Action[] = [];
      for (const h of held) {
        actions.push({ type: 'emit', chunk: h.chunk, atMs: nowMs });
        actions.push({ type: 'event', event: { ...messageEvent('released', ctx.name, h.unit), heldMs: nowMs - h.heldAtMs } });
      }
      held = [];
      return actions;
    };
    return {
      data(chunk, nowMs): Action[] {
        const unit = chunk.unit;
        if (unit === undefined || unit.kind === 'raw') return [...releaseAll(nowMs), { type: 'emit', chunk, atMs: nowMs }];
        if (unit.kind !== 'message') return [{ type: 'emit', chunk, atMs: nowMs }];
        held.push({ chunk, unit, heldAtMs: nowMs });
        return [{ type: 'event', event: messageEvent('held', ctx.name, unit) }];
      },
      remove: releaseAll,
      end(nowMs): Action[] {
        const actions: Action[] = held.map((h) => ({
          type: 'event' as const,
          event: { ...messageEvent('dropped', ctx.name, h.unit), reason: 'connection closed' },
        }));
        held = [];
        return [...actions, { type: 'close', atMs: nowMs }];
      },
    };
  },
};
