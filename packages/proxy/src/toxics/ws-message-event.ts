/**
 * What the message toxics (ws_drop, ws_duplicate, ws_reorder, ws_hold) share: the events they
 * report about a whole data message, and how the holding ones release or drop what they hold.
 */
import type { WsUnit } from '../ws/units.js';
import type { Rng } from '@faultline/random';
import type { Action, Chunk, MessageEventDraft, RunnerContext } from './toxic.js';

/** The unit of a chunk that is one whole WebSocket data message. */
export type MessageUnit = Extract<WsUnit, { kind: 'message' }>;

/** A data message a toxic holds back, and since when. */
export interface HeldMessage {
  chunk: Chunk;
  unit: MessageUnit;
  heldAtMs: number;
}

/** The draws for a message: its type's own stream when the link keeps one, else the toxic's. */
export function messageRng(ctx: RunnerContext, unit: MessageUnit): Rng {
  return ctx.rngFor ? ctx.rngFor(`type:${unit.type ?? ''}`) : ctx.rng;
}

/** The event about one data message (its id only when the framer found one). */
export function messageEvent(action: MessageEventDraft['action'], toxic: string, unit: MessageUnit): MessageEventDraft {
  const event: MessageEventDraft = { action, toxic, size: unit.payloadSize, opcode: unit.opcode };
  if (unit.id !== undefined) event.id = unit.id;
  if (unit.type !== undefined) event.msgType = unit.type;
  return event;
}

/** Sends the held messages on now, in order, each followed by its `action` event with the time it was held. */
export function releaseHeld(held: readonly HeldMessage[], action: MessageEventDraft['action'], toxic: string, nowMs: number): Action[] {
  const actions: Action[] = [];
  for (const h of held) {
    actions.push({ type: 'emit', chunk: h.chunk, atMs: nowMs });
    actions.push({ type: 'event', event: { ...messageEvent(action, toxic, h.unit), heldMs: nowMs - h.heldAtMs } });
  }
  return actions;
}

/** The connection closed while messages were held: a `dropped` event for each, then the close. */
export function dropHeldAndClose(held: readonly HeldMessage[], toxic: string, nowMs: number): Action[] {
  const actions: Action[] = held.map((h) => ({
    type: 'event' as const,
    event: { ...messageEvent('dropped', toxic, h.unit), reason: 'connection closed' },
  }));
  return [...actions, { type: 'close', atMs: nowMs }];
}
