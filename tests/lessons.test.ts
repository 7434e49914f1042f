/**
 * Every lesson, run for real (proxy, node processes, faults) with its fixed seed and no pause: its
 * expectations hold, its report and trace are complete, and it leaves no process or port behind.
 * The same seed replays the same fault decisions.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '@faultline/coordinator';
import { listLessons, runLesson, type LessonReport } from '@faultline/lessons';
import { traceLineSchema, type TraceLine } from '@faultline/protocol';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { leftOver } from './support/processes.js';
import { expectCausalTrace } from './support/trace-order.js';

const runsDir = mkdtempSync(join(tmpdir(), 'faultline-lessons-'));
const logger = pino({ level: process.env.FAULTLINE_LOG_LEVEL ?? 'warn' });
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

async function runIt(name: string): Promise<{ report: LessonReport; trace: TraceLine[]; resources: { pids: number[]; ports: number[] } }> {
  const { lesson, file } = listLessons().find((l) => l.lesson.name === name)!;
  let lab: Lab | undefined;
  const t0 = performance.now();
  const report = await runLesson(lesson, { runsDir, logger, file, onLab: (l) => (lab = l) });
  expect(performance.now() - t0, `${name} must finish in 60 s`).toBeLessThan(60_000);
  const resources = lab!.resources();
  const text = readFileSync(report.files.trace, 'utf8');
  const trace = text.trimEnd().split('\n').map((l) => traceLineSchema.parse(JSON.parse(l)));
  return { report, trace, resources };
}

async function expectComplete(name: string, r: Awaited<ReturnType<typeof runIt>>): Promise<void> {
  const { report, trace, resources } = r;
  for (const c of report.checks) expect(c.held, `${name}: ${c.name}: ${c.evidence}`).toBe(true);
  expect(report.passed).toBe(true);
  expect(report.error).toBeUndefined();
  expect(report.checks).toHaveLength(listLessons().find((l) => l.lesson.name === name)!.lesson.expect.length);
  // The trace: every line parses, seq counts up from 1, it starts with the run and its seed.
  expect(trace.map((l) => l.seq)).toEqual(trace.map((_, i) => i + 1));
  expect(trace[0]).toMatchObject({ kind: 'run_start', seed: report.seed });
  // Every call's requests are in it, and every lens entry's evidence is a line of it.
  for (const call of report.rpcs) for (const id of call.result.requestIds) expect(trace.some((l) => l.kind === 'send' && l.msg === id), id).toBe(true);
  for (const entry of report.lens) for (const a of entry.attempts) for (const seq of a.evidence) expect(trace[seq - 1]?.seq).toBe(seq);
  // The report on disk is the one answered; the markdown has every part.
  expect(JSON.parse(readFileSync(report.files.reportJson, 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
  const md = readFileSync(report.files.reportMd, 'utf8');
  for (const heading of ['## Context', '## Predict', '## The run', '## What the sender saw, and what really happened', '## Space-time diagram', '## Explanation', '## Verdict', '## Files']) expect(md).toContain(heading);
  expect(report.explanation).not.toMatch(/\{\{|\(not measured\)|\(not run\)/);
  // Nobody was asked here: the report says so, beside the answer the lesson names.
  const { predict } = listLessons().find((l) => l.lesson.name === name)!.lesson;
  expect(report.prediction).toMatchObject({ unanswered: 'nobody was asked', expected: { choice: predict.answer } });
  expect(report.prediction.line).toMatch(/^no prediction \(nobody was asked\); it was \d \(.+\)$/);
  expect(md).toContain(`**The prediction:** ${report.prediction.line}.`);
  expect(report.diagram.length).toBeGreaterThan(3);
  // Nothing left running.
  expect(await leftOver(resources)).toEqual({ pids: [], ports: [] });
  expectCausalTrace(report.files.trace);
}

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
