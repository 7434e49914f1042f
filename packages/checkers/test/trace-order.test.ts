/** Is a trace, as written, a linear extension of happened-before? On hand-made traces. */
import type { VectorTimestamp } from '@faultline/clock';
import type { ClockStamp, NodeTraceEvent, TraceLine } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { checkTraceOrder } from '../src/index.js';

const stamp = (vc: VectorTimestamp, lamport: number): ClockStamp => ({ trueMs: 0, wallMs: 0, lamport, vc, hlc: { wallMs: 0, logical: lamport } });

describe('checkTraceOrder', () => {
  const ev = (seq: number, node: string, vc: VectorTimestamp, lamport: number, event: NodeTraceEvent): TraceLine => ({ seq, trueMs: 0, node, clocks: stamp(vc, lamport), ...event });
  const send = ev(1, 'n1', { n1: 1 }, 1, { kind: 'send', to: 'n2', msg: 'n1-1', msgType: 'x', size: 1 });
  const receive = (seq: number) => ev(seq, 'n2', { n1: 1, n2: 1 }, 2, { kind: 'receive', from: 'n1', msg: 'n1-1', msgType: 'x', size: 1, sentWall: 0 });

  it('accepts a send then its receive; flags the receive first, a gap in seq, and a clock that went back', () => {
    expect(checkTraceOrder([send, receive(2)])).toEqual([]);
    const swapped = checkTraceOrder([{ ...receive(1) }, { ...send, seq: 2 }]).map((v) => v.problem);
    expect(swapped).toContain("n2 received n1-1 before n1's send of it");
    expect(swapped).toContain('n2 has seen 1 events of n1, but only 0 are before it');
    expect(checkTraceOrder([send, receive(3)]).map((v) => v.problem)).toEqual(['line 2 of the file has seq 3']);
    const back = ev(2, 'n1', { n1: 1 }, 1, { kind: 'local', label: 'x' });
    expect(checkTraceOrder([send, back]).map((v) => v.problem)).toEqual(["n1's Lamport clock went from 1 (#1) to 1", "n1's vector clock did not move forward after #1"]);
  });

  it('a receive whose sender was killed before reporting the send is not a violation; from a live sender it is', () => {
    const crash: TraceLine = { seq: 2, trueMs: 0, node: 'n1', kind: 'crash', signal: 'SIGKILL' };
    expect(checkTraceOrder([{ ...receive(1) }, crash])).toEqual([]);
    expect(checkTraceOrder([{ ...receive(1) }]).map((v) => v.problem)).toContain('n2 received n1-1, but n1, still alive, never sent it');
  });
});
