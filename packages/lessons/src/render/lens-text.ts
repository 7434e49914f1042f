/**
 * The ambiguity lens in words (pure): for each timed-out attempt, what the sender saw beside what
 * really happened.
 *
 *   call  request  n1 saw                    what really happened
 *   A     n1-7     no reply within 1s        the proxy dropped the request on the link n1→n2 (+0.4ms); n2 never saw it
 */
import type { LensEntry } from '@faultline/checkers';

export interface LensRow {
  readonly call: string;
  readonly request: string;
  readonly senderSaw: string;
  readonly truth: string;
  readonly story: string;
  readonly evidence: string;
}

export function lensRows(entries: readonly LensEntry[]): LensRow[] {
  return entries.flatMap((e) =>
    e.attempts.map((a) => ({
      call: e.attempts.length > 1 ? `${e.rpc} #${a.attempt}` : e.rpc,
      request: a.requestId,
      senderSaw: `${e.from}: ${e.senderSaw}`,
      truth: a.truth,
      story: a.story,
      evidence: a.evidence.map((s) => `#${s}`).join(' '),
    })),
  );
}

/** Plain text columns (the CLI draws a table instead when it can). */
export function lensText(entries: readonly LensEntry[]): string[] {
  const rows = lensRows(entries);
  if (rows.length === 0) return ['(no call timed out)'];
  const head = { call: 'call', request: 'request', senderSaw: 'what the sender saw', story: 'what really happened (trace)' };
  const w = {
    call: Math.max(head.call.length, ...rows.map((r) => r.call.length)),
    request: Math.max(head.request.length, ...rows.map((r) => r.request.length)),
    senderSaw: Math.max(head.senderSaw.length, ...rows.map((r) => r.senderSaw.length)),
  };
  const line = (r: { call: string; request: string; senderSaw: string; story: string }): string =>
    `${r.call.padEnd(w.call)}  ${r.request.padEnd(w.request)}  ${r.senderSaw.padEnd(w.senderSaw)}  ${r.story}`;
  return [line(head), ...rows.map(line)];
}
