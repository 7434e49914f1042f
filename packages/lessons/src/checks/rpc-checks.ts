/** Checks on what the sender of a call saw: its outcome, its reply, and whether calls looked alike. */
import { formatDuration } from '@faultline/checkers';
import type { CheckContext, CheckOf, RpcRecord, Verdict } from './context.js';

function saw(r: RpcRecord): string {
  const attempts = `${r.result.attempts} attempt${r.result.attempts > 1 ? 's' : ''}`;
  return `${r.result.outcome} after ${formatDuration(Math.round(r.result.elapsedMs))}, ${attempts}`;
}

export function rpcOutcome(ctx: CheckContext, c: CheckOf<'rpc_outcome'>): Verdict {
  const records = c.rpcs.map((n) => ctx.rpc(n));
  const wrong = records.filter((r) => r.result.outcome !== c.outcome);
  return {
    held: wrong.length === 0,
    evidence: records.map((r) => `${r.name}: ${saw(r)}`).join('; '),
    value: records.map((r) => r.result.outcome).join(', '),
  };
}

export function sameSenderView(ctx: CheckContext, c: CheckOf<'same_sender_view'>): Verdict {
  const records = c.rpcs.map((n) => ctx.rpc(n));
  const view = (r: RpcRecord): string => `${r.result.outcome}/${r.result.attempts}`;
  const same = records.every((r) => view(r) === view(records[0]));
  return {
    held: same,
    evidence: `${records[0].from} saw ${records.map((r) => `${r.name}: ${saw(r)}`).join('; ')}${same ? ' (the same each time)' : ''}`,
    value: saw(records[0]),
  };
}

function contains(got: unknown, want: unknown): boolean {
  if (want === null || typeof want !== 'object') return JSON.stringify(got) === JSON.stringify(want);
  if (got === null || typeof got !== 'object') return false;
  return Object.entries(want as Record<string, unknown>).every(([k, v]) => contains((got as Record<string, unknown>)[k], v));
}

export function rpcReply(ctx: CheckContext, c: CheckOf<'rpc_reply'>): Verdict {
  const r = ctx.rpc(c.rpc);
  const body = r.result.reply?.body;
  if (body === undefined) return { held: false, evidence: `${r.name} got no reply (${saw(r)})` };
  return { held: contains(body, c.body), evidence: `${r.name}'s reply: ${r.result.reply!.type} ${JSON.stringify(body)}`, value: body };
}
