/**
 * ws_duplicate: sends whole WebSocket data messages twice, back to back, with a probability
 * (at-least-once delivery made visible). Everything that is not a data message passes once, at once.
 */
import type { Action, ToxicDefinition } from './toxic.js';
import { messageEvent, messageRng } from './ws-message-event.js';

export const wsDuplicateToxic: ToxicDefinition<{ probability: number }> = {
  type: 'ws_duplicate',
  goName: 'WsDuplicateToxic',
  attributes: { probability: 'float64' },
  messageLevel: true,
  description: 'Sends whole WebSocket data messages twice in a row with the given probability.',
  create(attrs, ctx) {
    return {
      data(chunk, nowMs): Action[] {
        const unit = chunk.unit;
        const emit: Action = { type: 'emit', chunk, atMs: nowMs };
        if (unit?.kind !== 'message' || !(messageRng(ctx, unit).next() < attrs.probability)) return [emit];
        return [
          emit,
          { type: 'emit', chunk: { ...chunk }, atMs: nowMs },
          { type: 'event', event: messageEvent('duplicated', ctx.name, unit) },
        ];
      },
      end: (nowMs) => [{ type: 'close', atMs: nowMs }],
    };
  },
};
