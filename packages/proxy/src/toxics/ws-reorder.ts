/**
 * ws_reorder: holds back a WebSocket data message with a probability until the next data message
 * has overtaken it (it is released right after that one), or until `max_delay_ms` has passed since
 * it was held, whichever comes first. Several held messages keep their order among themselves.
 * Control frames pass at once. Bytes that are not a whole unit (unaligned or raw: e.g. a message
 * too large to align) first release everything held, so a message never lands inside a frame.
 */
import type { Action, ToxicDefinition } from './toxic.js';
import { dropHeldAndClose, messageRng, releaseHeld, type HeldMessage } from './ws-message-event.js';

export const wsReorderToxic: ToxicDefinition<{ probability: number; max_delay_ms: number }> = {
  type: 'ws_reorder',
  goName: 'WsReorderToxic',
  attributes: { probability: 'float64', max_delay_ms: 'int64' },
  messageLevel: true,
  description:
    'Holds a WebSocket data message back (with the given probability) until the next one overtakes it, ' +
    'or at most max_delay_ms.',
  create(attrs, ctx) {
    let maxDelayMs = Math.max(0, attrs.max_delay_ms);
    let probability = attrs.probability;
    let held: HeldMessage[] = [];

    const release = (count: number, nowMs: number): Action[] => {
      const actions = releaseHeld(held.slice(0, count), 'delayed', ctx.name, nowMs);
      held = held.slice(count);
      return actions;
    };

    return {
      data(chunk, nowMs): Action[] {
        const unit = chunk.unit;
        if (unit === undefined || unit.kind === 'raw') return [...release(held.length, nowMs), { type: 'emit', chunk, atMs: nowMs }];
        if (unit.kind !== 'message') return [{ type: 'emit', chunk, atMs: nowMs }];
        if (messageRng(ctx, unit).next() < probability) {
          held.push({ chunk, unit, heldAtMs: nowMs });
          return [];
        }
        return [{ type: 'emit', chunk, atMs: nowMs }, ...release(held.length, nowMs)];
      },
      wakeAtMs: () => (held.length > 0 ? held[0].heldAtMs + maxDelayMs : undefined),
      tick(nowMs): Action[] {
        let due = 0;
        while (due < held.length && held[due].heldAtMs + maxDelayMs <= nowMs) due++;
        return release(due, nowMs);
      },
      remove: (nowMs) => release(held.length, nowMs),
      update(next) {
        maxDelayMs = Math.max(0, next.max_delay_ms);
        probability = next.probability;
      },
      end(nowMs): Action[] {
        const actions = dropHeldAndClose(held, ctx.name, nowMs);
        held = [];
        return actions;
      },
    };
  },
};
