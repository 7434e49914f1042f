/**
 * What a seed replays, measured on two live labs: the same seed and the same commands give the
 * proxy's same decisions on the messages of those commands, although heartbeats (and how they
 * interleave with the commands) differ from one run to the other.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from '@faultline/coordinator';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { expectCausalTrace } from './support/trace-order.js';

const CALLS = 16;

/** One live lab: a lossy link n1 → n2, then CALLS calls; which of the calls' requests the proxy dropped. */
async function dropsOfOneRun(seed: string): Promise<string> {
  const runsDir = mkdtempSync(join(tmpdir(), 'faultline-seed-'));
  const lab = await startLab({ nodes: 2, seed, runsDir, heartbeatMs: 50, rpcTimeoutMs: 300 }, { logger: pino({ level: 'silent' }) });
  try {
    await lab.link('n1', 'n2', { dropPct: 50, both: false });
    let pattern = '';
    for (let i = 0; i < CALLS; i++) {
      const { result } = await lab.rpc('n1', 'n2', 'ping', { i }, 300, 0);
      pattern += result.outcome === 'ok' ? '.' : 'x';
    }
    await lab.stop();
    expectCausalTrace(lab.traceFile);
    return pattern;
  } finally {
    await lab.stop();
    rmSync(runsDir, { recursive: true, force: true });
  }
}

it('two live labs with the same seed drop the same calls; another seed drops others', { timeout: 180_000 }, async () => {
  const first = await dropsOfOneRun('20261203');
  const second = await dropsOfOneRun('20261203');
  const other = await dropsOfOneRun('99');
  // A lossy link loses some and keeps some (16 calls at 50 %: all or none has odds 2 in 65,536).
  expect(first).toMatch(/x/);
  expect(first).toMatch(/\./);
  expect(second).toBe(first);
  expect(other).not.toBe(first);
});
