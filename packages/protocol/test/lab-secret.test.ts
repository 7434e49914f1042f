/** Who gets past a lab's handshake, and the bounds of a clock setting: pure checks, transcript style. */
import { describe, expect, it } from 'vitest';
import { driftProblem, MAX_CLOCK_OFFSET_MS, offsetProblem } from '../src/clock-bounds.js';
import { handshakeRefusal, LAB_SECRET_HEADER, newLabSecret } from '../src/lab-secret.js';

describe('handshakeRefusal', () => {
  const secret = newLabSecret();

  it.each<[string, Record<string, string | undefined>, ReturnType<typeof handshakeRefusal>]>([
    ['the secret', { [LAB_SECRET_HEADER]: secret }, null],
    ['no secret', {}, { status: 401, reason: `no ${LAB_SECRET_HEADER} header: the lab's secret is required` }],
    ['a wrong secret', { [LAB_SECRET_HEADER]: `${secret}x` }, { status: 401, reason: `a wrong ${LAB_SECRET_HEADER}` }],
    ['an empty secret', { [LAB_SECRET_HEADER]: '' }, { status: 401, reason: `a wrong ${LAB_SECRET_HEADER}` }],
    ['an Origin, even with the secret', { origin: 'null', [LAB_SECRET_HEADER]: secret }, { status: 403, reason: 'an Origin header ("null"): browsers are refused' }],
  ])('%s', (_what, headers, expected) => {
    expect(handshakeRefusal(headers, secret)).toEqual(expected);
  });

  it('draws a new secret each time: 32 bytes, base64url', () => {
    const a = newLabSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newLabSecret()).not.toBe(a);
  });
});

describe('clock setting bounds', () => {
  it('offsets and jumps within ±1 day, drift in (-1e6, 1e6] ppm; everything else named with its bound', () => {
    expect(offsetProblem(MAX_CLOCK_OFFSET_MS, 'x')).toBeNull();
    expect(offsetProblem(-MAX_CLOCK_OFFSET_MS, 'x')).toBeNull();
    expect(offsetProblem(MAX_CLOCK_OFFSET_MS + 1, '--offset')).toBe('expected --offset within ±1 day (±86400000 ms), got 86400001 ms');
    expect(offsetProblem(Number.NaN, 'x')).toMatch(/got NaN ms$/);
    expect(driftProblem(1_000_000, 'x')).toBeNull();
    expect(driftProblem(-999_999.5, 'x')).toBeNull();
    expect(driftProblem(-1_000_000, 'x')).toBe('expected x above -1000000 ppm and at most 1000000 ppm, got -1000000');
    expect(driftProblem(Number.POSITIVE_INFINITY, 'x')).toMatch(/got Infinity$/);
  });
});
