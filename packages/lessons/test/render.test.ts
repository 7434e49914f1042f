import { clockTime, eventText } from '@faultline/checkers';
import { ONE_OF_EACH_KIND } from '@faultline/checkers/testing';
import { traceLineSchema, type TraceLine } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { drawDiagram, formatTraceLine } from '../src/index.js';

const T0 = new Date(2026, 10, 25, 12, 0, 3, 512).getTime();
const stamp = (node: string, vc: Record<string, number>, wallMs = T0) => ({ trueMs: T0, wallMs, lamport: 1, vc, hlc: { wallMs, logical: 0 } });
const line = (l: Record<string, unknown>): TraceLine => traceLineSchema.parse({ trueMs: T0, ...l });

const send = line({ seq: 1, node: 'n1', clocks: stamp('n1', { n1: 1 }), kind: 'send', to: 'n2', msg: 'n1-1', msgType: 'ping', size: 10 });
const recv = line({ seq: 2, node: 'n2', clocks: stamp('n2', { n1: 1, n2: 1 }, T0 - 5000), kind: 'receive', from: 'n1', msg: 'n1-1', msgType: 'ping', size: 10, sentWall: T0 });
const other = line({ seq: 3, node: 'n3', clocks: stamp('n3', { n3: 1 }), kind: 'local', label: 'hello' });
const drop = line({ seq: 4, kind: 'proxy', action: 'dropped', link: 'n1-n3', msg: 'n1-2', size: 10 });
const crash = line({ seq: 5, node: 'n2', kind: 'crash', signal: 'SIGKILL' });
const fault = line({ seq: 6, kind: 'fault', action: 'set', fault: 'partition n1 n2,n3', links: ['n1-n2'] });
const state = line({ seq: 7, node: 'n2', clocks: stamp('n2', { n2: 2 }), kind: 'state', behaviour: 'counter', key: 'counter', value: 2, msg: 'n1-4' });

describe('trace lines for people', () => {
  it('reads like a log', () => {
    expect(formatTraceLine(crash)).toBe('12:00:03.512 n2   ✗ killed (SIGKILL)');
    expect(formatTraceLine(send)).toBe('12:00:03.512 n1   → n2  ping n1-1');
    expect(formatTraceLine(drop)).toBe('12:00:03.512 lab  proxy n1→n3 dropped n1-2 (10 B)');
    expect(formatTraceLine(recv)).toContain("← n1  ping n1-1 sent at n1's 12:00:03.512");
    expect(formatTraceLine(state)).toBe('12:00:03.512 n2   • counter counter 2 (n1-4)');
  });

  it("says what the checkers' words say, for every kind of event, after the time and the node", () => {
    for (const l of Object.values(ONE_OF_EACH_KIND)) expect(formatTraceLine(l)).toBe(`${clockTime(l.trueMs)} ${(l.node ?? 'lab').padEnd(4)} ${eventText(l)}`);
  });
});

describe('space-time diagram', () => {
  it('draws one column a node, arrows for messages, ✗ for drops, each row led by its seq', () => {
    const rows = drawDiagram([send, recv, other, drop, crash, fault, state], ['n1', 'n2', 'n3']);
    expect(rows[0]).toBe(`${' '.repeat(16)}n1          n2          n3`);
    expect(rows[1]).toMatch(/^#1 +12:00:03\.512 ● +n1 sent ping n1-1$/);
    expect(rows[2]).toMatch(/^#2 +12:00:03\.512 ●─{11}▶ +n2 got ping n1-1$/);
    expect(rows[4]).toMatch(/^#4 .*●─+✗ +proxy dropped n1-2 n1→n3$/);
    expect(rows[5]).toMatch(/^#5 +12:00:03\.512 {13}✗ +n2 killed$/);
    expect(rows[6]).toMatch(/┊┄+┊┄+┊ +⚡ partition n1 n2,n3$/);
    expect(rows[7]).toMatch(/• +n2 counter 2 \(n1-4\)$/);
    expect(rows).toHaveLength(8);
  });

  it("draws the proxy's action on the n1 ↔ n3 link between n2 and n3 (n1 → n3) or n1 and n2 (n3 → n1), never in n2's column", () => {
    const grid = (row: string) => row.slice(16, 16 + 25);
    const [, there] = drawDiagram([drop], ['n1', 'n2', 'n3']);
    expect(grid(there)).toBe('●─────────────────✗      ');
    const back = line({ seq: 4, kind: 'proxy', action: 'held', link: 'n3-n1', msg: 'n3-2', msgType: 'ping', size: 10 });
    const [, from3] = drawDiagram([back], ['n1', 'n2', 'n3']);
    expect(grid(from3)).toBe('      ◆─────────────────●');
    expect(from3).toMatch(/proxy held ping n3-2 n3→n1$/);
    // n2's column (the 13th cell) holds a line passing by, not the mark.
    expect(grid(there)[12]).toBe('─');
    expect(grid(from3)[12]).toBe('─');
  });

  it('puts rows in true-time order, except that a receive never goes above its send', () => {
    const at = (ms: number, l: Record<string, unknown>) => line({ ...l, trueMs: T0 + ms });
    // The trace's order (seq): n3's event was written first; n1's send waited for nothing, but
    // came late; the receive's true time is (wrongly, by a millisecond) before its send's.
    const lines = [
      at(30, { seq: 1, node: 'n3', clocks: stamp('n3', { n3: 1 }), kind: 'local', label: 'late' }),
      at(10, { seq: 2, node: 'n1', clocks: stamp('n1', { n1: 1 }), kind: 'send', to: 'n2', msg: 'n1-1', msgType: 'ping', size: 10 }),
      at(9, { seq: 3, node: 'n2', clocks: stamp('n2', { n1: 1, n2: 1 }), kind: 'receive', from: 'n1', msg: 'n1-1', msgType: 'ping', size: 10, sentWall: T0 }),
      at(20, { seq: 4, node: 'n2', clocks: stamp('n2', { n1: 1, n2: 2 }), kind: 'local', label: 'after' }),
    ];
    const rows = drawDiagram(lines, ['n1', 'n2', 'n3']).slice(1);
    expect(rows.map((r) => r.split(' ')[0])).toEqual(['#2', '#3', '#4', '#1']);
  });
});

describe('a register decision in words, in the diagram', () => {
  const write = (id: string, value: string, wallMs: number) => ({ id, node: id.slice(0, 2), key: 'x', value, stamp: { wallMs, lamport: 1, vc: { [id.slice(0, 2)]: 1 }, hlc: { wallMs, logical: 0 } } });
  const discard = line({ seq: 9, node: 'n3', clocks: stamp('n3', { n3: 3 }), kind: 'state', behaviour: 'register', key: 'discard', value: { key: 'x', resolution: 'wall', write: write('n3/w1', 'second', T0 - 2000), others: [write('n1/w1', 'first', T0)] }, msg: 'n3-1' });

  it('says who lost to whom, and a label too long for 80 columns goes on under itself', () => {
    expect(formatTraceLine(discard)).toBe('12:00:03.512 n3   • discard x: "second" (n3/w1) loses to "first" (n1/w1) (n3-1)');
    const rows = drawDiagram([discard], ['n1', 'n2', 'n3'], 80);
    expect(rows.slice(1)).toEqual(['#9 12:00:03.512                         •  n3 discard x: "second" (n3/w1) loses', `${' '.repeat(43)}to "first" (n1/w1) (n3-1)`]);
    for (const r of rows) expect(r.length).toBeLessThanOrEqual(80);
    // Without a width, one row however long.
    expect(drawDiagram([discard], ['n1', 'n2', 'n3'])).toHaveLength(2);
  });
});
