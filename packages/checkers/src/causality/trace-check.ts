/**
 * A checker over a run's trace (pure): do the vector and Lamport clocks agree with what really
 * happened? Every receive must come after its send (send.vc < receive.vc, send.L < receive.L),
 * and each node's own events must move its clocks strictly forward (until it is revived, which
 * starts it again from zero). A violation means a clock implementation is wrong.
 */
import { compare } from '@faultline/clock';
import { isNodeEvent, type TraceLine } from '@faultline/protocol';

export interface TraceViolation {
  seq: number;
  problem: string;
}

type Stamped = TraceLine & { node: string; clocks: NonNullable<TraceLine['clocks']> };

export function checkCausality(lines: readonly TraceLine[]): TraceViolation[] {
  const violations: TraceViolation[] = [];
  const last = new Map<string, Stamped>();
  const sends = new Map<string, Stamped[]>();
  const events = lines.filter(isNodeEvent);
  for (const e of events) {
    if (e.kind === 'node_start') last.delete(e.node);
    const prev = last.get(e.node);
    if (prev) {
      if (!(prev.clocks.lamport < e.clocks.lamport)) violations.push({ seq: e.seq, problem: `${e.node}'s Lamport clock did not increase (${prev.clocks.lamport} at #${prev.seq}, then ${e.clocks.lamport})` });
      if (compare(prev.clocks.vc, e.clocks.vc) !== 'before') violations.push({ seq: e.seq, problem: `${e.node}'s vector clock did not move forward after #${prev.seq}` });
    }
    last.set(e.node, e);
    if (e.kind === 'send') {
      const key = `${e.node}:${e.msg}`;
      sends.set(key, [...(sends.get(key) ?? []), e]);
    }
  }
  for (const e of events) {
    if (e.kind !== 'receive') continue;
    const candidates = sends.get(`${e.from}:${e.msg}`) ?? [];
    if (candidates.length === 0) {
      violations.push({ seq: e.seq, problem: `${e.node} received ${e.msg} from ${e.from}, but the trace has no such send` });
      continue;
    }
    const ok = candidates.some((s) => compare(s.clocks.vc, e.clocks.vc) === 'before' && s.clocks.lamport < e.clocks.lamport);
    if (!ok) violations.push({ seq: e.seq, problem: `the receive of ${e.msg} at ${e.node} is not after its send by the clocks (send #${candidates.map((s) => s.seq).join('/#')})` });
  }
  return violations;
}
