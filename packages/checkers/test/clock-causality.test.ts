/**
 * Messages a clock orders wrongly, on hand-made traces: by wall clocks a message to a node whose
 * clock is behind arrives before it left; Lamport, hybrid and vector clocks, ticked as a node ticks
 * them, never break, unless a line is stamped wrong.
 */
import { describe, expect, it } from 'vitest';
import { causalityBreaks, CLOCK_NAMES } from '../src/index.js';
import { ClockLab } from './support/clock-lab.js';

/** n3 is 2 s behind: n1 → n3 and n2 → n3 arrive "before they left" by the wall clocks. */
function skewed() {
  return new ClockLab()
    .skew('n3', -2000)
    .message('n1', 'n3', 'n1-1', 'reg_put', 5)
    .message('n3', 'n1', 'n3-1', 'reg_put', 5)
    .message('n2', 'n3', 'n2-1', 'heartbeat', 5)
    .message('n1', 'n2', 'n1-2', 'reg_put', 5)
    .message('n2', 'n3', 'n2-2', 'reg_put', 1990);
}

describe('clock causality breaks', () => {
  it('finds the messages that arrived before they left by the wall clocks, and by how much', () => {
    const lab = skewed();
    const breaks = causalityBreaks(lab.lines, 'wall');
    expect(breaks.map((b) => [b.msg, b.from, b.to, b.by])).toEqual([
      ['n1-1', 'n1', 'n3', 2000 - 6],
      ['n2-2', 'n2', 'n3', 2000 - 1991],
    ]);
    const send = lab.lines.find((l) => l.kind === 'send' && l.msg === 'n1-1')!;
    const receive = lab.lines.find((l) => l.kind === 'receive' && l.msg === 'n1-1')!;
    expect(breaks[0]).toEqual({ msg: 'n1-1', msgType: 'reg_put', from: 'n1', to: 'n3', sendSeq: send.seq, receiveSeq: receive.seq, sent: send.clocks!.wallMs, received: receive.clocks!.wallMs, by: 1994 });
  });

  it('leaves heartbeats out unless asked', () => {
    const lab = skewed();
    expect(causalityBreaks(lab.lines, 'wall', { heartbeats: true }).map((b) => b.msg)).toEqual(['n1-1', 'n2-1', 'n2-2']);
  });

  it('finds no break by the logical and hybrid clocks of a run that ticks them right', () => {
    const lab = skewed();
    for (const clock of CLOCK_NAMES.filter((c) => c !== 'wall')) expect(causalityBreaks(lab.lines, clock, { heartbeats: true })).toEqual([]);
  });

  it('a message that arrives when the wall clocks read the same is no break', () => {
    const lab = new ClockLab().skew('n2', -1).message('n1', 'n2', 'm', 'ping');
    expect(causalityBreaks(lab.lines, 'wall')).toEqual([]);
  });

  it('flags receives stamped no later than their sends by Lamport, HLC and vector clocks', () => {
    const lab = skewed();
    const receive = (msg: string) => lab.lines.find((l) => l.kind === 'receive' && l.msg === msg)!;
    const send = (msg: string) => lab.lines.find((l) => l.kind === 'send' && l.msg === msg)!;
    const r1 = receive('n1-1');
    lab.tamper(r1.seq, { lamport: send('n1-1').clocks!.lamport, vc: { n3: 1 } });
    const r2 = receive('n1-2');
    const sent = send('n1-2').clocks!.hlc;
    lab.tamper(r2.seq, { hlc: { wallMs: sent.wallMs, logical: sent.logical } });
    expect(causalityBreaks(lab.lines, 'lamport').map((b) => [b.msg, b.sent, b.received, b.by])).toEqual([['n1-1', 1, 1, 0]]);
    expect(causalityBreaks(lab.lines, 'vector').map((b) => [b.msg, b.received, b.by])).toEqual([['n1-1', { n3: 1 }, null]]);
    expect(causalityBreaks(lab.lines, 'hlc').map((b) => [b.msg, b.sent, b.received, b.by])).toEqual([['n1-2', sent, sent, 0]]);
    lab.tamper(r2.seq, { hlc: { wallMs: sent.wallMs - 7, logical: 9 } });
    expect(causalityBreaks(lab.lines, 'hlc').map((b) => b.by)).toEqual([7]);
  });

  it('reports a duplicated message once, and skips receives with no send and sends with no receive', () => {
    const lab = skewed();
    lab.receive('n3', 'n1', 'n1-1');
    lab.send('n1', 'n3', 'n1-lost', 'reg_put');
    lab.event('n3', { kind: 'receive', from: 'n9', msg: 'n9-1', msgType: 'reg_put', size: 1, sentWall: 0 });
    expect(causalityBreaks(lab.lines, 'wall').map((b) => b.msg)).toEqual(['n1-1', 'n2-2']);
  });
});
