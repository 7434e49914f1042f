/**
 * Checks over what the clocks did (pure, over the trace; the figures come from `@faultline/checkers`):
 * writes lost to earlier ones, what a register copy holds, what happened first, messages that
 * arrived "before" they left by some clock, how far an HLC ran ahead, sync estimates against the
 * true offset. A write or request is named as the lesson named its invoke.
 */
import { relative } from 'node:path';
import { compare } from '@faultline/clock';
import { causalityBreaks, clockTime, formatDuration, hlcGap, lostUpdates, registerHistory, siblings, skewBound, syncRounds, syncSummary, type RegisterWriteRecord } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';
import { withinBounds } from './bounds.js';
import type { CheckContext, CheckOf, Verdict } from './context.js';

const CLOCK_WORDS = { wall: 'the wall clocks', lamport: 'the Lamport clocks', hlc: 'the hybrid clocks (HLC)', vector: 'the vector clocks' } as const;
/** ` (expected ≥ 1)`, or nothing when no bound is given. */
const paren = (expected: string): string => (expected ? ` (${expected})` : '');
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The lesson's name of a write (its invoke's `as`), else its id. */
function writeName(ctx: CheckContext, id: string): string {
  for (const r of ctx.extras.invokes?.values() ?? []) if (r.msgType === 'write' && r.answer.id === id) return r.name;
  return id;
}

/** The id of the write a named invoke made. */
function writeId(ctx: CheckContext, name: string): string {
  const id = ctx.invoke(name).answer.id;
  if (typeof id !== 'string') throw new Error(`${name} made no write (its answer has no id)`);
  return id;
}

/** Values as a person reads them: `first`, or `from-n1 and from-n3`. */
function valuesText(values: readonly unknown[]): string {
  return values.length === 0 ? 'nothing' : values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' and ');
}

/** How far behind the winner's stamp the loser's was, by the resolution its decision used (ms, or ticks). */
function stampBehind(loser: RegisterWriteRecord, winner: RegisterWriteRecord, resolution: string): number {
  if (resolution === 'lamport') return winner.stamp.lamport - loser.stamp.lamport;
  if (resolution === 'hlc') return winner.stamp.hlc.wallMs - loser.stamp.hlc.wallMs;
  return winner.stamp.wallMs - loser.stamp.wallMs;
}

export function lostUpdatesCheck(ctx: CheckContext, c: CheckOf<'lost_updates'>): Verdict {
  const lost = lostUpdates(ctx.lines, c.key === undefined ? {} : { key: c.key });
  const writes = registerHistory(ctx.lines, c.key === undefined ? {} : { key: c.key }).writes.length;
  const { held, expected } = withinBounds(lost.length, c);
  const first = lost[0];
  const on = c.key === undefined ? '' : ` to ${c.key}`;
  const evidence =
    first === undefined
      ? `no write${on} was lost to an earlier one (${plural(writes, 'write')}${expected ? `; ${expected}` : ''})`
      : `${plural(lost.length, 'write')} of ${writes}${on} lost to one made earlier${paren(expected)}; e.g. ${writeName(ctx, first.write.id)} (${first.write.node}, made ${formatDuration(first.laterByMs)} after ${writeName(ctx, first.winner.id)}${first.causallyAfter ? ', and after seeing it' : ''}) lost to ${writeName(ctx, first.winner.id)} (${first.winner.node}): its stamp ${clockTime(first.write.stamp.wallMs)} on ${first.write.node}'s clock against ${clockTime(first.winner.stamp.wallMs)}`;
  const value = {
    count: lost.length,
    writes,
    causallyAfter: lost.filter((l) => l.causallyAfter).length,
    ...(first ? { laterByMs: Math.round(first.laterByMs), stampBehindMs: Math.round(stampBehind(first.write, first.winner, first.decision.resolution)) } : {}),
  };
  return { held, evidence, value };
}

export function registerCheck(ctx: CheckContext, c: CheckOf<'register'>): Verdict {
  const holding = siblings(ctx.lines, { node: c.node, key: c.key });
  const names = holding.ids.map((id) => writeName(ctx, id));
  let held = true;
  const wants: string[] = [];
  if (c.count !== undefined) {
    wants.push(plural(c.count, 'value'));
    held &&= holding.ids.length === c.count;
  }
  if (c.holds !== undefined) {
    wants.push(c.holds);
    held &&= holding.ids.includes(writeId(ctx, c.holds));
  }
  const shown = holding.ids.length === 0 ? 'nothing' : holding.ids.map((id, i) => `${names[i]} (${JSON.stringify(holding.values[i])})`).join(' and ');
  const evidence = `${c.node} holds ${c.key} = ${shown}${holding.ids.length > 1 ? `: ${holding.ids.length} siblings` : ''}${wants.length ? ` (expected ${wants.join(', ')})` : ''}`;
  return { held, evidence, value: { count: holding.ids.length, values: valuesText(holding.values), writes: names.join(' and ') || 'none' } };
}

/** `npx faultline order A B --trace FILE`, with the file as short as it can be written. */
function orderCommand(ctx: CheckContext, a: number, b: number): string {
  const file = ctx.extras.traceFile;
  if (file === undefined) return `npx faultline order ${a} ${b}`;
  const rel = relative(process.cwd(), file);
  return `npx faultline order ${a} ${b} --trace ${rel !== '' && !rel.startsWith('..') ? rel : file}`;
}

export function orderCheck(ctx: CheckContext, c: CheckOf<'order'>): Verdict {
  const writes = registerHistory(ctx.lines).writes;
  const [wa, wb] = [c.a, c.b].map((name) => {
    const id = writeId(ctx, name);
    const w = writes.find((x) => x.id === id);
    if (!w) throw new Error(`the trace has no write line for ${name} (${id})`);
    return w;
  });
  const vc = compare(wa.stamp.vc, wb.stamp.vc);
  const order = vc === 'equal' ? 'the same event' : vc === 'concurrent' ? 'concurrent' : vc === 'before' ? 'before' : 'after';
  const command = orderCommand(ctx, wa.seq, wb.seq);
  const sentence = vc === 'concurrent' ? `${c.a} (#${wa.seq}) and ${c.b} (#${wb.seq}) are concurrent` : `${c.a} (#${wa.seq}) happened ${order} ${c.b} (#${wb.seq})`;
  // The command goes in the value, not the evidence: folded into a paragraph it could not be pasted.
  return { held: order === c.is, evidence: `${sentence} by their vector clocks (expected ${c.is})`, value: { order, a: wa.seq, b: wb.seq, command } };
}

export function clockOrderCheck(ctx: CheckContext, c: CheckOf<'clock_order'>): Verdict {
  const breaks = causalityBreaks(ctx.lines, c.clock);
  const messages = ctx.lines.filter((l: TraceLine) => l.kind === 'receive' && l.msgType !== 'heartbeat').length;
  const { held, expected } = withinBounds(breaks.length, c);
  const first = breaks[0];
  const example = first ? `; e.g. ${first.msg} ${first.from}→${first.to} (#${first.sendSeq} → #${first.receiveSeq})` : '';
  return { held, evidence: `${plural(breaks.length, 'message')} of ${messages} received not after being sent, by ${CLOCK_WORDS[c.clock]}${paren(expected)}${example}`, value: breaks.length };
}

export function hlcGapCheck(ctx: CheckContext, c: CheckOf<'hlc_gap'>): Verdict {
  const gap = hlcGap(ctx.lines, { node: c.node });
  const bound = skewBound(ctx.lines);
  if (!gap || !bound) return { held: false, evidence: `${c.node} reported no events to read its clocks from` };
  const range = withinBounds(gap.gapMs, c);
  const inside = gap.gapMs <= bound.epsilonMs;
  const held = range.held && (c.within_bound === undefined || inside === c.within_bound);
  const evidence = `${c.node}'s HLC ran up to ${formatDuration(gap.gapMs)} ahead of its own wall clock (#${gap.seq}${range.expected ? `; ${range.expected} ms` : ''}); the largest disagreement between two wall clocks was ${formatDuration(bound.epsilonMs)} (${bound.ahead.node} ahead, ${bound.behind.node} behind), so the gap is ${inside ? 'within' : 'beyond'} that bound${c.within_bound === undefined ? '' : ` (expected ${c.within_bound ? 'within' : 'beyond'})`}`;
  return { held, evidence, value: { gapMs: Math.round(gap.gapMs), boundMs: Math.round(bound.epsilonMs) } };
}

export function syncCheck(ctx: CheckContext, c: CheckOf<'sync'>): Verdict {
  const asked = ctx.invoke(c.rounds);
  const done = ctx.lines.find((l) => l.seq > asked.sinceSeq && l.kind === 'state' && l.node === asked.node && l.key === 'sync_done');
  const rounds = syncRounds(ctx.lines, { node: asked.node }).filter((r) => r.seq > asked.sinceSeq && (done === undefined || r.seq < done.seq));
  const s = syncSummary(rounds);
  if (s.medianAbsErrorMs === null) return { held: false, evidence: `${c.rounds}: ${plural(s.rounds, 'round')} on ${asked.node}, none with a true offset to compare (was a reply lost?)` };
  // The figures of one round, the one with the median error, so that they tell one story.
  const measured = rounds.filter((r) => r.errorMs !== null).sort((a, b) => Math.abs(a.errorMs!) - Math.abs(b.errorMs!));
  const typical = measured[(measured.length - 1) >> 1];
  const value = {
    rounds: s.rounds,
    round: typical.round + 1,
    estimateMs: Math.round(typical.estimateMs),
    trueOffsetMs: Math.round(typical.trueOffsetMs!),
    errorMs: Math.round(Math.abs(typical.errorMs!)),
    boundMs: Math.round(typical.boundMs),
    rttMs: Math.round(typical.rttMs),
    withinBound: s.allWithinBound === true,
  };
  const range = withinBounds(Math.abs(typical.errorMs!), c);
  const held = range.held && (c.within_bound === undefined || value.withinBound === c.within_bound);
  const evidence = `${c.rounds}: ${plural(s.rounds, 'round')} on ${asked.node}; the one with the median error, round ${value.round}: estimate ${value.estimateMs} ms against a true offset of ${value.trueOffsetMs} ms, error ${value.errorMs} ms${paren(range.expected ? `${range.expected} ms` : '')}, round trip ${value.rttMs} ms, claimed bound ±${value.boundMs} ms; ${value.withinBound ? 'every' : 'not every'} error within its bound${c.within_bound === undefined ? '' : ` (expected ${c.within_bound ? 'every' : 'not every'})`}`;
  return { held, evidence, value };
}
