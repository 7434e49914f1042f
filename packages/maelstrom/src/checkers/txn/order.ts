/**
 * Each key's version order, and the anomalies of reads against it (pure). Lists only grow, so
 * every read of a key must be a prefix of the longest one; the longest read is then the key's
 * order of appends (as far as anyone saw it). Over the reads of `ok` transactions:
 * - incompatible-order: a read that is not a prefix of the longest (the key's order is then
 *   unknown, and the key is left out of the dependency graph);
 * - garbage-read: an element nobody appended; aborted-read (G1a): an element whose txn
 *   certainly failed;
 * - intermediate-read (G1b): a read ending at an element its txn followed with more appends to
 *   the same key (another transaction saw it half done);
 * - lost-append: an acknowledged append missing from a read that began after it was
 *   acknowledged, and from the longest read too; stale-read: missing from such a read though a
 *   longer read has it. Both break strict serializability (real-time order), which is what
 *   Maelstrom checks by default; a merely serializable store may do the second.
 */
import { txnName, pairKey, type Anomaly, type Appenders, type Txn } from './txns.js';

export interface KeyRead {
  readonly txn: Txn;
  readonly list: readonly string[];
}

export interface KeyOrder {
  /** The elements in the order appended (the longest read). */
  readonly order: readonly string[];
  readonly reads: readonly KeyRead[];
}

const isPrefix = (a: readonly string[], b: readonly string[]): boolean => a.length <= b.length && a.every((x, i) => x === b[i]);
const shown = (list: readonly string[]): string => `[${list.join(', ')}]`;

/** The version order of every key whose reads agree (key → order); anomalies found go to `anomalies`. */
export function versionOrders(txns: readonly Txn[], appended: Appenders, originMs: number, anomalies: Anomaly[]): Map<string, KeyOrder> {
  const readsByKey = new Map<string, KeyRead[]>();
  for (const txn of txns) {
    if (!txn.readable) continue;
    for (const m of txn.micro) if (m.f === 'r') readsByKey.set(m.key, [...(readsByKey.get(m.key) ?? []), { txn, list: m.read! }]);
  }
  const orders = new Map<string, KeyOrder>();
  for (const [key, reads] of readsByKey) {
    const longest = reads.reduce((a, b) => (b.list.length > a.list.length ? b : a));
    const clash = reads.find((r) => !isPrefix(r.list, longest.list));
    if (clash) {
      anomalies.push({ kind: 'incompatible-order', text: `${txnName(clash.txn, originMs)} read key ${key} as ${shown(clash.list)} and ${txnName(longest.txn, originMs)} as ${shown(longest.list)}: the same list cannot have grown into both` });
    }
    const elements = appended.byKey.get(key);
    const judged = new Set<string>();
    for (const read of reads) {
      for (const element of read.list) {
        if (judged.has(element) || appended.ambiguous.has(pairKey(key, element))) continue;
        judged.add(element);
        const by = elements?.get(element);
        if (!by) anomalies.push({ kind: 'garbage-read', text: `${txnName(read.txn, originMs)} read ${element} in key ${key}, but no transaction ever appended it there` });
        else if (by.txn.op.type === 'fail') anomalies.push({ kind: 'aborted-read', text: `${txnName(read.txn, originMs)} read ${element} in key ${key}, appended by ${txnName(by.txn, originMs)}, which certainly failed (${by.txn.op.error?.name ?? 'fail'})` });
      }
      const last = read.list[read.list.length - 1];
      const by = last === undefined ? undefined : elements?.get(last);
      if (by && by.txn !== read.txn) {
        const theirs = by.txn.micro.filter((m) => m.f === 'append' && m.key === key).map((m) => m.element!);
        if (by.nth < theirs.length - 1) anomalies.push({ kind: 'intermediate-read', text: `${txnName(read.txn, originMs)} read key ${key} as ${shown(read.list)}: it saw ${last} but not ${theirs[by.nth + 1]}, both appended by ${txnName(by.txn, originMs)} (half a transaction)` });
      }
    }
    const sets = reads.map((r) => ({ read: r, has: new Set(r.list) }));
    const inLongest = new Set(longest.list);
    for (const [element, by] of elements ?? []) {
      if (by.txn.op.type !== 'ok' || by.txn.op.endMs === null) continue;
      const after = sets.find(({ read, has }) => read.txn !== by.txn && read.txn.op.invokeMs > by.txn.op.endMs! && !has.has(element));
      if (!after) continue;
      const words = `${txnName(by.txn, originMs)} appended ${element} to key ${key} and was acknowledged, but ${txnName(after.read.txn, originMs)}, which began after that, read ${shown(after.read.list)}`;
      if (!inLongest.has(element)) anomalies.push({ kind: 'lost-append', text: `${words}, and no read ever saw it` });
      else anomalies.push({ kind: 'stale-read', text: `${words} (a later read has it)` });
    }
    if (!clash) orders.set(key, { order: longest.list, reads });
  }
  return orders;
}
