/**
 * Hand-made histories: one line an operation, `op(process, f, start, end, …)`, made into invoke
 * and completion events. `end` null: never completed.
 */
import type { MaelstromHistoryEvent, MaelstromNemesisOp, MaelstromOpError, MaelstromOpName } from '@faultline/protocol';

export interface OpSpec {
  readonly type?: 'ok' | 'fail' | 'info';
  /** The invocation's value (what was asked). */
  readonly value?: unknown;
  /** The completion's value (what was answered; defaults to the invocation's). */
  readonly out?: unknown;
  readonly node?: string;
  readonly key?: string | number;
  readonly final?: boolean;
  readonly error?: MaelstromOpError;
}

export type Op = [process: number, f: MaelstromOpName, start: number, end: number | null, spec?: OpSpec];

export function history(...ops: Op[]): MaelstromHistoryEvent[] {
  const events: MaelstromHistoryEvent[] = [];
  for (const [process, f, start, end, spec = {}] of ops) {
    const common = {
      process,
      f,
      ...(spec.key === undefined ? {} : { key: spec.key }),
      ...(spec.node === undefined ? {} : { node: spec.node }),
      ...(spec.final ? { final: true } : {}),
    };
    events.push({ ...common, type: 'invoke', time: start, ...(spec.value === undefined ? {} : { value: spec.value }) });
    if (end === null) continue;
    const out = spec.out ?? spec.value;
    events.push({ ...common, type: spec.type ?? 'ok', time: end, ...(out === undefined ? {} : { value: out }), ...(spec.error ? { error: spec.error } : {}) });
  }
  return events.sort((a, b) => a.time - b.time);
}

/** A nemesis operation as the shell records it (Jepsen's way): two `info` events of process `nemesis`, as it begins and once done. */
export function nemesis(f: MaelstromNemesisOp, value: unknown, start: number, end = start): MaelstromHistoryEvent[] {
  return [
    { process: 'nemesis', type: 'info', f, value, time: start },
    { process: 'nemesis', type: 'info', f, value, time: end },
  ];
}

/** Events of several sources as one history, in time order. */
export function merged(...parts: MaelstromHistoryEvent[][]): MaelstromHistoryEvent[] {
  return parts.flat().sort((a, b) => a.time - b.time);
}
