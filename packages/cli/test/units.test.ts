import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseClockOffset, parseDrift, parseDuration, parseGroup, parseNode, parsePercent, parsePpm, parseRate } from '../src/units.js';

describe('durations', () => {
  it('reads ms, s and m', () => {
    expect(parseDuration('200ms', '--latency')).toBe(200);
    expect(parseDuration('1.5s', '--latency')).toBe(1500);
    expect(parseDuration('2m', '--timeout')).toBe(120_000);
    expect(parseDuration('+2s', '--offset', { signed: true })).toBe(2000);
    expect(parseDuration('-5s', '--jump', { signed: true })).toBe(-5000);
  });

  it('refuses anything else with one line naming the flag', () => {
    expect(() => parseDuration('fast', '--latency')).toThrow('expected a duration like 200ms or 2s for --latency, got "fast"');
    expect(() => parseDuration('200', '--latency')).toThrow(/--latency/);
    expect(() => parseDuration('-5s', '--latency')).toThrow(/--latency/);
    expect(() => parseDuration('5 s', '--jump', { signed: true })).toThrow('expected a duration like +2s or -500ms for --jump, got "5 s"');
  });

  it('round-trips through formatDuration (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms), 'x', { signed: true })).toBeCloseTo(ms, 6);
      }),
    );
  });
});

describe('percent, drift, rate', () => {
  it('reads them and refuses the rest', () => {
    expect(parsePercent('10%', '--drop')).toBe(10);
    expect(parsePercent('2.5', '--drop')).toBe(2.5);
    expect(() => parsePercent('150%', '--drop')).toThrow('expected a percentage from 0% to 100% for --drop, got "150%"');
    expect(() => parsePercent('-1%', '--drop')).toThrow(/--drop/);
    expect(parsePpm('200ppm', '--drift')).toBe(200);
    expect(parsePpm('-50', '--drift')).toBe(-50);
    expect(() => parsePpm('fast', '--drift')).toThrow(/--drift/);
    expect(parseRate('500KB/s', '--bandwidth')).toBe(500);
    expect(parseRate('2MB/s', '--bandwidth')).toBe(2000);
    expect(() => parseRate('0', '--bandwidth')).toThrow(/--bandwidth/);
  });
});

describe('clock offsets and drift: within the bounds every part of faultline applies', () => {
  it('takes up to ±1 day of offset or jump, and drift above -1e6 ppm up to 1e6 ppm', () => {
    expect(parseClockOffset('+1440m', '--offset')).toBe(86_400_000);
    expect(parseClockOffset('-2s', '--jump')).toBe(-2000);
    expect(parseDrift('1000000ppm', '--drift')).toBe(1_000_000);
    expect(parseDrift('-999999', '--drift')).toBe(-999_999);
  });

  it('refuses what would pin every hybrid clock, saying the bound', () => {
    expect(() => parseClockOffset('+99999999999999999999s', '--offset')).toThrow(
      'expected --offset within ±1 day (±86400000 ms), got 1e+23 ms',
    );
    expect(() => parseClockOffset('-1441m', '--jump')).toThrow(/^expected --jump within ±1 day/);
    expect(() => parseDrift('1e300', '--drift')).toThrow(/--drift/);
    expect(() => parseDrift('1000001ppm', '--drift')).toThrow('expected --drift above -1000000 ppm and at most 1000000 ppm, got 1000001');
    expect(() => parseDrift('-1000000', '--drift')).toThrow(/--drift above -1000000 ppm/);
  });
});

describe('nodes and groups', () => {
  it('reads node ids and partition groups', () => {
    expect(parseNode('n3')).toBe('n3');
    expect(() => parseNode('node3')).toThrow('expected a node id like n1 for node, got "node3"');
    expect(parseGroup('n1,n2')).toEqual(['n1', 'n2']);
    expect(() => parseGroup('n1,x')).toThrow(/group "n1,x"/);
  });
});

describe('link flags', () => {
  it('become the control API request', async () => {
    const { linkRequest } = await import('../src/commands/network.js');
    expect(linkRequest({ latency: '200ms', jitter: '50ms', drop: '10%', both: true })).toEqual({
      latencyMs: 200,
      jitterMs: 50,
      bandwidthKBs: undefined,
      dropPct: 10,
      duplicatePct: undefined,
      reorderPct: undefined,
      resetAfterMs: undefined,
      both: true,
    });
    expect(() => linkRequest({})).toThrow(/expected at least one of --latency/);
    expect(() => linkRequest({ jitter: '5ms' })).toThrow('--jitter needs --latency');
    expect(() => linkRequest({ drop: 'lots' })).toThrow('expected a percentage from 0% to 100% for --drop, got "lots"');
  });
});
