/**
 * Laws of the core over random sequences of inputs (fast-check prints the seed and the shrunk
 * sequence of any failure, so it can be replayed):
 * - the stamps of a node's trace events strictly increase in Lamport, vector and HLC order,
 *   whatever arrives and whatever its wall clock does;
 * - every command gets exactly one reply; every RPC exactly one outcome, consistent with its trace;
 * - everything the core emits is valid by the protocol's schemas.
 */
import { compare, compareHlc } from '@faultline/clock';
import { envelopeSchema, nodeTraceEventSchema, rpcResultSchema, type Command, type NodeId } from '@faultline/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeInput } from '../../src/index.js';
import { Harness, TRUE_EPOCH_MS } from '../support/core-harness.js';

type Action =
  | { t: 'advance'; ms: number }
  | { t: 'link'; peer: NodeId; up: boolean }
  | { t: 'command'; command: Command }
  | { t: 'deliver'; from: NodeId; type: string; lamport: number; vc: Record<string, number>; hlcMs: number; reply: number | null }
  | { t: 'malformed' };

const peer = fc.constantFrom<NodeId>('n2', 'n3');

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ type: fc.constant('rpc' as const), to: peer, msgType: fc.constantFrom('ping', 'echo'), body: fc.constant({}), timeoutMs: fc.integer({ min: 1, max: 1_000 }), retries: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ type: fc.constant('send' as const), to: peer, msgType: fc.constantFrom('echo', 'note'), body: fc.constant({}) }),
  fc.record({ type: fc.constant('local' as const), label: fc.constantFrom('a', 'b') }),
  fc.record({ type: fc.constant('status' as const) }),
  fc.record({ type: fc.constant('set_clock' as const), offsetMs: fc.integer({ min: -10_000_000, max: 10_000_000 }), driftPpm: fc.integer({ min: -999_999, max: 1_000_000 }) }),
  fc.record({ type: fc.constant('jump_clock' as const), deltaMs: fc.integer({ min: -10_000_000, max: 10_000_000 }) }),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 1_500 }) }),
  fc.record({ t: fc.constant('link' as const), peer, up: fc.boolean() }),
  fc.record({ t: fc.constant('command' as const), command }),
  fc.record({
    t: fc.constant('deliver' as const),
    from: peer,
    type: fc.constantFrom('ping', 'echo', 'heartbeat', 'pong', 'echo_ok', 'mystery'),
    lamport: fc.nat(10_000),
    vc: fc.dictionary(fc.constantFrom('n1', 'n2', 'n3', 'n4'), fc.nat(10_000)),
    hlcMs: fc.integer({ min: 0, max: 2 * TRUE_EPOCH_MS }),
    reply: fc.option(fc.nat(), { nil: null }),
  }),
  fc.record({ t: fc.constant('malformed' as const) }),
);

/** Runs the actions on a fresh core, then lets every timer run out. */
function run(actions: Action[]): { h: Harness; commands: Map<number, Command> } {
  const h = new Harness('n1', { heartbeatMs: 300 });
  const commands = new Map<number, Command>();
  h.step({ kind: 'start' });
  for (const a of actions) {
    if (a.t === 'advance') h.advance(a.ms);
    else if (a.t === 'link') h.step({ kind: 'link', peer: a.peer, up: a.up });
    else if (a.t === 'command') commands.set(h.command(a.command), a.command);
    else if (a.t === 'malformed') h.step({ kind: 'malformed', source: 'peer', error: 'envelope: not JSON' });
    else {
      // A reply answers one of the requests sent so far (from whoever it was sent to).
      const requests = h.sent().filter((e) => e.type === 'ping' || e.type === 'echo');
      const answered = a.reply !== null && requests.length > 0 ? requests[a.reply % requests.length] : undefined;
      const envelope = h.envelope(answered?.to ?? a.from, a.type, {
        id: `${a.from}-${h.effects.length}`,
        lamport: a.lamport,
        vc: a.vc,
        hlc: { wallMs: a.hlcMs, logical: 0 },
        ...(answered ? { replyTo: answered.id } : {}),
      });
      const input: NodeInput = { kind: 'envelope', envelope, size: 100 };
      h.step(input);
    }
  }
  // Each advance past every deadline ends at least one attempt of every call (at most 4 each).
  for (let i = 0; i < 5; i++) h.advance(10_000);
  return { h, commands };
}

describe('NodeCore laws (property)', () => {
  it('the stamps of its trace events strictly increase in Lamport, vector and HLC order', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        const traces = run(actions).h.traces();
        for (let i = 1; i < traces.length; i++) {
          const [a, b] = [traces[i - 1].clocks, traces[i].clocks];
          expect(b.lamport).toBeGreaterThan(a.lamport);
          expect(compare(a.vc, b.vc)).toBe('before');
          expect(compareHlc(a.hlc, b.hlc)).toBe(-1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every command gets exactly one reply; every RPC one outcome, consistent with the trace', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        const { h, commands } = run(actions);
        const replies = h.replies();
        expect(replies.map((r) => r.id).sort((a, b) => a - b)).toEqual([...commands.keys()]);
        const events = h.events();
        for (const reply of replies) {
          const cmd = commands.get(reply.id)!;
          if (cmd.type !== 'rpc') continue;
          const result = rpcResultSchema.parse(reply.result);
          expect(result.attempts).toBe(result.requestIds.length);
          expect(result.attempts).toBeLessThanOrEqual(cmd.retries + 1);
          const failed = events.filter((e) => e.kind === 'failed_send' && result.requestIds.includes(e.msg)).map((e) => e.kind === 'failed_send' && e.msg);
          const timedOut = events.filter((e) => e.kind === 'rpc_timeout' && result.requestIds.includes(e.msg)).map((e) => e.kind === 'rpc_timeout' && e.msg);
          const last = result.requestIds.at(-1);
          // Each attempt ended exactly one way: failed to send, timed out, or (the last) answered.
          expect(new Set([...failed, ...timedOut]).size).toBe(failed.length + timedOut.length);
          if (result.outcome === 'ok') {
            expect(result.reply?.replyTo).toBe(last);
            expect(failed.length + timedOut.length).toBe(result.attempts - 1);
          } else {
            expect(result.attempts).toBe(cmd.retries + 1);
            expect(failed.length + timedOut.length).toBe(result.attempts);
            expect(result.outcome === 'failed' ? failed : timedOut).toContain(last);
          }
          expect(events.filter((e) => e.kind === 'retry' && e.retryOf === result.requestIds[0])).toHaveLength(result.attempts - 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('emits only valid envelopes and trace events, with unique message ids, one send event per envelope', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        const { h } = run(actions);
        const sent = h.sent();
        for (const envelope of sent) expect(envelopeSchema.safeParse(envelope).success).toBe(true);
        for (const event of h.events()) expect(nodeTraceEventSchema.safeParse(event).success).toBe(true);
        const ids = h.events().flatMap((e) => (e.kind === 'send' || e.kind === 'failed_send' ? [e.msg] : []));
        expect(new Set(ids).size).toBe(ids.length);
        expect(h.events().flatMap((e) => (e.kind === 'send' ? [e.msg] : []))).toEqual(sent.map((e) => e.id));
      }),
      { numRuns: 300 },
    );
  });
});
