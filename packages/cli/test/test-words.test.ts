import type { Verdict } from '@faultline/maelstrom';
import { describe, expect, it } from 'vitest';
import { nemesisWords, withAvailability } from '../src/maelstrom/run-test.js';

const verdict = (availability: number, valid: Verdict['valid'] = true): Verdict => ({ valid, reason: 'all 10 echoes came back', stats: { availability } });

describe('--availability on top of the checker', () => {
  it('total asks for every operation; a fraction for at least that share', () => {
    expect(withAvailability(verdict(1), 'total').valid).toBe(true);
    expect(withAvailability(verdict(0.9), 'total')).toEqual({ valid: false, reason: 'only 90.0% of the operations succeeded, and --availability total asks for every one (all 10 echoes came back)', stats: { availability: 0.9 } });
    expect(withAvailability(verdict(0.95), 0.9).valid).toBe(true);
    expect(withAvailability(verdict(0.85), 0.9).reason).toMatch(/^only 85\.0% of the operations succeeded, and --availability 0\.9 asks for at least 90\.0%/);
  });

  it('changes nothing without the flag, or when the checker already failed', () => {
    expect(withAvailability(verdict(0.5), undefined).valid).toBe(true);
    expect(withAvailability(verdict(0.5, false), 'total').reason).toBe('all 10 echoes came back');
  });
});

describe('fold', () => {
  it('keeps a line within the width at its spaces, its own indent kept and the rest indented two more', async () => {
    const { fold } = await import('../src/commands/test.js');
    expect(fold('  ✗ did not hold: message 0 was acknowledged by n1 but the final read on n2 does not have it', 40)).toEqual([
      '  ✗ did not hold: message 0 was',
      '    acknowledged by n1 but the final',
      '    read on n2 does not have it',
    ]);
    expect(fold('short', 40)).toEqual(['short']);
  });
});

describe('what the nemesis did, in words', () => {
  it('says how slow the links were made, and how often', () => {
    const slow = { atS: 1.5, what: 'slow every link: 300 ± 150 ms' };
    const report = { faults: [slow, { ...slow, atS: 4.5 }], partitions: 0, messagesCut: 0, dropped: 0, duplicated: 0 };
    expect(nemesisWords(report)).toEqual(['links slowed by 300 ± 150 ms twice (late messages, none lost).']);
    expect(nemesisWords({ ...report, faults: [slow] })).toEqual(['links slowed by 300 ± 150 ms once (late messages, none lost).']);
  });
});
