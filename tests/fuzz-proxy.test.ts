/**
 * A fixed-seed slice of `scripts/fuzz-proxy.ts` (the full run: 100,000 API requests, see
 * docs/reliability.md): a real faultline-proxy takes 2,000 seeded API requests and 50 seeded
 * WebSocket connections while a control link in another process echoes through a proxy of its
 * own. Nothing may crash or hang, every refusal is one clear line, and the control link notices
 * nothing (a round trip over 5 s, wrong bytes, or a close would).
 */
import { describe, expect, it } from 'vitest';
import { fuzzProxiedWs, fuzzProxyApi, type ProxyFuzzResult } from '../scripts/fuzz/proxy.js';

const SEED = 20261203;

function expectClean(r: ProxyFuzzResult): void {
  const summary = `seed ${r.seed}: ${JSON.stringify({ ...r, details: undefined })}`;
  expect(r.failures, summary).toEqual([]);
  expect(r.crashes, summary).toBe(0);
  expect(r.hangs, summary).toBe(0);
  expect(r.nonOneLineErrors, summary).toBe(0);
  expect(r.unclearErrors, summary).toBe(0);
  expect(r.bugs, summary).toBe(0);
  expect(r.otherLinkAffected, summary).toBe(false);
  expect(r.control.roundTrips, summary).toBeGreaterThan(0);
}

describe('fuzzing faultline-proxy (fixed seed)', () => {
  it('2,000 API requests: no crash, no hang, every refusal one clear line, the control link untouched', async () => {
    const r = await fuzzProxyApi({ seed: SEED, requests: 2_000 });
    expectClean(r);
    expect(r.cases).toBe(2_000);
    // The slice reaches the refusals it is meant to: foreign origins, bad bodies, unknown routes.
    for (const status of ['400', '403', '404', '405']) expect(r.outcomes[status], status).toBeGreaterThan(0);
  }, 240_000);

  it('50 WebSocket connections (malformed, oversized, forged, all at once): no crash, no hang, the control link untouched', async () => {
    const r = await fuzzProxiedWs({ seed: SEED, connections: 50 });
    expectClean(r);
    expect(r.cases).toBe(50);
  }, 240_000);
});
