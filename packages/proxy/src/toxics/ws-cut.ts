/**
 * ws_cut: a cut link that says what it discards. Like `timeout` with 0, every byte vanishes and
 * the connection stays open, silent, until the other side gives up (removing it closes the
 * connection, as Toxiproxy's timeout does); and each whole WebSocket data message it swallows is
 * reported as `dropped` with reason `cut`, so that every message sent into a cut has a line.
 */
import type { Action, ToxicDefinition } from './toxic.js';
import { messageEvent } from './ws-message-event.js';

export const wsCutToxic: ToxicDefinition<Record<string, never>> = {
  type: 'ws_cut',
  goName: 'WsCutToxic',
  attributes: {},
  messageLevel: true,
  closesOnRemove: true,
  description: 'Discards every byte, as timeout 0 does, and reports each whole WebSocket data message as dropped (reason cut).',
  create(_attrs, ctx) {
    return {
      data(chunk): Action[] {
        const unit = chunk.unit;
        if (unit?.kind !== 'message') return [];
        return [{ type: 'event', event: { ...messageEvent('dropped', ctx.name, unit), reason: 'cut' } }];
      },
    };
  },
};
