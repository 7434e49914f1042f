import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeSchema, linkName, parseJsonWith, parseWith, proxyEventSchema } from '../src/index.js';

const valid = {
  id: 'n1-1',
  from: 'n1',
  to: 'n2',
  type: 'ping',
  body: {},
  lamport: 3,
  vc: { n1: 3, n2: 1 },
  hlc: { wallMs: 1_764_000_000_000, logical: 0 },
  sentWall: 1_764_000_000_120,
};

describe('envelope', () => {
  it('accepts a well-formed envelope and defaults the body', () => {
    const { body: _body, ...noBody } = valid;
    const parsed = parseWith(envelopeSchema, noBody, 'envelope');
    expect(parsed).toEqual({ ok: true, value: { ...valid, body: {} } });
  });

  it('names what was wrong in one line', () => {
    expect(parseWith(envelopeSchema, { ...valid, from: 'node1' }, 'envelope')).toEqual({
      ok: false,
      error: 'envelope.from: expected a node id like n1, got "node1"',
    });
    const bad = parseWith(envelopeSchema, { ...valid, vc: { n1: -1 } }, 'envelope');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error).toMatch(/^envelope\.vc\.n1: .*, got -1$/);
      expect(bad.error).not.toContain('\n');
    }
    const notJson = parseJsonWith(envelopeSchema, '{"id":', 'envelope');
    expect(notJson.ok ? '' : notJson.error).toMatch(/^envelope: not JSON/);
    const isNull = parseWith(envelopeSchema, null, 'envelope');
    expect(isNull.ok ? '' : isNull.error).toMatch(/^envelope: .*got null$/);
  });

  it('never throws on any input, and only accepts what the schema describes (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const parsed = parseWith(envelopeSchema, input, 'envelope');
        if (parsed.ok) expect(envelopeSchema.safeParse(parsed.value).success).toBe(true);
        else expect(parsed.error.split('\n')).toHaveLength(1);
      }),
    );
    fc.assert(fc.property(fc.string(), (text) => void parseJsonWith(envelopeSchema, text, 'envelope')));
  });

  it('names links after their direction', () => {
    expect(linkName('n1', 'n2')).toBe('n1-n2');
  });
});

describe('proxy events', () => {
  it('parse what the proxy publishes', () => {
    const event = { seq: 1, action: 'dropped', proxy: 'n1-n2', toxic: 'drop', direction: 'upstream', connection: 1, timeMs: 1, monoMs: 2, size: 10, opcode: 1, id: 'n1-4' };
    expect(proxyEventSchema.parse(event)).toEqual(event);
    expect(proxyEventSchema.safeParse({ ...event, action: 'lost' }).success).toBe(false);
  });
});
