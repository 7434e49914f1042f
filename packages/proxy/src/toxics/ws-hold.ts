/**
 * ws_hold: holds every WebSocket data message until the toxic is removed (a stalled peer that
 * still answers pings). Control frames pass at once; on removal the held messages go out in their
 * original order. Bytes that are not a whole unit (unaligned or raw: e.g. a message too large to
 * align) first release everything held, so a message never lands inside a frame.
 */
import type { Action, ToxicDefinition } from './toxic.js';
import { dropHeldAndClose, messageEvent, releaseHeld, type HeldMessage } from './ws-message-event.js';

export const wsHoldToxic: ToxicDefinition<Record<string, never>> = {
  type: 'ws_hold',
  goName: 'WsHoldToxic',
  attributes: {},
  messageLevel: true,
  description: 'Holds every WebSocket data message until the toxic is removed; control frames pass.',
  create(_attrs, ctx) {
    let held: HeldMessage[] = [];
    const releaseAll = (nowMs: number): Action[] => {
      const actions = releaseHeld(held, 'released', ctx.name, nowMs);
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
      update: () => undefined, // no attributes; keep what is held
      end(nowMs): Action[] {
        const actions = dropHeldAndClose(held, ctx.name, nowMs);
        held = [];
        return actions;
      },
    };
  },
};
