import type { LabStatus } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { statusTables } from '../src/format/status-tables.js';

/** A lab of `n` nodes, each clock well past a few hundred events, with `faulty` links faulted. */
function lab(n: number, faulty = 0): LabStatus {
  const ids = Array.from({ length: n }, (_, i) => `n${i + 1}`);
  const vc = Object.fromEntries(ids.map((id) => [id, 12_345]));
  const links = ids.flatMap((from) => ids.filter((to) => to !== from).map((to) => ({ name: `${from}-${to}`, from, to, faults: [] as string[] })));
  for (const l of links.slice(0, faulty)) l.faults.push('latency 200ms ± 50ms', 'drop 20%', 'duplicate 5%');
  return {
    seed: '110694098130177',
    runDir: '/home/student/faultline/runs/2026-12-04T13-12-25.684Z',
    proxyUrl: 'http://127.0.0.1:8474',
    messageFaults: true,
    controlUrl: 'http://127.0.0.1:4000',
    nodes: ids.map((id, i) => ({ id, pid: 300_000 + i, state: 'running', status: { node: id, pid: 300_000 + i, wallMs: 0, offsetMs: -2000, driftPpm: 200, lamport: 99_999, vc, hlc: { wallMs: 0, logical: 0 }, peers: {} } })),
    links,
  };
}
const widest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l].length));

describe('faultline status as text', () => {
  it('fits 80 columns with 3, 5 and 10 nodes: the vector clock wraps in its column, every node on its rows', () => {
    for (const n of [3, 5, 10]) {
      const text = statusTables(lab(n, 2));
      expect(widest(text), `${n} nodes`).toBeLessThanOrEqual(80);
      for (let i = 1; i <= n; i++) expect(text).toMatch(new RegExp(`│ n${i} +│`));
      expect(text).toContain(`n${n}:12345]`);
    }
  });

  it('lists only the links with a fault and counts the others; says so when none has one', () => {
    const some = statusTables(lab(5, 2));
    expect(some).toContain('latency 200ms ± 50ms, drop 20%, duplicate 5%');
    expect(some).toContain('the other 18 links: no fault');
    expect(some).not.toContain('n3 → n4');
    expect(statusTables(lab(5))).toContain('links: 20, none with a fault');
  });

  it('a wider terminal keeps the vector clock on one line', () => {
    const text = statusTables(lab(5), 200);
    expect(text).toContain('[n1:12345 n2:12345 n3:12345 n4:12345 n5:12345]');
  });
});
