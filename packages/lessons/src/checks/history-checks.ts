/**
 * Checks over a workload's history (an `ops` step's `as`), pure: is it linearizable, how many
 * operations ended how, stale reads, acknowledged writes lost, and whether the replicas' last
 * answers agree. The figures come from `@faultline/checkers`; the words name clients, servers and
 * values as the history has them, with times from the history's start.
 */
import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkLinearizable, clientOps, formatDuration, lastReads, lostWrites, sessionViolations, staleReads, type ClientOp } from '@faultline/checkers';
import { withinBounds } from './bounds.js';
import type { CheckContext, CheckOf, Verdict } from './context.js';

/** How long the linearizability search may take in a lesson (a lesson's history is small). */
export const LINEARIZABILITY_BUDGET_MS = 5_000;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const show = (v: unknown): string => (v === null || v === undefined ? 'nothing' : typeof v === 'string' ? v : JSON.stringify(v));

/** `get x → 2 at n3`, `put x 3 at n2`: an operation in words. */
export function opText(op: ClientOp): string {
  const what = op.kind === 'read' ? `${op.f} ${op.key ?? ''} → ${op.type === 'ok' ? show(op.output) : '?'}` : `${op.f} ${op.key ?? ''} ${show(op.input)}`;
  return `${what.replace(/ +/g, ' ')}${op.node ? ` at ${op.node}` : ''}`;
}

/** `+1.2s into the run`: a time from the run's first trace line (true time, as the histories' times). */
export const sinceStart = (ms: number, t0: number): string => `+${formatDuration(ms - t0)} into the run`;

/** The run's start (its first trace line), or the history's first operation when there is no trace. */
const runStart = (ctx: CheckContext, ops: readonly ClientOp[]): number => ctx.lines[0]?.trueMs ?? ops[0]?.invokeMs ?? 0;

export function linearizableCheck(ctx: CheckContext, c: CheckOf<'linearizable'>): Verdict {
  const history = ctx.history(c.history);
  const verdict = checkLinearizable(history.events, 'kv', { budgetMs: LINEARIZABILITY_BUDGET_MS, now: () => performance.now() });
  const command = `npx faultline check ${history.files.map((f) => relative(process.cwd(), f) || f).join(' ')} --model kv`;
  if (verdict.result === 'invalid') return { held: false, evidence: `history ${history.name} cannot be checked: ${verdict.why}`, value: { verdict: 'invalid', command } };
  if (verdict.result === 'unknown') return { held: false, evidence: `history ${history.name}: unknown, ${verdict.why} (${plural(verdict.operations, 'operation')}); never assumed fine`, value: { verdict: 'unknown', operations: verdict.operations, command } };
  const ops = clientOps(history.events);
  const t0 = runStart(ctx, ops);
  const expected = c.is ? 'expected linearizable' : 'expected not';
  if (verdict.result === 'linearizable') {
    return { held: c.is, evidence: `history ${history.name} is linearizable: one order of its ${plural(verdict.operations, 'operation')} explains every answer (${expected})`, value: { verdict: 'linearizable', operations: verdict.operations, command } };
  }
  const stuck = ops.find((o) => o.id === verdict.counterexample.stuck.id);
  const lastWrite = [...verdict.counterexample.prefix].reverse().find((o) => o.f !== 'get' && o.f !== 'read');
  const because = stuck
    ? `no order of its operations explains ${opText(stuck)} (client ${String(stuck.process)}, ${sinceStart(stuck.invokeMs, t0)})${lastWrite ? `; the longest order that explains the answers before it ends with ${lastWrite.f} ${show(lastWrite.input)}` : ''}`
    : 'no order of its operations explains every answer';
  return {
    held: !c.is,
    evidence: `history ${history.name} is NOT linearizable: ${because} (${expected})`,
    value: { histories: c.history, verdict: 'not', operations: verdict.operations, stuck: verdict.counterexample.stuck.id, prefix: verdict.counterexample.prefix.map((o) => o.id), command },
  };
}

export function opsCheck(ctx: CheckContext, c: CheckOf<'ops'>): Verdict {
  const history = ctx.history(c.history);
  const ops = clientOps(history.events);
  const matching = ops.filter((o) => (c.f === undefined || o.kind === c.f) && (c.type === undefined || o.type === c.type) && (c.node === undefined || o.node === c.node));
  const { held, expected } = withinBounds(matching.length, c);
  const what = [c.type === undefined ? '' : { ok: 'answered', fail: 'failed', info: 'unknown' }[c.type], c.f ? `${c.f}s` : 'operations', c.node ? `sent to ${c.node}` : ''].filter(Boolean).join(' ');
  const words = { ok: 'answered', fail: 'failed', info: 'unknown' } as const;
  const byType = (['ok', 'fail', 'info'] as const).map((t) => `${ops.filter((o) => (c.f === undefined || o.kind === c.f) && (c.node === undefined || o.node === c.node) && o.type === t).length} ${words[t]}`).join(', ');
  return { held, evidence: `${matching.length} ${what} in ${history.name}${expected ? ` (${expected})` : ''}; of ${c.f ? `its ${c.f}s` : 'them all'}${c.node ? ` at ${c.node}` : ''}: ${byType}`, value: matching.length };
}

export function staleReadsCheck(ctx: CheckContext, c: CheckOf<'stale_reads'>): Verdict {
  const history = ctx.history(c.history);
  const ops = clientOps(history.events);
  const stale = staleReads(ops, c.node === undefined ? {} : { node: c.node });
  const reads = ops.filter((o) => o.kind === 'read' && o.type === 'ok' && (c.node === undefined || o.node === c.node)).length;
  const { held, expected } = withinBounds(stale.length, c);
  const worst = [...stale].sort((a, b) => b.staleByMs - a.staleByMs)[0];
  const t0 = runStart(ctx, ops);
  const at = c.node ? ` at ${c.node}` : '';
  const evidence = worst
    ? `${plural(stale.length, 'stale read')} of ${reads}${at}${expected ? ` (${expected})` : ''}; the stalest: ${opText(worst.read)} (${sinceStart(worst.read.invokeMs, t0)}), ${formatDuration(worst.staleByMs)} after ${worst.missed[0].f} ${show(worst.missed[0].input)} was acknowledged, ${plural(worst.missed.length, 'write')} behind`
    : `no stale read among ${plural(reads, 'read')}${at}${expected ? ` (${expected})` : ''}`;
  return { held, evidence, value: { count: stale.length, reads, ...(worst ? { staleByMs: Math.round(worst.staleByMs), behind: worst.missed.length } : {}) } };
}

export function lostWritesCheck(ctx: CheckContext, c: CheckOf<'lost_writes'>): Verdict {
  const history = ctx.history(c.history);
  const ops = clientOps(history.events);
  const { finalRead, lost } = lostWrites(ops);
  if (!finalRead) return { held: false, evidence: `history ${history.name} has no read that answered: nothing to judge the writes by` };
  const acked = ops.filter((o) => o.kind === 'write' && o.type === 'ok').length;
  const { held, expected } = withinBounds(lost.length, c);
  const shown = lost.slice(0, 8).map((w) => `${show(w.input)}${w.node ? ` (at ${w.node})` : ''}`).join(', ');
  const evidence = `${plural(lost.length, 'acknowledged write')} of ${acked} missing from the last read (${opText(finalRead)})${expected ? ` (${expected})` : ''}${lost.length ? `: ${shown}${lost.length > 8 ? ' …' : ''}` : ''}`;
  return { held, evidence, value: { count: lost.length, acknowledged: acked, values: lost.map((w) => show(w.input)).join(', ') || 'none' } };
}

export function convergedCheck(ctx: CheckContext, c: CheckOf<'converged'>): Verdict {
  const history = ctx.history(c.history);
  const last = lastReads(clientOps(history.events), c.nodes);
  const silent = c.nodes.filter((n) => !last.has(n));
  if (silent.length) return { held: false, evidence: `no read in ${history.name} was answered by ${silent.join(', ')}: cannot tell whether it converged` };
  const answers = c.nodes.map((n) => `${n} ${show(last.get(n)!.output)}`);
  const agree = new Set(c.nodes.map((n) => JSON.stringify(last.get(n)!.output ?? null))).size === 1;
  return { held: agree === c.is, evidence: `last reads: ${answers.join(', ')}: ${agree ? 'all the same' : 'they differ'} (expected ${c.is ? 'the same' : 'a difference'})`, value: agree };
}

export function causalCheck(ctx: CheckContext, c: CheckOf<'causal'>): Verdict {
  const history = ctx.history(c.history);
  const ops = clientOps(history.events);
  const broken = sessionViolations(ops);
  const { held, expected } = withinBounds(broken.length, c);
  const first = broken[0];
  const t0 = runStart(ctx, ops);
  const words = { 'read-your-writes': 'its own write', 'monotonic-reads': 'what it had read before' } as const;
  const evidence = first
    ? `${plural(broken.length, 'read')} in ${history.name} went back in time for its own client${expected ? ` (${expected})` : ''}; e.g. client ${String(first.process)}: ${opText(first.read)} (${sinceStart(first.read.invokeMs, t0)}), after ${words[first.guarantee]}: ${opText(first.after)}`
    : `every client of ${history.name} saw its own writes and never went back in time${expected ? ` (${expected})` : ''}`;
  const count = (g: keyof typeof words): number => broken.filter((b) => b.guarantee === g).length;
  return { held, evidence, value: { count: broken.length, readYourWrites: count('read-your-writes'), monotonicReads: count('monotonic-reads') } };
}
