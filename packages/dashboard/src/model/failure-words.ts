/**
 * Partial failure in words (pure): a suspicion beside the truth (`n1 suspected n3 after 412 ms
 * without a heartbeat; n3 was paused (right)`), how long it lasted, and two leaders at once.
 */
import { formatDuration, type LeaderOverlap, type Suspicion } from '@faultline/checkers';

const TRUTH_WORDS = { alive: 'was alive', paused: 'was paused', crashed: 'had crashed' } as const;

/** What the observer saw, then what was true, then the verdict. */
export function suspicionSentence(s: Suspicion): string {
  return `${s.observer} suspected ${s.peer} after ${Math.round(s.sinceMs)} ms without a heartbeat; ${s.peer} ${TRUTH_WORDS[s.truth]} (${s.right ? 'right' : 'wrong'})`;
}

/** How the suspicion ended: `trusted again 390ms later`, or still suspected. */
export function suspicionSpan(s: Suspicion): string {
  return s.endTrueMs === null ? `${s.peer} was still suspected at the end of the trace` : `${s.observer} trusted ${s.peer} again ${formatDuration(Math.round(s.endTrueMs - s.trueMs))} later`;
}

/** A false suspicion's lesson, or a right one's. */
export function suspicionMoral(s: Suspicion): string {
  return s.right
    ? `${s.peer} really was down: silence meant what the detector guessed.`
    : `${s.peer} was up all along: a cut link, a slow network or ${s.observer}'s own pause looks the same as a dead peer from where ${s.observer} stands.`;
}

/** `2 leaders at once from 12:00:03.512: n1 (term 1), n2 (term 2) (104ms with more than one in all)`, or undefined when never more than one led. */
export function overlapWarning(overlap: LeaderOverlap, clock: (ms: number) => string): string | undefined {
  if (overlap.max < 2 || overlap.first === null) return undefined;
  const who = overlap.first.leaders.map((l) => `${l.node} (term ${l.term})`).join(', ');
  const most = overlap.max > overlap.first.leaders.length ? `, up to ${overlap.max} at once` : '';
  return `${overlap.first.leaders.length} leaders at once from ${clock(overlap.first.atTrueMs)}: ${who} (${formatDuration(Math.round(overlap.overlapMs))} with more than one in all${most})`;
}
