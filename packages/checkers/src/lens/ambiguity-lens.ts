/**
 * The ambiguity lens (pure): for every attempt of an RPC that timed out, what the sender could
 * observe (the same timeout, every time) beside what really happened, read from the god's-eye
 * trace: the request dropped, held or lost on the link; the receiver paused, or killed before or
 * after processing it; the reply dropped, held, lost, or arriving late.
 *
 * "Processed" means the receiver's behaviour traced a `state` event for the request (a service's
 * `processed`, a counter's new value) or answered it.
 */
import type { NodeId, RpcResult, TraceLine } from '@faultline/protocol';
import { formatDuration } from '../words/time.js';
import { cutInForce, firstOf, linesOf, linkName, proxyActions, type LineOf } from './trace-index.js';

export const TRUTHS = [
  'request_dropped',
  'request_malformed',
  'request_held',
  'request_lost',
  'receiver_paused',
  'crashed_before_processing',
  'crashed_after_processing',
  'not_answered',
  'reply_dropped',
  'reply_held',
  'reply_lost',
  'reply_late',
] as const;
export type Truth = (typeof TRUTHS)[number];

/** A few words for each truth, for tables. */
export const TRUTH_LABEL: Record<Truth, string> = {
  request_dropped: 'request dropped on the link',
  request_malformed: 'request refused as malformed',
  request_held: 'request held on the link',
  request_lost: 'request never arrived',
  receiver_paused: 'receiver paused',
  crashed_before_processing: 'receiver crashed before processing',
  crashed_after_processing: 'receiver crashed after processing',
  not_answered: 'received, never answered',
  reply_dropped: 'processed, reply dropped',
  reply_held: 'processed, reply still held',
  reply_lost: 'processed, reply never arrived',
  reply_late: 'processed, reply arrived late',
};

export interface AttemptTruth {
  readonly requestId: string;
  readonly attempt: number;
  readonly truth: Truth;
  /** What really happened, in a sentence with this run's figures. */
  readonly story: string;
  /** The trace lines that show it (their seq). */
  readonly evidence: number[];
}

export interface LensCall {
  /** The call's name in a lesson, or its first request id. */
  readonly name: string;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msgType: string;
  readonly result: RpcResult;
}

export interface LensEntry {
  readonly rpc: string;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msgType: string;
  readonly outcome: RpcResult['outcome'];
  /** What the sender saw of each timed-out attempt: the same words whatever happened. */
  readonly senderSaw: string;
  /** The attempts that timed out, each with what really happened. */
  readonly attempts: AttemptTruth[];
}

const after = (base: { trueMs: number }, line: { trueMs: number }): string => `+${formatDuration(Math.max(0, line.trueMs - base.trueMs))}`;

/** The lens of one call: undefined when no attempt of it timed out. */
export function lensOf(lines: readonly TraceLine[], call: LensCall): LensEntry | undefined {
  const timeouts = linesOf(lines, 'rpc_timeout', (l) => l.node === call.from && call.result.requestIds.includes(l.msg));
  if (timeouts.length === 0) return undefined;
  const timeoutMs = timeouts[0].timeoutMs;
  return {
    rpc: call.name,
    from: call.from,
    to: call.to,
    msgType: call.msgType,
    outcome: call.result.outcome,
    senderSaw: `no reply within ${formatDuration(timeoutMs)}`,
    attempts: timeouts.map((t) => ({ ...truthOf(lines, t.msg, call.from, call.to), attempt: t.attempt })),
  };
}

/** What really happened to request `requestId` from `from` to `to` (it timed out at `from`). */
export function truthOf(lines: readonly TraceLine[], requestId: string, from: NodeId, to: NodeId): Omit<AttemptTruth, 'attempt'> {
  const result = (truth: Truth, story: string, evidence: (TraceLine | undefined)[]): Omit<AttemptTruth, 'attempt'> => ({
    requestId,
    truth,
    story,
    evidence: evidence.filter((l): l is TraceLine => l !== undefined).map((l) => l.seq),
  });
  const sent = firstOf(lines, 'send', (l) => l.node === from && l.msg === requestId);
  const timeout = firstOf(lines, 'rpc_timeout', (l) => l.node === from && l.msg === requestId);
  const base = sent ?? timeout ?? lines[0];
  const received = firstOf(lines, 'receive', (l) => l.node === to && l.msg === requestId);
  const forward = linkName(from, to);
  const back = linkName(to, from);
  const pause = firstOf(lines, 'pause', (l) => l.node === to && l.trueMs >= base.trueMs - 1 && (timeout === undefined || l.trueMs <= timeout.trueMs));
  const pausedBefore = lastBefore(lines, to, base);
  // Only what the receiver went through before the sender gave up can explain the silence.
  const deadline = timeout?.trueMs ?? Number.POSITIVE_INFINITY;

  if (!received) {
    const actions = proxyActions(lines, requestId);
    const dropped = actions.find((a) => a.action === 'dropped');
    if (dropped?.reason === 'cut') {
      // The proxy says so itself; the fault line, if the trace has it, only names the cut.
      const cut = sent ? cutInForce(lines, forward, sent.seq) : undefined;
      return result('request_lost', `the link ${from}→${to} was cut${cut ? ` (${cut.fault})` : ''}: the proxy swallowed the request (${after(base, dropped)}); ${to} never saw it`, [sent, cut, dropped, timeout]);
    }
    if (dropped) return result('request_dropped', `the proxy dropped the request on the link ${from}→${to} (${after(base, dropped)}); ${to} never saw it`, [sent, dropped, timeout]);
    const malformed = firstOf(lines, 'malformed', (l) => l.node === to && l.msg === requestId);
    if (malformed) return result('request_malformed', `${to} got it (${after(base, malformed)}) but refused it as malformed (${malformed.error}); it was never handled`, [sent, malformed, timeout]);
    const held = actions.find((a) => a.action === 'held');
    if (held) {
      const released = actions.find((a) => a.action === 'released');
      const tail = released ? `, and let it go only ${after(base, released)} after it was sent` : ' and still holds it';
      return result('request_held', `the proxy held the request on the link ${from}→${to}${tail}`, [sent, held, released, timeout]);
    }
    if (pause ?? pausedBefore) return result('receiver_paused', `${to} was paused (SIGSTOP): alive, connected, but reading nothing`, [sent, pause ?? pausedBefore, timeout]);
    const cut = sent ? cutInForce(lines, forward, sent.seq) : undefined;
    if (cut) return result('request_lost', `the link ${from}→${to} was cut (${cut.fault}): the request vanished and nothing reported it`, [sent, cut, timeout]);
    return result('request_lost', `the request never reached ${to}: no receive of it anywhere in the trace`, [sent, timeout]);
  }

  // Paused before it read the request (already, or after it was sent): it read it only once resumed.
  const pausedFirst = pausedBefore ?? (pause && pause.trueMs <= received.trueMs ? pause : undefined);
  if (pausedFirst) return result('receiver_paused', `${to} was paused (SIGSTOP) and read the request only when it was resumed (${after(base, received)})`, [sent, pausedFirst, received, timeout]);

  const replies = linesOf(lines, 'send', (l) => l.node === to && l.replyTo === requestId);
  const processed = firstOf(lines, 'state', (l) => l.node === to && l.msg === requestId);
  if (replies.length === 0) {
    const died = (l: TraceLine): boolean => l.node === to && l.trueMs >= received.trueMs && l.trueMs <= deadline;
    const crash = firstOf(lines, 'crash', died) ?? firstOf(lines, 'exit', died);
    if (crash && processed) {
      return result('crashed_after_processing', `${to} got it (${after(base, received)}), processed it (${after(base, processed)}), then was killed (${after(base, crash)}) before it replied`, [sent, received, processed, crash, timeout]);
    }
    if (crash) {
      return result('crashed_before_processing', `${to} got it (${after(base, received)}) and was killed (${after(base, crash)}) before it had processed it: the work was never done`, [sent, received, crash, timeout]);
    }
    return result('not_answered', `${to} got it (${after(base, received)}) and has not answered it`, [sent, received, processed, timeout]);
  }

  const reply = replies[0];
  const done = processed ? `processed it (${after(base, processed)})` : `got it (${after(base, received)})`;
  const late = firstOf(lines, 'late_reply', (l) => l.node === from && l.replyTo === requestId);
  const actions = proxyActions(lines, reply.msg);
  const held = actions.find((a) => a.action === 'held');
  const released = actions.find((a) => a.action === 'released');
  if (late) {
    const how = held ? `the proxy held the reply on the link ${to}→${from} until it was released; it` : 'the reply';
    return result('reply_late', `${to} ${done} and replied (${after(base, reply)}); ${how} arrived ${formatDuration(late.lateByMs)} after the timeout`, [sent, received, processed, reply, held, late]);
  }
  const dropped = actions.find((a) => a.action === 'dropped');
  if (dropped?.reason === 'cut') {
    const cut = cutInForce(lines, back, reply.seq);
    return result('reply_lost', `${to} ${done} and replied; the link ${to}→${from} was cut${cut ? ` (${cut.fault})` : ''}: the proxy swallowed the reply (${after(base, dropped)})`, [sent, received, processed, reply, cut, dropped, timeout]);
  }
  if (dropped) return result('reply_dropped', `${to} ${done} and replied; the proxy dropped the reply on the link ${to}→${from} (${after(base, dropped)})`, [sent, received, processed, reply, dropped, timeout]);
  if (held && !released) return result('reply_held', `${to} ${done} and replied; the reply is still held on the link ${to}→${from}`, [sent, received, processed, reply, held, timeout]);
  const cut = cutInForce(lines, back, reply.seq);
  if (cut) return result('reply_lost', `${to} ${done} and replied; the link ${to}→${from} was cut (${cut.fault}) and the reply vanished`, [sent, received, processed, reply, cut, timeout]);
  return result('reply_lost', `${to} ${done} and replied (${after(base, reply)}); the reply never reached ${from}`, [sent, received, processed, reply, timeout]);
}

/** A pause of `node` before `base` with no resume between: the node was already stopped. */
function lastBefore(lines: readonly TraceLine[], node: NodeId, base: { seq: number; trueMs: number }): LineOf<'pause'> | undefined {
  let paused: LineOf<'pause'> | undefined;
  for (const l of lines) {
    if (l.trueMs > base.trueMs) break;
    if (l.node !== node) continue;
    if (l.kind === 'pause') paused = l;
    if (l.kind === 'resume' || l.kind === 'crash' || l.kind === 'revive') paused = undefined;
  }
  return paused;
}
