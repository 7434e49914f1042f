import { traceLineSchema, type TraceLine } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { checkCausality } from '../src/index.js';

let seq = 0;
const at = (node: string, lamport: number, vc: Record<string, number>, event: Record<string, unknown>): TraceLine =>
  traceLineSchema.parse({ seq: ++seq, trueMs: 1000 + seq, node, clocks: { trueMs: 1000 + seq, wallMs: 1000 + seq, lamport, vc, hlc: { wallMs: 1000 + seq, logical: 0 } }, ...event });

describe('causality checker', () => {
  it('accepts a send and its receive stamped as a real run stamps them', () => {
    const trace = [
      at('n1', 1, { n1: 1 }, { kind: 'send', to: 'n2', msg: 'n1-1', msgType: 'ping', size: 1 }),
      at('n2', 1, { n2: 1 }, { kind: 'local', label: 'x' }),
      at('n2', 2, { n1: 1, n2: 2 }, { kind: 'receive', from: 'n1', msg: 'n1-1', msgType: 'ping', size: 1, sentWall: 0 }),
    ];
    expect(checkCausality(trace)).toEqual([]);
  });

  it('flags a receive whose clocks do not come after its send, and a clock that went backwards', () => {
    const send = at('n1', 5, { n1: 5 }, { kind: 'send', to: 'n2', msg: 'n1-9', msgType: 'ping', size: 1 });
    const badReceive = at('n2', 2, { n2: 2 }, { kind: 'receive', from: 'n1', msg: 'n1-9', msgType: 'ping', size: 1, sentWall: 0 });
    const backwards = at('n1', 4, { n1: 4 }, { kind: 'local', label: 'oops' });
    const orphan = at('n3', 1, { n3: 1 }, { kind: 'receive', from: 'n1', msg: 'n1-77', msgType: 'ping', size: 1, sentWall: 0 });
    const problems = checkCausality([send, badReceive, backwards, orphan]).map((v) => v.problem);
    expect(problems).toEqual([
      "n1's Lamport clock did not increase (5 at #" + send.seq + ', then 4)',
      `n1's vector clock did not move forward after #${send.seq}`,
      `the receive of n1-9 at n2 is not after its send by the clocks (send #${send.seq})`,
      'n3 received n1-77 from n1, but the trace has no such send',
    ]);
  });

  it('lets a revived node start its clocks again', () => {
    const trace = [
      at('n2', 7, { n2: 7 }, { kind: 'local', label: 'before the crash' }),
      at('n2', 1, { n2: 1 }, { kind: 'node_start', pid: 123, port: 4000 }),
      at('n2', 2, { n2: 2 }, { kind: 'local', label: 'after' }),
    ];
    expect(checkCausality(trace)).toEqual([]);
  });
});
