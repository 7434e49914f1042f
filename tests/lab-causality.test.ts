/**
 * A whole run through the real proxy and real nodes — messages, retries, drops, duplicates,
 * a partition, a kill and a revive — and then the checker: every receive comes after its send by
 * the vector and Lamport clocks, and every node's clocks only move forward.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCausality, checkTraceOrder } from '@faultline/checkers';
import { startLab } from '@faultline/coordinator';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { expectCausalTrace } from './support/trace-order.js';

it('every trace of a disturbed run agrees with its send/receive pairs', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'faultline-causality-'));
  const lab = await startLab({ nodes: 3, seed: '7', runsDir, heartbeatMs: 100 }, { logger: pino({ level: 'silent' }) });
  try {
    await lab.link('n1', 'n2', { duplicatePct: 50, reorderPct: 30, both: true });
    await lab.link('n2', 'n3', { dropPct: 30, both: false });
    for (let i = 0; i < 5; i++) await lab.rpc('n1', 'n2', 'echo', { i }, 300, 1);
    await lab.partition([['n1'], ['n2', 'n3']]);
    await lab.rpc('n1', 'n3', 'ping', {}, 200, 1);
    await lab.heal();
    await lab.kill('n3');
    await lab.revive('n3');
    await lab.rpc('n3', 'n1', 'ping', {}, 1000, 2);
    await new Promise((r) => setTimeout(r, 300));
    // In causal order while it runs too: a heartbeat's receive (reported by one node) can reach
    // the lab before its send (reported by another), and waits for it.
    expect(checkTraceOrder(lab.trace())).toEqual([]);
    await lab.stop();
    const trace = lab.trace();
    expect(trace.filter((l) => l.kind === 'receive').length).toBeGreaterThan(50);
    expect(trace.some((l) => l.kind === 'proxy' && l.action === 'duplicated')).toBe(true);
    expect(checkCausality(trace)).toEqual([]);
    expectCausalTrace(lab.traceFile);
  } finally {
    await lab.stop();
    rmSync(runsDir, { recursive: true, force: true });
  }
}, 60_000);
