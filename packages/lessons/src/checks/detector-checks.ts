/**
 * Checks over what the failure detectors did (pure, over the trace; the figures come from
 * `@faultline/checkers`): suspicions right and wrong by the lab's own view of who was really
 * down, and how long a real failure took to be suspected.
 */
import { detections, formatDuration, suspicions } from '@faultline/checkers';
import { withinBounds } from './bounds.js';
import type { CheckContext, CheckOf, Verdict } from './context.js';

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function suspicionsCheck(ctx: CheckContext, c: CheckOf<'suspicions'>): Verdict {
  const all = suspicions([...ctx.lines]).filter((s) => (c.observer === undefined || s.observer === c.observer) && (c.peer === undefined || s.peer === c.peer));
  const matching = all.filter((s) => c.right === undefined || s.right === c.right);
  const right = all.filter((s) => s.right).length;
  const wrong = all.length - right;
  const { held, expected } = withinBounds(matching.length, c);
  const who = `${c.observer ? ` by ${c.observer}` : ''}${c.peer ? ` of ${c.peer}` : ''}`;
  const what = `${c.right === undefined ? '' : c.right ? 'right ' : 'wrong '}${matching.length === 1 ? 'suspicion' : 'suspicions'}${c.right === false ? ' (of a live node)' : ''}`;
  const example = matching[0];
  const evidence = `${matching.length} ${what}${who}${expected ? ` (${expected})` : ''}; in all ${right} right, ${wrong} wrong${
    example ? `; e.g. ${example.observer} suspected ${example.peer} after ${formatDuration(example.sinceMs)} without a heartbeat, while it was ${example.truth}` : ''
  }`;
  const gaps = matching.map((s) => s.sinceMs);
  return { held, evidence, value: { count: matching.length, right, wrong, gapMs: median(gaps) === null ? null : Math.round(median(gaps)!) } };
}

export function detectionCheck(ctx: CheckContext, c: CheckOf<'detection'>): Verdict {
  const all = detections([...ctx.lines]).filter((d) => d.peer === c.peer && (c.observer === undefined || d.observer === c.observer));
  if (all.length === 0) return { held: false, evidence: `${c.peer} never really failed while a detector watched it: no detection to time` };
  // The first time the peer really failed (a sweep's row has one).
  const firstFailure = Math.min(...all.map((d) => d.failedTrueMs));
  const found = all.filter((d) => d.failedTrueMs === firstFailure);
  const missed = found.filter((d) => d.detectionMs === null);
  if (missed.length) return { held: false, evidence: `${missed.map((d) => d.observer).join(', ')} never suspected ${c.peer} while it was ${missed[0].how}` };
  const slowest = Math.max(...found.map((d) => d.detectionMs!));
  const { held, expected } = withinBounds(slowest, c);
  const each = found.map((d) => `${d.observer} after ${formatDuration(d.detectionMs!)}`).join(', ');
  return { held, evidence: `${c.peer} was ${found[0].how}; suspected by ${each}${found.length > 1 ? ` (slowest ${formatDuration(slowest)})` : ''}${expected ? ` (${expected} ms)` : ''}`, value: Math.round(slowest) };
}
