/** `report.md`: the whole lesson run for a person, in the order the student met it (pure). */
import { dirname } from 'node:path';
import { formatDuration, TRUTH_LABEL } from '@faultline/checkers';
import { markdownTable, sweepChart, sweepTable, syncTable, writesTable } from '../render/clock-views.js';
import { detectionsTable, leadersTable, suspicionsTable } from '../render/failure-views.js';
import { lensRows } from '../render/lens-text.js';
import type { LessonReport } from './lesson-report.js';

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function renderMarkdown(r: LessonReport): string {
  const out: string[] = [];
  out.push(`# ${r.lesson.title}`, '');
  out.push(`*${r.lesson.concept}* — ${r.lesson.teaches}`, '');
  out.push(`Lesson \`${r.lesson.name}\`, seed ${r.seed} (replay: \`npx faultline lesson run ${r.lesson.name} --seed ${r.seed}\`), run at ${r.startedAt}, ${formatDuration(r.durationMs)}.`, '');
  out.push('## Context', '', r.context, '');
  out.push('## Predict', '', r.predict.question, '');
  for (const c of r.predict.choices ?? []) out.push(`- ${c}`);
  if (r.predict.choices) out.push('');
  out.push(`**The prediction:** ${r.prediction.line}.`, '');
  out.push('## The run', '');
  for (const s of r.steps) out.push(`${s.index + 1}. \`+${formatDuration(s.atMs)}\` ${s.note ? `${s.note} — ` : ''}${s.description}${s.error ? ` — **failed: ${s.error}**` : ''}`);
  out.push('');
  if (r.rpcs.length > 0) {
    out.push('| call | from → to | outcome | attempts | elapsed |', '|---|---|---|---|---|');
    for (const c of r.rpcs) out.push(`| ${c.name} | ${c.from} → ${c.to} ${c.msgType} | ${c.result.outcome} | ${c.result.attempts} | ${formatDuration(Math.round(c.result.elapsedMs))} |`);
    out.push('');
  }
  if (r.clocks.writes.length > 0) out.push('## The writes: each clock beside true time', '', ...markdownTable(writesTable(r.clocks.writes)), '');
  if (r.clocks.sync.length > 0) out.push('## Clock synchronisation: the estimates beside the true offset', '', ...markdownTable(syncTable(r.clocks.sync)), '');
  for (const sweep of r.sweeps) out.push(`## Sweep: ${sweep.figure}, by ${sweep.label}`, '', ...markdownTable(sweepTable(sweep)), '', '```', ...sweepChart(sweep, 80), '```', '');
  if (r.failures.detections.length > 0) out.push('## Real failures (outside the sweeps), and how long until they were suspected', '', ...markdownTable(detectionsTable(r.failures.detections)), '');
  if (r.failures.suspicions.length > 0) out.push('## Suspicions outside the sweeps, right and wrong', '', ...markdownTable(suspicionsTable(r.failures.suspicions)), '');
  if (r.failures.leaders.length > 0) out.push('## Leaders and their terms of office', '', ...markdownTable(leadersTable(r.failures.leaders)), '');
  for (const h of r.histories) {
    out.push(`## History ${h.name}: ${h.operations} operations (${h.ok} answered${h.stale ? `, ${h.stale} of them stale` : ''}, ${h.failed} failed, ${h.unknown} unknown)`, '', '```', ...h.strips, '```', '');
  }
  if (r.histories.length > 0) out.push(`Check the histories yourself, all together (one history of the whole run): \`npx faultline check ${dirname(r.histories[0].file)}/history-*.jsonl --model kv\``, '');
  for (const c of r.counterexamples) out.push(`## Not linearizable: ${c.histories.join(' + ')}`, '', 'No order of the operations explains every answer. Around the one that cannot be placed:', '', ...markdownTable(c.table), '');
  out.push('## What the sender saw, and what really happened', '');
  const rows = lensRows(r.lens);
  if (rows.length === 0) out.push(r.rpcs.length > 0 ? 'No call timed out.' : r.histories.length > 0 ? "No single call was made: the clients' operations are in the histories above." : 'No call was made.', '');
  else {
    out.push('| call | request | the sender saw | what really happened | trace lines |', '|---|---|---|---|---|');
    for (const row of rows) out.push(`| ${row.call} | ${row.request} | ${cell(row.senderSaw)} | **${TRUTH_LABEL[row.truth as keyof typeof TRUTH_LABEL]}**: ${cell(row.story)} | ${row.evidence} |`);
    out.push('');
  }
  out.push('## Space-time diagram (true time down, heartbeats hidden)', '', '```', ...r.diagram, '```', '');
  out.push('## Explanation', '', r.explanation, '');
  out.push('## Verdict', '');
  if (r.error) out.push(`**The run stopped early:** ${r.error}`, '');
  for (const c of r.checks) out.push(`- ${c.held ? '✓' : '✗'} **${c.name}** — ${c.evidence}`);
  out.push('', r.passed ? 'Every expectation held.' : 'Not every expectation held.', '');
  if (r.askTheTrace.length > 0) out.push('## Ask the trace yourself', '', '```sh', ...r.askTheTrace, '```', '');
  out.push('## Files', '', `- trace: \`${r.files.trace}\``, `- this report: \`${r.files.reportMd}\` and \`${r.files.reportJson}\``, '');
  return out.join('\n');
}
