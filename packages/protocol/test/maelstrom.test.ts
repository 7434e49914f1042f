import { describe, expect, it } from 'vitest';
import {
  MAELSTROM_ERROR_CODE,
  MAELSTROM_ERRORS,
  MAELSTROM_RPCS,
  MAELSTROM_SERVICE_RPCS,
  MAELSTROM_WORKLOAD_RPCS,
  maelstromError,
  maelstromErrorBodySchema,
  maelstromHistoryEventSchema,
  maelstromInitSchema,
  isNemesisEvent,
  parseMaelstromBody,
  parseMaelstromMessage,
} from '../src/index.js';

describe("Maelstrom's protocol", () => {
  it('parses a message, keeping the fields of its body and of the envelope', () => {
    const line = '{"id":3,"src":"c1","dest":"n1","body":{"type":"echo","msg_id":1,"echo":"Please echo 35"}}';
    expect(parseMaelstromMessage(line)).toEqual({ ok: true, value: { id: 3, src: 'c1', dest: 'n1', body: { type: 'echo', msg_id: 1, echo: 'Please echo 35' } } });
  });

  it.each([
    ['not json', 'message: not JSON'],
    ['[1]', 'message: expected object, got an array'],
    ['{"src":"c1","body":{"type":"echo"}}', 'message.dest: expected string, got nothing'],
    ['{"src":"c1","dest":"n1","body":{"msg_id":1}}', 'message.body.type: expected string, got nothing'],
    ['{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":1.5}}', 'message.body.msg_id: expected int, got 1.5'],
    ['{"src":"","dest":"n1","body":{"type":"x"}}', 'message.src: Too small: expected string to have >=1 characters, got ""'],
  ])('refuses %s with one line naming the field', (line, error) => {
    const parsed = parseMaelstromMessage(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.startsWith(error)).toBe(true);
      expect(parsed.error).not.toContain('\n');
    }
  });

  it('checks init, init_ok and error bodies', () => {
    expect(parseMaelstromBody(maelstromInitSchema, { type: 'init', msg_id: 1, node_id: 'n3', node_ids: ['n1', 'n2', 'n3'] }, 'init').ok).toBe(true);
    expect(parseMaelstromBody(maelstromInitSchema, { type: 'init', msg_id: 1, node_id: 'n3' }, 'init')).toEqual({ ok: false, error: 'init.node_ids: expected array, got nothing' });
    expect(parseMaelstromBody(maelstromErrorBodySchema, { type: 'error', in_reply_to: 5, code: 11, text: 'no quorum', extra: 1 }, 'error')).toMatchObject({ ok: true, value: { extra: 1 } });
    expect(parseMaelstromBody(maelstromErrorBodySchema, { type: 'error', in_reply_to: 5 }, 'error')).toEqual({ ok: false, error: 'error.code: expected number, got nothing' });
  });

  it("declares each operation once: a request needs its msg_id, a reply its in_reply_to, and each its own fields", () => {
    const { kvCas, txn, counterRead, echo } = MAELSTROM_RPCS;
    expect(parseMaelstromBody(kvCas.request, { type: 'cas', msg_id: 1, key: 1, from: 2 }, 'cas')).toEqual({ ok: false, error: 'cas.to: expected a value (any JSON), got nothing' });
    expect(parseMaelstromBody(kvCas.request, { type: 'cas', msg_id: 1, key: 1, from: null, to: 0 }, 'cas').ok).toBe(true);
    expect(parseMaelstromBody(echo.request, { type: 'echo', echo: 1 }, 'echo')).toEqual({ ok: false, error: 'echo.msg_id: expected number, got nothing' });
    expect(parseMaelstromBody(echo.response, { type: 'echo', in_reply_to: 1, echo: 1 }, 'echo_ok')).toEqual({ ok: false, error: 'echo_ok.type: expected "echo_ok", got "echo"' });
    expect(parseMaelstromBody(counterRead.response, { type: 'read_ok', in_reply_to: 1, value: 1.5 }, 'read_ok')).toEqual({ ok: false, error: 'read_ok.value: expected int, got 1.5' });
    expect(parseMaelstromBody(txn.response, { type: 'txn_ok', in_reply_to: 1, txn: [['r', 1, 5]] }, 'txn_ok')).toEqual({ ok: false, error: 'txn_ok.txn.0: expected ["r", key, list or null] or ["append", key, element], got an array' });
    expect(parseMaelstromBody(txn.response, { type: 'txn_ok', in_reply_to: 1, txn: [['r', 1, null], ['append', 1, 3], ['r', 2, [3]]] }, 'txn_ok').ok).toBe(true);
    for (const rpcs of [...Object.values(MAELSTROM_WORKLOAD_RPCS), ...Object.values(MAELSTROM_SERVICE_RPCS)]) for (const name of rpcs) expect(MAELSTROM_RPCS[name].okType).toBe(`${MAELSTROM_RPCS[name].type}_ok`);
  });

  it('has its error codes as data: each once, definite or not; unknown and custom codes indefinite', () => {
    expect(new Set(MAELSTROM_ERRORS.map((e) => e.code)).size).toBe(MAELSTROM_ERRORS.length);
    expect(MAELSTROM_ERROR_CODE['key-does-not-exist']).toBe(20);
    expect(maelstromError(22)).toMatchObject({ name: 'precondition-failed', definite: true });
    expect(maelstromError(0).definite).toBe(false);
    expect(maelstromError(13).definite).toBe(false);
    expect(maelstromError(1000)).toMatchObject({ name: 'error-1000', definite: false });
  });

  it('checks a history event of a workload', () => {
    expect(maelstromHistoryEventSchema.safeParse({ process: 0, type: 'ok', f: 'txn', value: [['r', 1, [1]]], time: 3, node: 'n1', error: { name: 'timeout' } }).success).toBe(true);
    expect(maelstromHistoryEventSchema.safeParse({ process: 0, type: 'ok', f: 'get', time: 3 }).success).toBe(false);
  });

  it("holds the nemesis's operations as Jepsen does (info events of process nemesis), told apart from a client's", () => {
    const kill = { process: 'nemesis', type: 'info', f: 'kill', value: 'n2', time: 1500 } as const;
    expect(maelstromHistoryEventSchema.safeParse(kill).success).toBe(true);
    expect(maelstromHistoryEventSchema.safeParse({ process: 'nemesis', type: 'info', f: 'meteor', time: 1 }).success).toBe(false);
    expect(isNemesisEvent(kill)).toBe(true);
    expect(isNemesisEvent({ process: 0, type: 'ok', f: 'suspects', value: ['n2'], time: 3 })).toBe(false);
    expect(isNemesisEvent({ process: 'nemesis', type: 'info', f: 'read', time: 3 })).toBe(false);
  });
});
