import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageId, messageIdSchema, parseMessageId, traceLineSchema } from '../src/index.js';

describe('message ids', () => {
  it('are <node>-<n> in the first incarnation and <node>.<k>-<n> in the k-th', () => {
    expect(messageId('n2', 1, 1)).toBe('n2-1');
    expect(messageId('n2', 2, 1)).toBe('n2.2-1');
    expect(messageId('n12', 3, 40)).toBe('n12.3-40');
  });

  it('parse back to their parts, and never collide across incarnations (property)', () => {
    const parts = fc.record({ node: fc.integer({ min: 1, max: 9999 }).map((n) => `n${n}`), incarnation: fc.integer({ min: 1, max: 999_999 }), counter: fc.integer({ min: 1, max: 2 ** 40 }) });
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        const id = messageId(a.node, a.incarnation, a.counter);
        expect(parseMessageId(id)).toEqual(a);
        expect(messageIdSchema.safeParse(id).success).toBe(true);
        const same = a.node === b.node && a.incarnation === b.incarnation && a.counter === b.counter;
        expect(id === messageId(b.node, b.incarnation, b.counter)).toBe(same);
      }),
    );
  });

  it('refuse what is not one, such as an explicit first incarnation', () => {
    for (const bad of ['n2.1-1', 'n2-0', 'x-1', 'n2.2', 'n2.0-1', '']) expect(parseMessageId(bad), bad).toBeUndefined();
    expect(messageIdSchema.safeParse('n2.1-1').success).toBe(false);
  });

  it('node_start carries the incarnation (absent in older traces)', () => {
    const base = { seq: 2, trueMs: 1, node: 'n2', kind: 'node_start', pid: 9, port: 1 };
    expect(traceLineSchema.parse({ ...base, incarnation: 2 })).toMatchObject({ incarnation: 2 });
    expect(traceLineSchema.safeParse(base).success).toBe(true);
    expect(traceLineSchema.safeParse({ ...base, incarnation: 0 }).success).toBe(false);
  });
});
