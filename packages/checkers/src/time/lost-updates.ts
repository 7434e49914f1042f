/**
 * Lost updates of a replicated register (pure): the writes some replica threw away (`discard`) or
 * replaced (an `overwrite` that beat it) in favour of a write made EARLIER in true time, the
 * god's-eye view no node has. Last-writer-wins by skewed wall clocks loses writes this way: a node
 * whose clock runs behind stamps its later write below an earlier one.
 *
 * True time is each write's origin: the true time of its `write` line. Each lost write counts once,
 * at the first decision in the trace that lost it to an earlier write (for a `discard` with several
 * others, the first of them made earlier). `causallyAfter` says whether the lost write had even
 * seen the winner (the winner's vector clock is before its own): a client read the winner, then
 * wrote, and its write was still thrown away. Writes with no `write` line in the trace (no origin
 * time) are neither winners nor losers here.
 */
import { compare } from '@faultline/clock';
import type { TraceLine } from '@faultline/protocol';
import { historyOf, type RegisterDecisionRecord, type RegisterWriteRecord } from './register-history.js';
import { registerLines } from './register-lines.js';

export interface LostUpdate {
  /** The write that lost. */
  readonly write: RegisterWriteRecord;
  /** The write it lost to, made earlier in true time. */
  readonly winner: RegisterWriteRecord;
  /** How much later in true time the lost write was made than the winner (ms, > 0). */
  readonly laterByMs: number;
  /** Whether the lost write was also causally after the winner (winner's vector clock before its own). */
  readonly causallyAfter: boolean;
  /** The first decision that lost it: a `discard` of it, or an `overwrite` by the winner. */
  readonly decision: RegisterDecisionRecord;
}

/** The writes (on `key`, when given) lost to a write made earlier in true time, in the order they were lost. */
export function lostUpdates(lines: readonly TraceLine[], options: { key?: string } = {}): LostUpdate[] {
  const scan = registerLines(lines, options.key);
  const history = historyOf(scan);
  const lost = new Map<number, LostUpdate>();
  let d = -1;
  const record = (loser: number | undefined, winner: number | undefined, decision: RegisterDecisionRecord): boolean => {
    if (loser === undefined || winner === undefined || lost.has(loser)) return false;
    const l = history.writes[loser];
    const w = history.writes[winner];
    if (!(w.trueMs < l.trueMs)) return false;
    lost.set(loser, { write: l, winner: w, laterByMs: l.trueMs - w.trueMs, causallyAfter: compare(w.stamp.vc, l.stamp.vc) === 'before', decision });
    return true;
  };
  for (const e of scan.events) {
    if (e.type !== 'decision') continue;
    const decision = history.decisions[++d];
    if (e.kind === 'discard') e.others.some((o) => record(e.write.ref, o.ref, decision));
    else if (e.kind === 'overwrite') for (const o of e.others) record(o.ref, e.write.ref, decision);
  }
  return [...lost.values()];
}
