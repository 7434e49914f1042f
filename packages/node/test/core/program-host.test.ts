/**
 * A hosted program (Maelstrom's protocol) through the pure core, its stdout fed by hand: where each
 * line goes (a peer, a waiting client, nowhere), what comes to its stdin, and what a bad line does.
 */
import { commandSchema, type Envelope, type NodeTraceEvent } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/core/effect.js';
import { Harness } from '../support/core-harness.js';

const written = (h: Harness): unknown[] => h.effects.flatMap((e: Effect) => (e.kind === 'program_write' ? [JSON.parse(e.line) as unknown] : []));
const line = (h: Harness, message: unknown): Effect[] => h.step({ kind: 'program_line', line: typeof message === 'string' ? message : JSON.stringify(message) });
const malformed = (h: Harness): string[] => h.events().flatMap((e: NodeTraceEvent) => (e.kind === 'malformed' && e.source === 'program' ? [e.error] : []));

function hosting(): Harness {
  const h = new Harness('n1', { program: true, labNodes: ['n1', 'n2', 'n3'] });
  h.step({ kind: 'start' });
  return h;
}

describe('a hosted program', () => {
  it('gets init first, from c0, with every node of the lab in order', () => {
    const h = hosting();
    expect(written(h)).toEqual([{ src: 'c0', dest: 'n1', body: { type: 'init', msg_id: 1, node_id: 'n1', node_ids: ['n1', 'n2', 'n3'] } }]);
    line(h, { src: 'n1', dest: 'c0', body: { type: 'init_ok', in_reply_to: 1 } });
    expect(malformed(h)).toEqual([]);
  });

  it("sends a message to another node as an envelope of the body's type, on the real link (failed_send when it is down)", () => {
    const h = hosting();
    h.up('n2');
    line(h, { src: 'n1', dest: 'n2', body: { type: 'gossip', msg_id: 7, messages: [1, 2] } });
    expect(h.sent()).toMatchObject([{ to: 'n2', type: 'gossip', body: { maelstrom: { type: 'gossip', msg_id: 7, messages: [1, 2] } } }]);
    line(h, { src: 'n1', dest: 'n3', body: { type: 'gossip', messages: [3] } });
    expect(h.events().filter((e) => e.kind === 'failed_send')).toMatchObject([{ to: 'n3', msgType: 'gossip', reason: 'link to n3 is down' }]);
  });

  it("writes a peer's Maelstrom message to its stdin as {src, dest, body}", () => {
    const h = hosting();
    const envelope: Envelope = h.envelope('n2', 'gossip', { body: { maelstrom: { type: 'gossip', msg_id: 3, messages: [9] } } });
    h.deliver(envelope);
    expect(written(h).at(-1)).toEqual({ src: 'n2', dest: 'n1', body: { type: 'gossip', msg_id: 3, messages: [9] } });
  });

  it("answers a client's request with the program's reply; a request it never answers times out; a late answer is traced as late", () => {
    const h = hosting();
    const ask = h.command(commandSchema.parse({ type: 'client', message: { src: 'c1', dest: 'n1', body: { type: 'echo', msg_id: 5, echo: 'hi' } }, timeoutMs: 1000 }));
    expect(written(h).at(-1)).toEqual({ src: 'c1', dest: 'n1', body: { type: 'echo', msg_id: 5, echo: 'hi' } });
    line(h, { src: 'n1', dest: 'c1', body: { type: 'echo_ok', echo: 'hi', in_reply_to: 5 } });
    expect(h.reply(ask)).toMatchObject({ ok: true, result: { outcome: 'ok', reply: { body: { type: 'echo_ok', echo: 'hi', in_reply_to: 5 } } } });

    const slow = h.command(commandSchema.parse({ type: 'client', message: { src: 'c2', dest: 'n1', body: { type: 'echo', msg_id: 6, echo: 'x' } }, timeoutMs: 1000 }));
    h.advance(999);
    expect(h.reply(slow)).toBeUndefined();
    h.advance(1);
    expect(h.reply(slow)).toMatchObject({ ok: true, result: { outcome: 'timeout' } });
    line(h, { src: 'n1', dest: 'c2', body: { type: 'echo_ok', in_reply_to: 6 } });
    expect(h.events().filter((e) => e.kind === 'local').map((e) => e.kind === 'local' && e.label)).toContain("late answer echo_ok to c2's request 6, after the client gave up");
    expect(malformed(h)).toEqual([]);
  });

  it('a line that is not a message, one from another src, or one to nobody is a malformed event naming what was wrong; the node goes on', () => {
    const h = hosting();
    line(h, 'hello, world');
    line(h, { src: 'n1', dest: 'n2' });
    line(h, { src: 'n9', dest: 'n2', body: { type: 'x' } });
    line(h, { src: 'n1', dest: 'x-kv', body: { type: 'read', msg_id: 1, key: 'a' } });
    expect(malformed(h)).toEqual([
      expect.stringMatching(/^message: not JSON/) as string,
      expect.stringMatching(/^message\.body: /) as string,
      'message.src: expected n1 (this node), got "n9"',
      'message.dest: no node of the lab and no client waiting is called "x-kv"',
    ]);
    const echo = h.command(commandSchema.parse({ type: 'client', message: { src: 'c1', dest: 'n1', body: { type: 'echo', msg_id: 1 } }, timeoutMs: 100 }));
    line(h, { src: 'n1', dest: 'c1', body: { type: 'echo_ok', in_reply_to: 1 } });
    expect(h.reply(echo)).toMatchObject({ ok: true, result: { outcome: 'ok' } });
  });

  it('program_ready is answered once init is answered (at once after), or false at its deadline', () => {
    const h = hosting();
    const early = h.command(commandSchema.parse({ type: 'program_ready', timeoutMs: 500 }));
    const late = h.command(commandSchema.parse({ type: 'program_ready', timeoutMs: 100 }));
    h.advance(100);
    expect(h.reply(late)).toMatchObject({ ok: true, result: { ready: false } });
    expect(h.reply(early)).toBeUndefined();
    line(h, { src: 'n1', dest: 'c0', body: { type: 'init_ok', in_reply_to: 1 } });
    expect(h.reply(early)).toMatchObject({ ok: true, result: { ready: true } });
    const after = h.command(commandSchema.parse({ type: 'program_ready', timeoutMs: 100 }));
    expect(h.reply(after)).toMatchObject({ ok: true, result: { ready: true } });
  });

  it("hands a message to a service to the lab, and writes the service's answer (deliver) to its stdin", () => {
    const h = hosting();
    line(h, { src: 'n1', dest: 'lin-kv', body: { type: 'read', msg_id: 4, key: 'a' } });
    expect(h.effects.filter((e) => e.kind === 'service')).toEqual([{ kind: 'service', message: { src: 'n1', dest: 'lin-kv', body: { type: 'read', msg_id: 4, key: 'a' } } }]);
    const id = h.command(commandSchema.parse({ type: 'deliver', message: { src: 'lin-kv', dest: 'n1', body: { type: 'read_ok', in_reply_to: 4, value: 3 } } }));
    expect(h.reply(id)).toMatchObject({ ok: true });
    expect(written(h).at(-1)).toEqual({ src: 'lin-kv', dest: 'n1', body: { type: 'read_ok', in_reply_to: 4, value: 3 } });
    expect(h.events().flatMap((e) => (e.kind === 'local' ? [e.label] : []))).toEqual(['→ lin-kv read (msg 4)', '← lin-kv read_ok (to msg 4)']);
    expect(malformed(h)).toEqual([]);
  });

  it('its exit is traced with its last words on stderr', () => {
    const h = hosting();
    h.step({ kind: 'program_exit', code: 1, signal: null, stderr: 'Traceback (most recent call last):\nKeyError: 3\n' });
    expect(h.events().at(-1)).toEqual({ kind: 'local', label: 'the program exited (code 1); its last words on stderr: KeyError: 3' });
  });

  it('a node that hosts none refuses a client request, saying how to host one', () => {
    const h = new Harness('n2');
    const id = h.command(commandSchema.parse({ type: 'client', message: { src: 'c1', dest: 'n2', body: { type: 'echo', msg_id: 1 } }, timeoutMs: 100 }));
    expect(h.reply(id)).toMatchObject({ ok: false, error: 'n2 hosts no program (faultline test --bin PROG runs one on every node)' });
  });
});
