/** Questions asked of a trace (pure): filters, and which lines belong to one RPC. */
import type { NodeId, TraceLine } from '@faultline/protocol';

export interface TraceFilter {
  /** Only lines after this seq. */
  since?: number;
  /** Only lines about this node. */
  node?: NodeId;
  /** Only these kinds of event (`send`, `receive`, `proxy`, `crash`, …). */
  kinds?: readonly string[];
  /** Only lines whose `msg`, `replyTo` or `retryOf` is one of these message ids. */
  msgs?: readonly string[];
}

function field(line: TraceLine, key: 'msg' | 'replyTo' | 'retryOf'): string | undefined {
  const value = (line as Record<string, unknown>)[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export function matchesTrace(line: TraceLine, filter: TraceFilter): boolean {
  if (filter.since !== undefined && line.seq <= filter.since) return false;
  if (filter.node !== undefined && line.node !== filter.node) return false;
  if (filter.kinds !== undefined && !filter.kinds.includes(line.kind)) return false;
  if (filter.msgs !== undefined) {
    const ids = new Set(filter.msgs);
    const refs = [field(line, 'msg'), field(line, 'replyTo'), field(line, 'retryOf')];
    if (!refs.some((r) => r !== undefined && ids.has(r))) return false;
  }
  return true;
}

/**
 * The lines about an RPC whose attempts sent `requestIds`: each request's send, receive, timeout,
 * retry and proxy actions, and the same for every reply to them (a reply's own id is picked up
 * from the lines whose `replyTo` names a request, so a dropped reply shows too); in true-time order.
 */
export function relatedToRequests(lines: readonly TraceLine[], requestIds: readonly string[]): TraceLine[] {
  const requests = new Set(requestIds);
  const replies = new Set<string>();
  for (const line of lines) {
    const replyTo = field(line, 'replyTo');
    const msg = field(line, 'msg');
    if (replyTo !== undefined && requests.has(replyTo) && msg !== undefined) replies.add(msg);
  }
  const related = lines.filter((line) => {
    const msg = field(line, 'msg');
    const replyTo = field(line, 'replyTo');
    const retryOf = field(line, 'retryOf');
    return (
      (msg !== undefined && (requests.has(msg) || replies.has(msg))) ||
      (replyTo !== undefined && requests.has(replyTo)) ||
      (retryOf !== undefined && requests.has(retryOf))
    );
  });
  return byTrueTime(related);
}

/**
 * Lines in true-time order (seq breaks ties). Seq is the order lines reached the lab, and lines
 * come from different nodes over different connections: a receive can arrive before its send.
 */
export function byTrueTime(lines: readonly TraceLine[]): TraceLine[] {
  return [...lines].sort((a, b) => a.trueMs - b.trueMs || a.seq - b.seq);
}
