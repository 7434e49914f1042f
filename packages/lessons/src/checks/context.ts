/** What every check is given (pure data), and what it answers. */
import { lensOf, type LensEntry } from '@faultline/checkers';
import type { Check, CheckKind, NodeId, RpcResult, TraceLine, TraceMatch } from '@faultline/protocol';

/** One call a lesson made, by its name. */
export interface RpcRecord {
  readonly name: string;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msgType: string;
  readonly result: RpcResult;
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
  ) {}

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
