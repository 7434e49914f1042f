/**
 * The lens on a real call to a paused node (what `faultline rpc n1 n2` prints after `pause n2`):
 * the call's trace carries the pause still in force, so the lens says the receiver was paused,
 * not that the request never arrived.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lensOf } from '@faultline/checkers';
import { startLab } from '@faultline/coordinator';
import { pino } from 'pino';
import { expect, it } from 'vitest';

it('pause n2, rpc n1 n2 (times out), resume: the lens says n2 was paused', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'faultline-rpc-lens-'));
  const lab = await startLab({ nodes: 2, seed: '9', runsDir }, { logger: pino({ level: 'silent' }) });
  try {
    await lab.pause('n2');
    const { result, trace } = await lab.rpc('n1', 'n2', 'ping', {}, 300);
    await lab.resume('n2');
    expect(result.outcome).toBe('timeout');
    const lens = lensOf(trace, { name: 'A', from: 'n1', to: 'n2', msgType: 'ping', result });
    expect(lens?.attempts.map((a) => a.truth)).toEqual(['receiver_paused']);
    expect(lens?.attempts[0].story).toMatch(/n2 was paused \(SIGSTOP\)/);
  } finally {
    await lab.stop();
    rmSync(runsDir, { recursive: true, force: true });
  }
}, 60_000);
