/** Checks on what really happened to calls, by the ambiguity lens. */
import { TRUTH_LABEL, type Truth } from '@faultline/checkers';
import type { CheckContext, CheckOf, Verdict } from './context.js';

/** The truth of a call's last timed-out attempt, or why there is none. */
function lastTruth(ctx: CheckContext, name: string): { truth?: Truth; story: string } {
  const entry = ctx.lens(name);
  const last = entry?.attempts.at(-1);
  if (!last) return { story: `${name} never timed out (${ctx.rpc(name).result.outcome})` };
  return { truth: last.truth, story: `${name}: ${last.story}` };
}

export function groundTruth(ctx: CheckContext, c: CheckOf<'ground_truth'>): Verdict {
  const { truth, story } = lastTruth(ctx, c.rpc);
  const expected = truth === c.is ? '' : ` — expected: ${TRUTH_LABEL[c.is]}`;
  return { held: truth === c.is, evidence: `${story}${expected}`, value: truth === undefined ? 'none' : TRUTH_LABEL[truth] };
}

export function distinctTruths(ctx: CheckContext, c: CheckOf<'distinct_truths'>): Verdict {
  const truths = c.rpcs.map((n) => ({ name: n, truth: lastTruth(ctx, n).truth }));
  const known = truths.filter((t) => t.truth !== undefined);
  const distinct = new Set(known.map((t) => t.truth)).size === truths.length;
  return {
    held: distinct,
    evidence: truths.map((t) => `${t.name}: ${t.truth === undefined ? 'no timeout' : TRUTH_LABEL[t.truth]}`).join('; '),
    value: new Set(known.map((t) => t.truth)).size,
  };
}
