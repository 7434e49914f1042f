/**
 * HLC gaps and the skew bound ε on hand-made traces: a clock 2 s behind hears from one 10 s ahead;
 * a clock stepped back; an HLC that runs further ahead than any wall clock (a broken one).
 */
import { describe, expect, it } from 'vitest';
import { hlcGap, skewBound } from '../src/index.js';
import { ClockLab } from './support/clock-lab.js';

/** n3 is 2 s behind; n1 jumps 10 s ahead and sends to n2, then n2 to n3. */
function dragged() {
  const lab = new ClockLab().skew('n3', -2000);
  lab.message('n1', 'n3', 'n1-1', 'reg_put', 3).message('n3', 'n2', 'n3-1', 'reg_put', 3);
  lab.skew('n1', 10_000).message('n1', 'n2', 'n1-2', 'reg_put', 3).message('n2', 'n3', 'n2-1', 'reg_put', 3);
  lab.event('n3', { kind: 'local', label: 'later' });
  return lab;
}

describe('HLC gap', () => {
  it('measures how far a node is dragged ahead of its own wall clock, and where', () => {
    const lab = dragged();
    const n3 = hlcGap(lab.lines, { node: 'n3' })!;
    const receive = lab.lines.find((l) => l.kind === 'receive' && l.msg === 'n2-1')!;
    // n1's reading at its send of n1-2, passed on by n2, against n3's clock 2 s behind, 9 ms later (3 + 3 on the wires, 1 a line).
    expect(n3).toMatchObject({ node: 'n3', gapMs: 12_000 - 9, seq: receive.seq, trueMs: receive.trueMs, lines: 4 });
    expect(n3.hlc.wallMs - n3.wallMs).toBe(n3.gapMs);
    expect(hlcGap(lab.lines, { node: 'n2' })?.gapMs).toBe(10_000 - 4);
    // Before the jump n3 was dragged by n1's clock 2 s ahead of its own: the largest is the later one.
    expect(hlcGap(lab.lines.slice(0, 4), { node: 'n3' })).toMatchObject({ gapMs: 2000 - 4, lines: 2 });
  });

  it('is 0 for a node that has heard of no clock ahead of its own, and null for one with no lines', () => {
    const lab = dragged();
    expect(hlcGap(lab.lines, { node: 'n1' })).toMatchObject({ gapMs: 0, seq: 1 }); // the first of the ties
    expect(hlcGap(lab.lines, { node: 'n9' })).toBeNull();
  });

  it('ignores lines the lab wrote about a node (they carry its last clocks, not a reading)', () => {
    const lab = dragged();
    const last = lab.lines.at(-1)!;
    lab.lines.push({ seq: last.seq + 1, trueMs: last.trueMs + 60_000, node: 'n3', clocks: last.clocks, kind: 'crash', signal: 'SIGKILL' });
    expect(skewBound(lab.lines)?.epsilonMs).toBe(12_000);
    expect(hlcGap(lab.lines, { node: 'n3' })?.lines).toBe(4);
  });
});

describe('skew bound ε', () => {
  it('is the highest offset of any node minus the lowest of any, and bounds the gaps', () => {
    const lab = dragged();
    const e = skewBound(lab.lines)!;
    expect(e.epsilonMs).toBe(12_000);
    expect(e.ahead).toMatchObject({ node: 'n1', offsetMs: 10_000 });
    expect(e.behind).toMatchObject({ node: 'n3', offsetMs: -2000 });
    expect(e.nodes.map((n) => [n.node, n.min.offsetMs, n.max.offsetMs])).toEqual([
      ['n1', 0, 10_000],
      ['n3', -2000, -2000],
      ['n2', 0, 0],
    ]);
    for (const node of ['n1', 'n2', 'n3']) expect(hlcGap(lab.lines, { node })!.gapMs).toBeLessThanOrEqual(e.epsilonMs);
  });

  it('counts a clock stepped back against its own past: the gap it leaves stays within ε', () => {
    const lab = new ClockLab();
    lab.message('n1', 'n2', 'a', 'ping').skew('n1', -5000).wait(10).message('n1', 'n2', 'b', 'ping');
    const e = skewBound(lab.lines)!;
    expect([e.epsilonMs, e.ahead.node, e.behind.node]).toEqual([5000, 'n1', 'n1']);
    const gap = hlcGap(lab.lines, { node: 'n1' })!;
    expect(gap.gapMs).toBe(5000 - 12);
    expect(gap.gapMs).toBeLessThanOrEqual(e.epsilonMs);
  });

  it('shows an HLC that runs further ahead than any two clocks disagree (a broken clock)', () => {
    const lab = dragged();
    const last = lab.lines.at(-1)!;
    lab.tamper(last.seq, { hlc: { wallMs: last.clocks!.wallMs + 50_000, logical: 0 } });
    const gap = hlcGap(lab.lines, { node: 'n3' })!;
    expect([gap.gapMs, gap.seq]).toEqual([50_000, last.seq]);
    expect(gap.gapMs).toBeGreaterThan(skewBound(lab.lines)!.epsilonMs);
    expect(skewBound([])).toBeNull();
  });
});
