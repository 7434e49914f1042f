import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceLineSchema, type ClockStamp, type LabTraceEvent, type NodeTraceEvent, type ProxyEvent, type TraceLine } from '@faultline/protocol';
import { allLinks, nodeIds } from '../src/links.js';
import { mapProxyEvent } from '../src/proxy-event-map.js';
import { matchesTrace, relatedToRequests } from '../src/trace-query.js';
import { TraceSequencer } from '../src/trace-sequencer.js';

const stamp = (trueMs: number, lamport: number): ClockStamp => ({ trueMs, wallMs: trueMs + 5, lamport, vc: { n1: lamport }, hlc: { wallMs: trueMs + 5, logical: 0 } });

const nodeEvents: fc.Arbitrary<NodeTraceEvent> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), to: fc.constantFrom('n1', 'n2'), msg: fc.string({ minLength: 1 }), msgType: fc.constant('ping'), size: fc.nat() }),
  fc.record({ kind: fc.constant('peer_up' as const), peer: fc.constantFrom('n2', 'n3') }),
  fc.record({ kind: fc.constant('local' as const), label: fc.string() }),
);
const labEvents: fc.Arbitrary<LabTraceEvent> = fc.oneof(
  fc.constant({ kind: 'crash' as const, signal: 'SIGKILL' }),
  fc.constant({ kind: 'pause' as const }),
  fc.record({ kind: fc.constant('fault' as const), action: fc.constantFrom('set' as const, 'clear' as const), fault: fc.string(), links: fc.array(fc.constantFrom('n1-n2', 'n2-n1')) }),
  fc.record({ kind: fc.constant('proxy' as const), action: fc.constant('dropped' as const), link: fc.constant('n1-n2'), msg: fc.string(), size: fc.nat() }),
);

describe('TraceSequencer', () => {
  it('every line parses as a TraceLine; seq counts from 1; lab events carry the node\'s last clocks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.tuple(fc.constant('node' as const), fc.constantFrom('n1', 'n2'), nodeEvents), fc.tuple(fc.constant('lab' as const), fc.constantFrom('n1', 'n2', undefined), labEvents)), { maxLength: 40 }),
        (inputs) => {
          const seq = new TraceSequencer();
          const last = new Map<string, ClockStamp>();
          inputs.forEach((input, i) => {
            let line: TraceLine;
            if (input[0] === 'node') {
              const clocks = stamp(1_000 + i, i + 1);
              last.set(input[1], clocks);
              line = seq.nodeLine(input[1], clocks, input[2]);
              expect(line.trueMs).toBe(clocks.trueMs);
            } else {
              line = seq.labLine(input[2], 5_000 + i, input[1]);
              expect(line.clocks).toEqual(input[1] === undefined ? undefined : last.get(input[1]));
              expect(line.trueMs).toBe(5_000 + i);
            }
            expect(line.seq).toBe(i + 1);
            expect(traceLineSchema.safeParse(JSON.parse(JSON.stringify(line))).success).toBe(true);
          });
        },
      ),
    );
  });

  it('writes the header fields first, then the event fields', () => {
    const line = new TraceSequencer().labLine({ kind: 'run_start', seed: '7', config: { nodes: 3 } }, 123);
    expect(JSON.stringify(line)).toBe('{"seq":1,"trueMs":123,"kind":"run_start","seed":"7","config":{"nodes":3}}');
  });
});

describe('trace queries', () => {
  const s = new TraceSequencer();
  const lines: TraceLine[] = [
    s.nodeLine('n1', stamp(1, 1), { kind: 'send', to: 'n2', msg: 'n1-1', msgType: 'ping', size: 10 }),
    s.labLine({ kind: 'proxy', action: 'dropped', link: 'n1-n2', msg: 'n1-1', size: 10 }, 2, 'n1'),
    s.nodeLine('n1', stamp(3, 2), { kind: 'rpc_timeout', to: 'n2', msg: 'n1-1', msgType: 'ping', attempt: 1, timeoutMs: 100 }),
    s.nodeLine('n1', stamp(3, 3), { kind: 'retry', to: 'n2', msg: 'n1-2', retryOf: 'n1-1', attempt: 2 }),
    s.nodeLine('n1', stamp(3, 4), { kind: 'send', to: 'n2', msg: 'n1-2', msgType: 'ping', size: 10 }),
    s.nodeLine('n2', stamp(4, 5), { kind: 'receive', from: 'n1', msg: 'n1-2', msgType: 'ping', size: 10, sentWall: 3 }),
    s.nodeLine('n2', stamp(4, 6), { kind: 'send', to: 'n1', replyTo: 'n1-2', msg: 'n2-9', msgType: 'pong', size: 10 }),
    s.labLine({ kind: 'proxy', action: 'dropped', link: 'n2-n1', msg: 'n2-9', size: 10 }, 5, 'n2'),
    s.nodeLine('n2', stamp(6, 7), { kind: 'send', to: 'n1', msg: 'n2-10', msgType: 'heartbeat', size: 10 }),
    s.nodeLine('n3', stamp(6, 1), { kind: 'peer_up', peer: 'n1' }),
  ];

  it('an RPC\'s lines: its requests, the retry, the reply and the proxy dropping the reply', () => {
    expect(relatedToRequests(lines, ['n1-1', 'n1-2']).map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('filters by since, node, kind and message', () => {
    expect(lines.filter((l) => matchesTrace(l, { since: 8 })).map((l) => l.seq)).toEqual([9, 10]);
    expect(lines.filter((l) => matchesTrace(l, { node: 'n2', kinds: ['send'] })).map((l) => l.seq)).toEqual([7, 9]);
    expect(lines.filter((l) => matchesTrace(l, { msgs: ['n2-9'] })).map((l) => l.seq)).toEqual([7, 8]);
  });
});

describe('mapProxyEvent', () => {
  const links = new Map(allLinks(nodeIds(3)).map((l) => [l.name, l]));
  const event = (over: Partial<ProxyEvent>): ProxyEvent => ({
    seq: 4, action: 'dropped', proxy: 'n1-n2', toxic: 'faultline-drop', direction: 'upstream', connection: 1, timeMs: 1_000, monoMs: 5, size: 99, opcode: 1, id: 'n1-7', ...over,
  });

  it('upstream on proxy nA-nB is a message from nA; the message id becomes msg', () => {
    expect(mapProxyEvent(event({}), links)).toEqual({ node: 'n1', trueMs: 1_000, event: { kind: 'proxy', action: 'dropped', link: 'n1-n2', msg: 'n1-7', size: 99 } });
    expect(mapProxyEvent(event({ direction: 'downstream', action: 'released', heldMs: 12, id: undefined }), links)).toEqual({
      node: 'n2', trueMs: 1_000, event: { kind: 'proxy', action: 'released', link: 'n1-n2', size: 99, heldMs: 12 },
    });
  });

  it('ignores proxies that are not the lab\'s links', () => {
    expect(mapProxyEvent(event({ proxy: 'redis' }), links)).toBeUndefined();
  });
});
