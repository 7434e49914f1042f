/**
 * Running a shipped lesson for real in a test (real proxy, node processes, faults), with its fixed
 * seed and no pause, and checking that its report and trace are complete and it left nothing behind.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '@faultline/coordinator';
import { listLessons, runLesson, type LessonReport } from '@faultline/lessons';
import { traceLineSchema, type TraceLine } from '@faultline/protocol';
import { pino } from 'pino';
import { afterAll, expect } from 'vitest';
import { leftOver } from './processes.js';
import { expectCausalTrace } from './trace-order.js';

const runsDir = mkdtempSync(join(tmpdir(), 'faultline-lessons-'));
const logger = pino({ level: process.env.FAULTLINE_LOG_LEVEL ?? 'warn' });
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

export async function runIt(name: string): Promise<{ report: LessonReport; trace: TraceLine[]; resources: { pids: number[]; ports: number[] } }> {
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

export async function expectComplete(name: string, r: Awaited<ReturnType<typeof runIt>>): Promise<void> {
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

