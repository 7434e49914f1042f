/**
 * A 30 s slice of `npm run soak`: a real 5-node lab in its own process, steady RPC load through
 * the control API and the seeded nemesis at twice its usual pace (faults held 0.5–2 s, about as
 * many as a minute at the usual pace); every message of the trace is explained, nothing crashed,
 * no request stalled. Bounds are generous (a stall is 45 s without an answer) and the end
 * waits for events (a message across every link after the load stopped), so a CPU hog beside it
 * only slows it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runSoak } from '../scripts/soak/run-soak.js';

const SEED = 1010;
const runsDir = mkdtempSync(join(tmpdir(), 'faultline-soak-test-'));
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

it(`soaks 30 s under the nemesis (seed ${SEED}): every message explained, no crash, no stall`, { timeout: 240_000 }, async () => {
  const r = await runSoak({ seed: SEED, durationMs: 30_000, nemesisScale: 0.5, runsDir, rpcPerSec: 10, sampleMs: 5_000, stallMs: 45_000 });
  const a = r.accounting;
  expect(a.messages, 'messages accounted').toBeGreaterThan(1000);
  expect(a.counts.delivered).toBeGreaterThan(0);
  expect(Object.values(r.nemesis.applied).reduce((x, y) => x + y, 0), 'faults applied').toBeGreaterThan(5);
  expect(a.unexplained.map((u) => `${u.msg} ${u.from}→${u.to} #${u.seq}`), `unexplained (seed ${SEED}, trace ${r.traceFile})`).toEqual([]);
  expect(a.unexplainedDuplicates).toEqual([]);
  expect(a.receivedWithoutSend).toEqual([]);
  expect(r.crashes).toEqual([]);
  expect(r.stalls).toEqual([]);
  expect(r.leftOver, 'lab processes alive after the soak').toEqual([]);
  expect(r.memory.map((m) => m.name).sort()).toEqual(['coordinator', 'coordinator heap after GC', 'n1', 'n2', 'n3', 'n4', 'n5', 'proxy']);
  // The lab's process reported its heap after a full GC every 5 s of the run.
  const heap = r.memory.find((m) => m.name === 'coordinator heap after GC')!;
  expect(heap.samples).toBeGreaterThanOrEqual(5);
  expect(heap.maxMb).toBeGreaterThan(1);
});
