/**
 * A fixed-seed slice of `npm run fuzz`: the lesson files, the CLI's flags, the nodes' WebSocket
 * ports and the coordinator's control channel. No crash, no hang, every refusal one clear line.
 */
import { describe, expect, it } from 'vitest';
import { fuzzCliFlags, runInProcess } from '../scripts/fuzz/cli-flags.js';
import { fuzzControl } from '../scripts/fuzz/control.js';
import { fuzzLessons } from '../scripts/fuzz/lessons.js';
import { fuzzNodeWs } from '../scripts/fuzz/node-ws.js';
import type { FuzzResult } from '../scripts/fuzz/target.js';

const SEED = 20261203;

function expectClean(r: FuzzResult): void {
  expect(r.cases, r.name).toBeGreaterThan(0);
  expect({ name: r.name, seed: r.seed, crashes: r.crashes, hangs: r.hangs, badErrors: r.badErrors }).toEqual({ name: r.name, seed: SEED, crashes: 0, hangs: 0, badErrors: [] });
}

describe('fuzz slice', () => {
  it(`lesson files (seed ${SEED})`, { timeout: 120_000 }, async () => {
    expectClean(await fuzzLessons({ seed: SEED, scale: 'slice' }));
  });

  it(`CLI flags (seed ${SEED})`, { timeout: 120_000 }, async () => {
    expectClean(await fuzzCliFlags({ seed: SEED, scale: 'slice' }));
  });

  it(`node WebSockets: hostile handshakes, malformed frames, forged envelopes, 100 at once (seed ${SEED})`, { timeout: 180_000 }, async () => {
    expectClean(await fuzzNodeWs({ seed: SEED, scale: 'slice' }));
  });

  it(`control frames: hostile first frames, 100 at once (seed ${SEED})`, { timeout: 180_000 }, async () => {
    expectClean(await fuzzControl({ seed: SEED, scale: 'slice' }));
  });

  it('`faultline lesson` alone is one line and a hint, exit 2 (it printed the whole help)', async () => {
    const r = await runInProcess(['lesson']);
    expect(r?.code).toBe(2);
    expect(r?.stderr.split('\n').filter((l) => l && !l.startsWith('hint:'))).toEqual(['faultline: lesson needs a subcommand: list or run']);
  });
});
