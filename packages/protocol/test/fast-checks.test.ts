import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  batchedMessageSchema,
  clockStampSchema,
  envelopeSchema,
  isBatchedMessage,
  isClockStamp,
  isEnvelope,
  isTraceMessage,
  parseJsonWith,
  traceMessageSchema,
  type FastCheck,
} from '../src/index.js';

const clocks = { trueMs: 1_764_000_000_000.5, wallMs: 1_764_000_000_120, lamport: 7, vc: { n1: 3, n2: 4 }, hlc: { wallMs: 1_764_000_000_120, logical: 2 } };
const envelope = { id: 'n1-1', from: 'n1', to: 'n2', type: 'ping', body: { a: [1, { b: null }] }, replyTo: 'n2-9', lamport: 3, vc: { n1: 3, n2: 1 }, hlc: { wallMs: 1_764_000_000_000, logical: 0 }, sentWall: 1_764_000_000_120 };
const send = { kind: 'trace', clocks, event: { kind: 'send', to: 'n2', msg: 'n1-1', msgType: 'burst', size: 200 } };
const receive = { kind: 'trace', clocks, event: { kind: 'receive', from: 'n1', replyTo: 'n2-3', sentWall: 1_764_000_000_100, msg: 'n1-1', msgType: 'burst', size: 200 } };

/** Values that sit on the edges of the schemas' rules. */
const edgy = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  fc.constantFrom(-1, 0, 1.5, 2 ** 53, 2 ** 53 - 1, '', 'x'.repeat(100), 'x'.repeat(101), 'x'.repeat(201), '😀'.repeat(100), '😀'.repeat(101), 'n0', 'n1', 'n9999', 'n10000', 'send', 'receive', 'trace', 'reply', null, [], {}),
);

type Mutation = [target: number, key: number, action: 'delete' | 'set' | 'add', value: unknown, newKey: string];
const mutation: fc.Arbitrary<Mutation> = fc.tuple(
  fc.nat(),
  fc.nat(),
  fc.constantFrom('delete' as const, 'set' as const, 'add' as const),
  edgy,
  fc.constantFrom('__proto__', 'extra', 'n3', '', 'replyTo', 'kind'),
);

/** Every plain object inside `value`, the value itself first. */
function objectsIn(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (value !== null && typeof value === 'object') {
    if (!Array.isArray(value)) out.push(value as Record<string, unknown>);
    for (const v of Object.values(value)) objectsIn(v, out);
  }
  return out;
}

/** A valid message with a few random changes anywhere in it, as JSON data (what a frame parses to). */
function mutated(base: unknown, mutations: Mutation[]): unknown {
  const value = structuredClone(base);
  for (const [target, key, action, v, newKey] of mutations) {
    const objects = objectsIn(value);
    const o = objects[target % objects.length];
    const keys = Object.keys(o);
    // defineProperty: even `__proto__` becomes an own key, as JSON.parse makes it
    const define = (k: string): void => void Object.defineProperty(o, k, { value: structuredClone(v), enumerable: true, writable: true, configurable: true });
    if (action === 'add' || keys.length === 0) define(newKey);
    else if (action === 'delete') delete o[keys[key % keys.length]];
    else define(keys[key % keys.length]);
  }
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** The fast check is never looser than the schema: what it accepts, zod accepts and returns as it is. */
function neverLooser<S extends z.ZodType>(schema: S, fast: FastCheck<z.infer<S>>, base: unknown): void {
  expect(fast(base)).toBe(true);
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
      const input = mutated(base, mutations);
      if (!fast(input)) return;
      const parsed = schema.safeParse(input);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toStrictEqual(input);
    }),
    { numRuns: 3_000 },
  );
  fc.assert(fc.property(fc.jsonValue(), (input) => !fast(input) || schema.safeParse(input).success));
}

describe('fast checks', () => {
  it('envelope: never looser than envelopeSchema (property)', () => {
    neverLooser(envelopeSchema, isEnvelope, envelope);
    const { replyTo: _replyTo, ...request } = envelope;
    neverLooser(envelopeSchema, isEnvelope, request);
  });

  it('clock stamp and trace messages: never looser than their schemas (property)', () => {
    neverLooser(clockStampSchema, isClockStamp, clocks);
    for (const base of [send, receive]) {
      neverLooser(traceMessageSchema, isTraceMessage, base);
      neverLooser(batchedMessageSchema, isBatchedMessage, base);
    }
  });

  it('leaves to zod what zod would change or must word: a missing body, an unknown key, a bad value', () => {
    const { body: _body, ...noBody } = envelope;
    expect(isEnvelope(noBody)).toBe(false);
    expect(parseJsonWith(envelopeSchema, JSON.stringify(noBody), 'envelope', isEnvelope)).toEqual({ ok: true, value: { ...noBody, body: {} } });
    expect(isEnvelope({ ...envelope, extra: 1 })).toBe(false);
    expect(parseJsonWith(envelopeSchema, JSON.stringify({ ...envelope, extra: 1 }), 'envelope', isEnvelope)).toEqual({ ok: true, value: envelope });
    expect(parseJsonWith(envelopeSchema, JSON.stringify({ ...envelope, from: 'node1' }), 'envelope', isEnvelope)).toEqual({
      ok: false,
      error: 'envelope.from: expected a node id like n1, got "node1"',
    });
    const huge = JSON.parse(JSON.stringify(envelope).replace('"sentWall":1764000000120', '"sentWall":1e400')) as unknown;
    expect(huge).toMatchObject({ sentWall: Number.POSITIVE_INFINITY });
    expect(isEnvelope(huge)).toBe(false);
    expect(envelopeSchema.safeParse(huge).success).toBe(false);
    expect(isTraceMessage({ kind: 'trace', clocks, event: { kind: 'local', label: 'x' } })).toBe(false);
    expect(traceMessageSchema.safeParse({ kind: 'trace', clocks, event: { kind: 'local', label: 'x' } }).success).toBe(true);
  });
});
