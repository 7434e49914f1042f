/**
 * Messages that a clock says arrived no later than they left (pure). A message is a `send` line
 * matched to its `receive` line by sender and message id; it breaks a clock when, by that clock,
 * the receive is not after the send:
 *
 * - `wall`: receive.wallMs < send.wallMs, by the receiver's and the sender's own wall clocks: the
 *   message arrived before it left (a receiver whose clock runs behind). Equal readings are no break;
 * - `lamport`: receive.lamport ≤ send.lamport;
 * - `hlc`: receive.hlc ≤ send.hlc, comparing (wallMs, logical) in that order;
 * - `vector`: compare(send.vc, receive.vc) is not `before`.
 *
 * Lamport, HLC and vector clocks are built never to break (a break means a clock implementation is
 * wrong, as `checkCausality` reports); wall clocks break whenever the skew between two nodes is
 * larger than a message's trip. Each message is reported once, at its first receive that breaks
 * (a duplicated message is received twice). Sends with no receive, and receives of a send not in
 * the trace, are not messages here. Heartbeats are left out unless `heartbeats` is set.
 */
import { compare, compareHlc } from '@faultline/clock';
import { isNodeEvent, type NodeId, type TraceLine, type ClockStamp } from '@faultline/protocol';
import { isHeartbeat } from '../words/trace-words.js';

export const CLOCK_NAMES = ['wall', 'lamport', 'hlc', 'vector'] as const;
export type ClockName = (typeof CLOCK_NAMES)[number];

/** A clock's reading on one line: ms (`wall`), a count (`lamport`), `{wallMs, logical}` (`hlc`), a vector. */
export type ClockReading = number | ClockStamp['hlc'] | ClockStamp['vc'];

export interface ClockBreak {
  readonly msg: string;
  readonly msgType: string;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly sendSeq: number;
  readonly receiveSeq: number;
  /** The clock's reading at the send, and at the receive. */
  readonly sent: ClockReading;
  readonly received: ClockReading;
  /**
   * By how much the receive is not after the send: send − receive, in ms for `wall` and `hlc`
   * (their wallMs; 0 for an HLC tie broken the wrong way by `logical`), in ticks for `lamport`
   * (0: equal), null for `vector`.
   */
  readonly by: number | null;
}

type Stamped = TraceLine & { node: string; clocks: ClockStamp };

const READ: Record<ClockName, (c: ClockStamp) => ClockReading> = {
  wall: (c) => c.wallMs,
  lamport: (c) => c.lamport,
  hlc: (c) => c.hlc,
  vector: (c) => c.vc,
};

/** Whether a receive stamped `r` breaks `clock` for a send stamped `s`, and by how much. */
function breakOf(clock: ClockName, s: ClockStamp, r: ClockStamp): { by: number | null } | undefined {
  switch (clock) {
    case 'wall':
      return r.wallMs < s.wallMs ? { by: s.wallMs - r.wallMs } : undefined;
    case 'lamport':
      return r.lamport <= s.lamport ? { by: s.lamport - r.lamport } : undefined;
    case 'hlc':
      return compareHlc(r.hlc, s.hlc) <= 0 ? { by: s.hlc.wallMs - r.hlc.wallMs } : undefined;
    case 'vector':
      return compare(s.vc, r.vc) !== 'before' ? { by: null } : undefined;
  }
}

/** Every message whose receive is not after its send by `clock`, in the order they were received. */
export function causalityBreaks(lines: readonly TraceLine[], clock: ClockName, options: { heartbeats?: boolean } = {}): ClockBreak[] {
  const counted = (line: TraceLine): line is Stamped => isNodeEvent(line) && (options.heartbeats === true || !isHeartbeat(line));
  const sends = new Map<string, Stamped>();
  for (const line of lines) if (line.kind === 'send' && counted(line)) sends.set(`${line.node}\u0000${line.msg}`, line);
  const breaks = new Map<string, ClockBreak>();
  const read = READ[clock];
  for (const line of lines) {
    if (line.kind !== 'receive' || !counted(line)) continue;
    const key = `${line.from}\u0000${line.msg}`;
    const send = sends.get(key);
    if (!send || breaks.has(key)) continue;
    const broken = breakOf(clock, send.clocks, line.clocks);
    if (broken) breaks.set(key, { msg: line.msg, msgType: line.msgType, from: line.from, to: line.node, sendSeq: send.seq, receiveSeq: line.seq, sent: read(send.clocks), received: read(line.clocks), by: broken.by });
  }
  return [...breaks.values()];
}
