import { traceLineSchema, type TraceLine } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { findEvent, orderOf } from '../src/format/order.js';

const T0 = new Date(2026, 10, 25, 12, 0, 3, 512).getTime();
const stamp = (node: string, vc: Record<string, number>, wallMs = T0) => ({ trueMs: T0, wallMs, lamport: 1, vc, hlc: { wallMs, logical: 0 } });
const line = (l: Record<string, unknown>): TraceLine => traceLineSchema.parse({ trueMs: T0, ...l });

const send = line({ seq: 1, node: 'n1', clocks: stamp('n1', { n1: 1 }), kind: 'send', to: 'n2', msg: 'n1-1', msgType: 'ping', size: 10 });
const recv = line({ seq: 2, node: 'n2', clocks: stamp('n2', { n1: 1, n2: 1 }, T0 - 5000), kind: 'receive', from: 'n1', msg: 'n1-1', msgType: 'ping', size: 10, sentWall: T0 });
const other = line({ seq: 3, node: 'n3', clocks: stamp('n3', { n3: 1 }), kind: 'local', label: 'hello' });
const crash = line({ seq: 5, node: 'n2', kind: 'crash', signal: 'SIGKILL' });

describe('order by vector clocks', () => {
  it('send happened before its receive, though the receiver wall clock says otherwise', () => {
    const answer = orderOf(send, recv);
    expect(answer).toMatchObject({ order: 'before', wallOrder: 'after' });
    expect('sentence' in answer && answer.sentence).toMatch(/^#1 \(n1 → n2 {2}ping n1-1\) happened before #2/);
    expect(orderOf(recv, send)).toMatchObject({ order: 'after' });
  });

  it('events on different nodes with no message between them are concurrent', () => {
    expect(orderOf(send, other)).toMatchObject({ order: 'concurrent' });
    expect(orderOf(send, crash)).toEqual({ error: 'event 5 carries no vector clock (only node events do)' });
  });
});

describe('the events order takes', () => {
  const send2 = line({ seq: 7, node: 'n2', clocks: stamp('n2', { n2: 1 }), kind: 'send', to: 'n1', msg: 'n2.2-1', msgType: 'ping', size: 10 });
  const lines = [send, recv, other, crash, send2];

  it('a seq, with or without #, or a message id meaning its send (in any life of the node)', () => {
    expect(findEvent(lines, '2')).toBe(recv);
    expect(findEvent(lines, '#5')).toBe(crash);
    expect(findEvent(lines, 'n1-1')).toBe(send);
    expect(findEvent(lines, 'n2.2-1')).toBe(send2);
  });

  it('says what is wrong with anything else', () => {
    expect(findEvent(lines, '9')).toEqual({ error: "no event #9 in this run's trace" });
    expect(findEvent(lines, 'n3-4')).toEqual({ error: "no send of message n3-4 in this run's trace" });
    expect(findEvent(lines, 'first')).toEqual({ error: 'expected an event number like 12 or a message id like n1-3, got "first"' });
    expect(findEvent([send, { ...send, seq: 9 }], 'n1-1')).toEqual({ error: 'message n1-1 was sent 2 times (#1, #9): name one by its number' });
  });
});
