/**
 * txn-list-append's operations read for checking (pure): each transaction's micro-operations
 * (as answered for an `ok`, as sent otherwise), keys and elements as canonical JSON text, and who
 * appended what. An answer that is not the transaction sent (another length, another operation
 * or key at some position, an append's element changed) is an anomaly of its own, and its reads
 * are not used.
 */
import { MAELSTROM_RPCS } from '@faultline/protocol';
import type { PairedOp } from '../../history/pair.js';
import { jsonKey, show } from '../../json.js';
import { at, who } from '../verdict.js';

export interface Micro {
  readonly f: 'r' | 'append';
  /** The key as canonical JSON. */
  readonly key: string;
  /** A read: the elements seen (canonical JSON; [] for null); an append: its element. */
  readonly read?: readonly string[];
  readonly element?: string;
}

export interface Txn {
  readonly op: PairedOp;
  readonly micro: readonly Micro[];
  /** Its reads can be used (an `ok` txn answered in the right shape). */
  readonly readable: boolean;
}

export interface Appender {
  readonly txn: Txn;
  /** Which of the txn's appends to that key this is (0 for the first). */
  readonly nth: number;
}

export interface Anomaly {
  readonly kind: AnomalyKind;
  /** One sentence, for a student. */
  readonly text: string;
}

/** From the most to the least basic; the verdict's reason names the first kind found. */
export const ANOMALY_KINDS = [
  'malformed-txn',
  'internal',
  'duplicate-elements',
  'garbage-read',
  'aborted-read',
  'intermediate-read',
  'incompatible-order',
  'G0',
  'G1c',
  'G-single',
  'G2',
  'lost-append',
  'stale-read',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

const requestOps = MAELSTROM_RPCS.txn.request.shape.txn;
const resultOps = MAELSTROM_RPCS.txn.response.shape.txn;

function microOf(raw: readonly (readonly unknown[])[]): Micro[] {
  return raw.map(([f, k, v]) =>
    f === 'r' ? { f: 'r', key: jsonKey(k), read: Array.isArray(v) ? (v as unknown[]).map(jsonKey) : [] } : { f: 'append', key: jsonKey(k), element: jsonKey(v) },
  );
}

export function txnName(txn: Txn, originMs: number): string {
  return `${who(txn.op)}'s txn ${at(txn.op.invokeMs, originMs)}`;
}

export function readTxns(ops: readonly PairedOp[], originMs: number, anomalies: Anomaly[]): Txn[] {
  const txns: Txn[] = [];
  for (const op of ops) {
    const sent = requestOps.safeParse(op.input);
    if (!sent.success) continue;
    const asked = microOf(sent.data);
    if (op.type !== 'ok') {
      txns.push({ op, micro: asked, readable: false });
      continue;
    }
    const answered = resultOps.safeParse(op.output);
    const micro = answered.success ? microOf(answered.data) : [];
    const same =
      answered.success &&
      micro.length === asked.length &&
      micro.every((m, i) => m.f === asked[i].f && m.key === asked[i].key && m.element === asked[i].element);
    if (!same) {
      anomalies.push({ kind: 'malformed-txn', text: `${who(op)} answered the txn sent ${at(op.invokeMs, originMs)}, ${show(op.input)}, with ${show(op.output)}: not the same operations` });
      txns.push({ op, micro: asked, readable: false });
      continue;
    }
    txns.push({ op, micro, readable: true });
  }
  return txns;
}

export interface Appenders {
  /** key → element → who appended it. */
  readonly byKey: ReadonlyMap<string, ReadonlyMap<string, Appender>>;
  /** `key element` pairs appended more than once (the workload never does): never judged. */
  readonly ambiguous: ReadonlySet<string>;
}

export const pairKey = (key: string, element: string): string => `${key} ${element}`;

/** Who appended each element to each key. */
export function appenders(txns: readonly Txn[]): Appenders {
  const byKey = new Map<string, Map<string, Appender>>();
  const ambiguous = new Set<string>();
  for (const txn of txns) {
    const counts = new Map<string, number>();
    for (const m of txn.micro) {
      if (m.f !== 'append') continue;
      const nth = counts.get(m.key) ?? 0;
      counts.set(m.key, nth + 1);
      const elements = byKey.get(m.key) ?? new Map<string, Appender>();
      byKey.set(m.key, elements);
      if (elements.has(m.element!)) ambiguous.add(pairKey(m.key, m.element!));
      else elements.set(m.element!, { txn, nth });
    }
  }
  for (const pair of ambiguous) for (const [key, elements] of byKey) for (const element of elements.keys()) if (pairKey(key, element) === pair) elements.delete(element);
  return { byKey, ambiguous };
}
