/**
 * Is a trace, as written, a linear extension of happened-before? (pure). The lab promises that the
 * trace file and every view of it list an event only after everything that happened before it:
 *
 * - seq numbers follow the file: 1, 2, 3, … with no gap;
 * - a receive comes after a send of its message (and the trace has one, unless its sender's
 *   process ended, killed or exited, before its report could leave);
 * - each node's own events come in its own order: its Lamport clock and vector clock move strictly
 *   forward from one of its lines to the next (a `node_start` begins a new life from zero);
 * - a node line's vector clock is covered by the lines before it: for every other node k, its
 *   `vc[k]` is at most the highest `vc[k]` seen so far (k's events it has heard of are written),
 *   unless k's process ended before it could report them.
 *
 * Unlike `checkCausality` (are the clocks right?), this checks the order of the file.
 */
import { compare } from '@faultline/clock';
import { isNodeEvent, type TraceLine } from '@faultline/protocol';
import type { TraceViolation } from './trace-check.js';

export function checkTraceOrder(lines: readonly TraceLine[]): TraceViolation[] {
  const violations: TraceViolation[] = [];
  const ended = new Set(lines.filter((l) => (l.kind === 'crash' || l.kind === 'exit') && l.node !== undefined).map((l) => l.node!));
  const sendsSoFar = new Set<string>();
  const allSends = new Set<string>();
  for (const l of lines) if (l.kind === 'send' && l.node !== undefined) allSends.add(`${l.node}\u0000${l.msg}`);
  const last = new Map<string, TraceLine & { clocks: NonNullable<TraceLine['clocks']> }>();
  const join = new Map<string, number>();
  lines.forEach((line, i) => {
    const at = (problem: string) => violations.push({ seq: line.seq, problem });
    if (line.seq !== i + 1) at(`line ${i + 1} of the file has seq ${line.seq}`);
    if (!isNodeEvent(line)) return;
    const { node, clocks } = line;
    if (line.kind === 'receive') {
      const key = `${line.from}\u0000${line.msg}`;
      if (!sendsSoFar.has(key)) {
        if (allSends.has(key)) at(`${node} received ${line.msg} before ${line.from}'s send of it`);
        else if (!ended.has(line.from)) at(`${node} received ${line.msg}, but ${line.from}, still alive, never sent it`);
      }
    }
    if (line.kind === 'node_start') last.delete(node);
    const prev = last.get(node);
    if (prev) {
      if (!(prev.clocks.lamport < clocks.lamport)) at(`${node}'s Lamport clock went from ${prev.clocks.lamport} (#${prev.seq}) to ${clocks.lamport}`);
      if (compare(prev.clocks.vc, clocks.vc) !== 'before') at(`${node}'s vector clock did not move forward after #${prev.seq}`);
    }
    for (const [k, count] of Object.entries(clocks.vc)) {
      if (k === node || ended.has(k)) continue;
      if (count > (join.get(k) ?? 0)) at(`${node} has seen ${count} events of ${k}, but only ${join.get(k) ?? 0} are before it`);
    }
    for (const [k, count] of Object.entries(clocks.vc)) if (count > (join.get(k) ?? 0)) join.set(k, count);
    last.set(node, line);
    if (line.kind === 'send') sendsSoFar.add(`${node}\u0000${line.msg}`);
  });
  return violations;
}
