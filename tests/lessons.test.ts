/**
 * Every lesson, run for real (proxy, node processes, faults) with its fixed seed and no pause: its
 * expectations hold, its report and trace are complete, and it leaves no process or port behind.
 * The same seed replays the same fault decisions.
 */
import type { TraceLine } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { expectComplete, runIt } from './support/lesson-run.js';

describe('lessons, run for real', () => {
  // Each test's own timeout is well above the 60 s a lesson may take, so that check can fail by itself.
  it('ambiguity: three identical timeouts, three different truths', { timeout: 90_000 }, async () => {
    const r = await runIt('ambiguity');
    await expectComplete('ambiguity', r);
    expect(r.report.lens.map((e) => [e.rpc, e.senderSaw, e.attempts[0].truth])).toEqual([
      ['A', 'no reply within 2s', 'request_dropped'],
      ['B', 'no reply within 2s', 'crashed_before_processing'],
      ['C', 'no reply within 2s', 'reply_dropped'],
    ]);
  });

  it('slow-or-lost: the retry counts twice without idempotency keys, once with them; the first reply is late', { timeout: 90_000 }, async () => {
    const r = await runIt('slow-or-lost');
    await expectComplete('slow-or-lost', r);
    const late = r.trace.filter((l) => l.kind === 'late_reply');
    expect(late.map((l) => l.kind === 'late_reply' && l.from)).toEqual(['n2', 'n3']);
    expect(r.report.lens.map((e) => e.attempts[0].truth)).toEqual(['reply_late', 'reply_late']);
  });

  it('duplicates-and-reordering: the naive log is wrong, the sequenced one exact; the same seed makes the same decisions', { timeout: 150_000 }, async () => {
    const first = await runIt('duplicates-and-reordering');
    await expectComplete('duplicates-and-reordering', first);
    const second = await runIt('duplicates-and-reordering');
    await expectComplete('duplicates-and-reordering', second);
    const decisions = (trace: TraceLine[]): string[] =>
      trace.flatMap((l) => (l.kind === 'proxy' && l.msgType === 'append' && (l.action === 'duplicated' || l.action === 'delayed') ? [`${l.link} ${l.action} ${String(l.msg)}`] : [])).sort();
    expect(decisions(first.trace).length).toBeGreaterThan(4);
    expect(decisions(second.trace)).toEqual(decisions(first.trace));
    expect(second.report.checks.map((c) => c.value)).toEqual(first.report.checks.map((c) => c.value));
  });
});
