/**
 * ws_drop: drops whole WebSocket data messages with a probability (a lossy link for messages,
 * where Toxiproxy's byte toxics could only corrupt the stream). Everything that is not a data
 * message (handshake, control frames, raw or unaligned bytes) passes at once.
 */
import type { Action, ToxicDefinition } from './toxic.js';
import { messageEvent, messageRng } from './ws-message-event.js';

export const wsDropToxic: ToxicDefinition<{ probability: number }> = {
  type: 'ws_drop',
  goName: 'WsDropToxic',
  attributes: { probability: 'float64' },
  messageLevel: true,
  description: 'Drops whole WebSocket data messages with the given probability; control frames pass.',
  create(attrs, ctx) {
    return {
      data(chunk, nowMs): Action[] {
        const unit = chunk.unit;
        if (unit?.kind !== 'message') return [{ type: 'emit', chunk, atMs: nowMs }];
        if (messageRng(ctx, unit).next() < attrs.probability) {
          return [{ type: 'event', event: messageEvent('dropped', ctx.name, unit) }];
        }
        return [{ type: 'emit', chunk, atMs: nowMs }];
      },
      end: (nowMs) => [{ type: 'close', atMs: nowMs }],
    };
  },
};
