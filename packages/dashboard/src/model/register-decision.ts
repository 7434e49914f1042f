/**
 * A register's decision in words (pure), for the selected-event panel: which write won and which
 * were thrown away (or, with vector clocks, kept side by side as siblings), each with its node, its
 * value and the stamp the resolution compared: wall time, Lamport, HLC or vector clock. Beside each
 * stamp, when the trace holds the write's own `write` line, the true time it was made: what no node
 * could see, and what shows a write thrown away although it came later.
 */
import { clockTime, vectorText } from '@faultline/checkers';
import { isNodeEvent, registerDecisionSchema, type RegisterDecisionKind, type RegisterResolution, type RegisterWrite, type TraceLine } from '@faultline/protocol';
import { hlcText } from './event-clocks.js';

/** What became of a write in this decision. */
export type WriteRole = 'won' | 'discarded' | 'sibling';

export interface DecisionWrite {
  readonly role: WriteRole;
  readonly id: string;
  readonly node: string;
  readonly value: string;
  /** The stamp the resolution compared, in words (`wall 12:00:01.120`, `Lamport 14` …). */
  readonly stamp: string;
  /** True time at its origin (ms), when its `write` line is in the trace. */
  readonly trueMs?: number;
}

export interface DecisionView {
  readonly kind: RegisterDecisionKind;
  readonly node: string;
  readonly key: string;
  readonly resolution: RegisterResolution;
  /** One plain sentence: what the replica did and by which clock. */
  readonly summary: string;
  /** The decided write first, then the others. */
  readonly writes: readonly DecisionWrite[];
}

const RESOLUTION_WORDS: Record<RegisterResolution, string> = { wall: 'wall-clock stamps', lamport: 'Lamport stamps', hlc: 'hybrid (HLC) stamps', vector: 'vector clocks' };

/** The stamp `resolution` compares, in words. */
export function stampText(write: RegisterWrite, resolution: RegisterResolution): string {
  const s = write.stamp;
  if (resolution === 'lamport') return `Lamport ${s.lamport}`;
  if (resolution === 'hlc') return `HLC ${hlcText(s.hlc)}`;
  if (resolution === 'vector') return `vector ${vectorText(s.vc)}`;
  return `wall ${clockTime(s.wallMs)}`;
}

/** When a write was made in true time: its `write` line's, found by id and stamp (ids repeat across a node's lives). */
export type OriginOf = (write: RegisterWrite) => number | undefined;

/** Finds writes' origins among `lines` (the register's `write` lines; other lines are passed over). */
export function originFinder(lines: readonly TraceLine[]): OriginOf {
  return (w) => {
    for (const l of lines) {
      if (!isNodeEvent(l) || l.kind !== 'state' || l.behaviour !== 'register' || l.key !== 'write' || l.node !== w.node) continue;
      const v = l.value as { id?: unknown } | null;
      if (v?.id === w.id && l.clocks.lamport === w.stamp.lamport && l.clocks.wallMs === w.stamp.wallMs) return l.trueMs;
    }
    return undefined;
  };
}

const valueText = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

function summaryOf(kind: RegisterDecisionKind, node: string, key: string, resolution: RegisterResolution, write: RegisterWrite, others: readonly RegisterWrite[]): string {
  const how = RESOLUTION_WORDS[resolution];
  const ids = others.map((w) => w.id).join(', ');
  switch (kind) {
    case 'apply':
      return `${node} held no value for ${key}: it took ${write.id}.`;
    case 'overwrite':
      return `${node} compared ${how}: ${write.id} won and replaced ${ids}, which ${node} threw away.`;
    case 'discard':
      return `${node} compared ${how}: ${write.id} lost to ${ids}, which ${node} kept; ${write.id} was thrown away.`;
    case 'sibling':
      return `${node} compared ${how}: ${write.id} and ${ids} are concurrent (neither happened before the other), so ${node} keeps them side by side.`;
  }
}

/** The decision a register's `apply`, `overwrite`, `discard` or `sibling` line records; undefined for any other line. */
export function registerDecisionView(line: TraceLine, originOf: OriginOf = () => undefined): DecisionView | undefined {
  if (!isNodeEvent(line) || line.kind !== 'state' || line.behaviour !== 'register') return undefined;
  if (line.key !== 'apply' && line.key !== 'overwrite' && line.key !== 'discard' && line.key !== 'sibling') return undefined;
  const parsed = registerDecisionSchema.safeParse(line.value);
  if (!parsed.success) return undefined;
  const { key, resolution, write, others } = parsed.data;
  const kind: RegisterDecisionKind = line.key;
  const [mine, theirs]: [WriteRole, WriteRole] = kind === 'discard' ? ['discarded', 'won'] : kind === 'sibling' ? ['sibling', 'sibling'] : ['won', 'discarded'];
  const row = (w: RegisterWrite, role: WriteRole): DecisionWrite => {
    const trueMs = originOf(w);
    return { role, id: w.id, node: w.node, value: valueText(w.value), stamp: stampText(w, resolution), ...(trueMs === undefined ? {} : { trueMs }) };
  };
  return { kind, node: line.node, key, resolution, summary: summaryOf(kind, line.node, key, resolution, write, others), writes: [row(write, mine), ...others.map((o) => row(o, theirs))] };
}
