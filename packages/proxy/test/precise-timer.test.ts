import { describe, expect, it } from 'vitest';
import { cancel, nowMs, pendingTimers, scheduleAt } from '../src/link/precise-timer.js';

describe('precise timer', () => {
  it('runs callbacks no earlier than their deadline, in deadline order', async () => {
    const start = nowMs();
    const fired: Array<[number, number]> = [];
    const done = new Promise<void>((resolve) => {
      for (const [i, offset] of [[0, 30], [1, 10], [2, 20], [3, 0]] as const) {
        scheduleAt(start + offset, () => {
          fired.push([i, nowMs() - start - offset]);
          if (fired.length === 4) resolve();
        });
      }
    });
    await done;
    expect(fired.map(([i]) => i)).toEqual([3, 1, 2, 0]);
    for (const [, lateness] of fired) expect(lateness).toBeGreaterThanOrEqual(0);
  });

  it('never runs a cancelled callback, and forgets it', async () => {
    let ran = false;
    const h = scheduleAt(nowMs() + 5, () => (ran = true));
    cancel(h);
    expect(pendingTimers()).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(ran).toBe(false);
  });

  it('accepts deadlines beyond setTimeout range without firing early', async () => {
    let ran = false;
    const h = scheduleAt(nowMs() + 3_000_000_000, () => (ran = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(ran).toBe(false);
    cancel(h);
  });
});
