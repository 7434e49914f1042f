/** What every check is given (pure data), and what it answers. */
import { lensOf, type LensEntry } from '@faultline/checkers';
import type { Check, CheckKind, HistoryEvent, NodeId, RpcResult, TraceLine, TraceMatch } from '@faultline/protocol';

/** One call a lesson made, by its name. */
export interface RpcRecord {
  readonly name: string;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msgType: string;
  readonly result: RpcResult;
}

/** One client request a lesson made on a node (`invoke`), by its name. */
export interface InvokeRecord {
  readonly name: string;
  readonly node: NodeId;
  readonly msgType: string;
  readonly body: Record<string, unknown>;
  readonly answer: Record<string, unknown>;
  /** The trace's last seq before the request: what it caused comes after. */
  readonly sinceSeq: number;
}

/** One row of a sweep: its value and the figure its measure read over that row's trace. */
export interface SweepRow {
  readonly value: string;
  /** The figure, or null when the measure had none (its evidence says why). */
  readonly figure: number | null;
  readonly evidence: string;
  /** The row's trace lines: after `sinceSeq`, up to `untilSeq`. */
  readonly sinceSeq: number;
  readonly untilSeq: number;
}

export interface SweepResult {
  readonly name: string;
  readonly label: string;
  readonly figure: string;
  readonly rows: SweepRow[];
}

/** What checks may read besides the trace, the calls and the appends. */
export interface CheckExtras {
  readonly invokes?: ReadonlyMap<string, InvokeRecord>;
  readonly sweeps?: readonly SweepResult[];
  /** The workloads' histories (`ops` steps), by name. */
  readonly histories?: ReadonlyMap<string, { readonly file: string; readonly events: readonly HistoryEvent[] }>;
  /** The run's trace file (for the `faultline order` line a check prints). */
  readonly traceFile?: string;
}

export interface CheckResult {
  /** The check's name in the lesson (or `<check> <n>`). */
  readonly name: string;
  readonly check: CheckKind;
  readonly held: boolean;
  /** Why it held or not, with this run's figures. */
  readonly evidence: string;
  /** The figure the check looked at (a count, a value, a log's length): `{{check.NAME}}` in the explanation. */
  readonly value?: unknown;
}

export class CheckContext {
  private readonly lenses = new Map<string, LensEntry | undefined>();

  constructor(
    readonly lines: readonly TraceLine[],
    readonly rpcs: ReadonlyMap<string, RpcRecord>,
    /** The items each `appends` workload sent, by `<from>><to>` (e.g. `n1>n2`), in order. */
    readonly sentItems: ReadonlyMap<string, readonly unknown[]>,
    readonly extras: CheckExtras = {},
  ) {}

  invoke(name: string): InvokeRecord {
    const record = this.extras.invokes?.get(name);
    if (!record) throw new Error(`no client request named ${name} was made in this run`);
    return record;
  }

  sweep(name: string): SweepResult {
    const sweep = this.extras.sweeps?.find((s) => s.name === name);
    if (!sweep) throw new Error(`no sweep named ${name} ran in this run`);
    return sweep;
  }

  /** The histories named, read as one: their events in true-time order (`file`: the first one's). */
  history(names: readonly string[]): { readonly name: string; readonly files: readonly string[]; readonly events: readonly HistoryEvent[] } {
    const found = names.map((name) => {
      const history = this.extras.histories?.get(name);
      if (!history) throw new Error(`no workload named ${name} ran in this run (an ops step's as)`);
      return history;
    });
    return { name: names.join(' + '), files: found.map((h) => h.file), events: mergeHistories(found.map((h) => h.events)) };
  }

  rpc(name: string): RpcRecord {
    const record = this.rpcs.get(name);
    if (!record) throw new Error(`no call named ${name} was made in this run`);
    return record;
  }

  lens(name: string): LensEntry | undefined {
    if (!this.lenses.has(name)) this.lenses.set(name, lensOf(this.lines, this.rpc(name)));
    return this.lenses.get(name);
  }
}

/** Several histories read as one: their events in true-time order (ties: in the order given). */
export function mergeHistories(histories: readonly (readonly HistoryEvent[])[]): readonly HistoryEvent[] {
  if (histories.length === 1) return histories[0];
  return histories
    .flat()
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.time ?? 0) - (b.e.time ?? 0) || a.i - b.i)
    .map(({ e }) => e);
}

export type CheckOf<K extends CheckKind> = Extract<Check, { check: K }>;
export type Verdict = Omit<CheckResult, 'name' | 'check'>;

/** Every field of `match` equals the line's field of the same name. */
export function matchesLine(line: TraceLine, match: TraceMatch): boolean {
  const fields = line as unknown as Record<string, unknown>;
  for (const [key, want] of Object.entries(match)) {
    if (want === undefined) continue;
    const got = fields[key];
    if (typeof got !== 'string' && typeof got !== 'number' && typeof got !== 'boolean') return false;
    if (String(got) !== String(want)) return false;
  }
  return true;
}

/** `kind receive, node n2, msgType work` */
export function describeMatch(match: TraceMatch): string {
  return Object.entries(match)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}
