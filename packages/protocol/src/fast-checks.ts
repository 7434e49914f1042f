/**
 * Hand-written checks for the messages on the hot paths (`FastCheck`s): every envelope a node
 * receives, and every send and receive a node reports to the coordinator. A burst of 20,000
 * messages spends more time in zod than anywhere else; these do the same job in a fraction of it.
 *
 * Each is equal to or stricter than its schema, never looser: it accepts only a JSON value that the
 * schema accepts and would return unchanged, so it may skip zod. What it does not recognise (a
 * missing `body` that zod would default, an unknown key that zod would strip, a string whose
 * length only a count of code points can settle, a rare kind of trace event) it leaves to the
 * schema, which stays the source of truth: it decides and words the error. `fast-checks.test.ts`
 * checks "never looser" by property, against the schemas themselves.
 *
 * They expect JSON data (what `JSON.parse` returns): plain objects, no symbols, no `undefined`.
 */
import type { ClockStamp } from './clocks.js';
import type { BatchedMessage, TraceMessage } from './control.js';
import type { Envelope } from './envelope.js';
import { NODE_ID_PATTERN } from './ids.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Own enumerable keys (a JSON object has no others): how many, to see that none is unknown. */
function keyCount(o: Json): number {
  let n = 0;
  for (const key in o) if (Object.hasOwn(o, key)) n++;
  return n;
}

/** `z.string().min(lo).max(hi)` for lo ≤ 1: UTF-16 units bound code points from above and below. */
function isString(v: unknown, lo: 0 | 1, hi = Number.POSITIVE_INFINITY): v is string {
  return typeof v === 'string' && v.length >= lo && v.length <= hi;
}

/** `z.number()`: zod 4 rejects NaN and ±Infinity. */
function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** `z.number().int().nonnegative()`: zod's int is a safe integer. */
function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isNodeId(v: unknown): v is string {
  return typeof v === 'string' && NODE_ID_PATTERN.test(v);
}

/** `z.record(z.string(), value)`: a key `__proto__` is left to zod, which treats it its own way. */
function isRecordOf(v: unknown, value: (x: unknown) => boolean): v is Json {
  if (!isObject(v)) return false;
  for (const key in v) {
    if (!Object.hasOwn(v, key)) continue;
    if (key === '__proto__' || !value(v[key])) return false;
  }
  return true;
}

const isVectorClock = (v: unknown): boolean => isRecordOf(v, isCount);

function isHlc(v: unknown): boolean {
  return isObject(v) && isNumber(v.wallMs) && isCount(v.logical) && keyCount(v) === 2;
}

/** `envelopeSchema`, with `body` present (zod would default a missing one). */
export function isEnvelope(v: unknown): v is Envelope {
  if (!isObject(v)) return false;
  const hasReplyTo = Object.hasOwn(v, 'replyTo');
  return (
    isString(v.id, 1, 200) &&
    isNodeId(v.from) &&
    isNodeId(v.to) &&
    isString(v.type, 1, 100) &&
    isRecordOf(v.body, () => true) &&
    (!hasReplyTo || isString(v.replyTo, 1)) &&
    isCount(v.lamport) &&
    isVectorClock(v.vc) &&
    isHlc(v.hlc) &&
    isNumber(v.sentWall) &&
    keyCount(v) === (hasReplyTo ? 10 : 9)
  );
}

/** `clockStampSchema`. */
export function isClockStamp(v: unknown): v is ClockStamp {
  return isObject(v) && isNumber(v.trueMs) && isNumber(v.wallMs) && isCount(v.lamport) && isVectorClock(v.vc) && isHlc(v.hlc) && keyCount(v) === 5;
}

/** The `send` and `receive` variants of `nodeTraceEventSchema` (the others go to zod). */
function isMessageEvent(v: unknown): boolean {
  if (!isObject(v)) return false;
  const hasReplyTo = Object.hasOwn(v, 'replyTo');
  if ((hasReplyTo && !isString(v.replyTo, 0)) || !isString(v.msg, 0) || !isString(v.msgType, 0) || !isCount(v.size)) return false;
  const extra = hasReplyTo ? 1 : 0;
  if (v.kind === 'send') return isNodeId(v.to) && keyCount(v) === 5 + extra;
  if (v.kind === 'receive') return isNodeId(v.from) && isNumber(v.sentWall) && keyCount(v) === 6 + extra;
  return false;
}

/** `traceMessageSchema`, for traces of sends and receives. */
export function isTraceMessage(v: unknown): v is TraceMessage {
  return isObject(v) && v.kind === 'trace' && isClockStamp(v.clocks) && isMessageEvent(v.event) && keyCount(v) === 3;
}

/** `batchedMessageSchema`, for traces of sends and receives (replies are few: zod checks them). */
export const isBatchedMessage: (v: unknown) => v is BatchedMessage = isTraceMessage;
