/** The checks by name (like Toxiproxy's toxics): each expectation of a lesson, run over one run's data. */
import type { Check, CheckKind } from '@faultline/protocol';
import type { CheckContext, CheckOf, CheckResult, Verdict } from './context.js';
import { rpcOutcome, rpcReply, sameSenderView } from './rpc-checks.js';
import { count, log, state } from './trace-checks.js';
import { distinctTruths, groundTruth } from './truth-checks.js';
import { read, sweep } from './sweep-checks.js';
import { causalCheck, convergedCheck, linearizableCheck, lostWritesCheck, opsCheck, staleReadsCheck } from './history-checks.js';
import { detectionCheck, suspicionsCheck } from './detector-checks.js';
import { leadersCheck } from './leader-checks.js';
import { clockOrderCheck, hlcGapCheck, lostUpdatesCheck, orderCheck, registerCheck, syncCheck } from './time-checks.js';

const CHECKS: { [K in CheckKind]: (ctx: CheckContext, c: CheckOf<K>) => Verdict } = {
  rpc_outcome: rpcOutcome,
  same_sender_view: sameSenderView,
  ground_truth: groundTruth,
  distinct_truths: distinctTruths,
  rpc_reply: rpcReply,
  state,
  count,
  log,
  lost_updates: lostUpdatesCheck,
  register: registerCheck,
  read,
  order: orderCheck,
  clock_order: clockOrderCheck,
  hlc_gap: hlcGapCheck,
  sync: syncCheck,
  sweep,
  linearizable: linearizableCheck,
  ops: opsCheck,
  stale_reads: staleReadsCheck,
  lost_writes: lostWritesCheck,
  converged: convergedCheck,
  causal: causalCheck,
  suspicions: suspicionsCheck,
  detection: detectionCheck,
  leaders: leadersCheck,
};

/** The name a check goes by: its own, or `<check> <n>` (1-based). */
export function checkName(c: Check, index: number): string {
  return c.name ?? `${c.check} ${index + 1}`;
}

/** Runs every check; one that cannot run (e.g. a call that was never made) did not hold, and says why. */
export function runChecks(ctx: CheckContext, checks: readonly Check[]): CheckResult[] {
  return checks.map((c, i) => {
    const name = checkName(c, i);
    try {
      const run = CHECKS[c.check] as (ctx: CheckContext, c: Check) => Verdict;
      return { name, check: c.check, ...run(ctx, c) };
    } catch (err) {
      return { name, check: c.check, held: false, evidence: `could not be checked: ${(err as Error).message}` };
    }
  });
}
