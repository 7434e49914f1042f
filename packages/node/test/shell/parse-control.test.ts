import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseControlMessage } from '../../src/index.js';

describe('parseControlMessage', () => {
  it('accepts a command and fills its defaults', () => {
    const parsed = parseControlMessage(JSON.stringify({ kind: 'command', id: 3, command: { type: 'rpc', to: 'n2', msgType: 'ping', timeoutMs: 100 } }));
    expect(parsed).toEqual({ ok: true, message: { kind: 'command', id: 3, command: { type: 'rpc', to: 'n2', msgType: 'ping', body: {}, timeoutMs: 100, retries: 0 } } });
  });

  it('gives one line on anything else, and the command id when there is one to answer', () => {
    expect(parseControlMessage('{')).toMatchObject({ ok: false, error: expect.stringMatching(/^control: not JSON/) as unknown });
    expect(parseControlMessage('{')).not.toHaveProperty('id');
    expect(parseControlMessage(JSON.stringify({ kind: 'command', id: 4, command: { type: 'rpc', to: 'n2' } }))).toMatchObject({ ok: false, id: 4 });
    expect(parseControlMessage(JSON.stringify({ kind: 'command', id: -1, command: {} }))).not.toHaveProperty('id');
    expect(parseControlMessage(JSON.stringify({ kind: 'trace', id: 5 }))).not.toHaveProperty('id');
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const parsed = parseControlMessage(text);
        if (!parsed.ok) expect(parsed.error.split('\n')).toHaveLength(1);
      }),
    );
  });
});
