/**
 * Anomalies inside one transaction (pure), over the `ok` transactions answered in the right shape:
 * - internal: a read disagrees with what the transaction itself did before it. After a read of
 *   a key and its own appends, a later read of that key must be exactly that list; after appends
 *   with no read before, a read must end with them (a transaction sees its own writes);
 * - duplicate-elements: a read lists an element twice (each is appended once per key).
 */
import { txnName, type Anomaly, type Txn } from './txns.js';

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const endsWith = (list: readonly string[], tail: readonly string[]): boolean => tail.length <= list.length && same(list.slice(list.length - tail.length), tail);
const shown = (list: readonly string[]): string => `[${list.join(', ')}]`;

export function internalAnomalies(txns: readonly Txn[], originMs: number): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const txn of txns) {
    if (!txn.readable) continue;
    const known = new Map<string, string[]>();
    const pending = new Map<string, string[]>();
    for (const m of txn.micro) {
      if (m.f === 'append') {
        const list = known.get(m.key) ?? pending.get(m.key) ?? [];
        list.push(m.element!);
        if (known.has(m.key)) known.set(m.key, list);
        else pending.set(m.key, list);
        continue;
      }
      const read = m.read!;
      if (new Set(read).size !== read.length) anomalies.push({ kind: 'duplicate-elements', text: `${txnName(txn, originMs)} read key ${m.key} as ${shown(read)}: an element twice, though each is appended once` });
      const expected = known.get(m.key);
      const own = pending.get(m.key) ?? [];
      if (expected && !same(read, expected)) {
        anomalies.push({ kind: 'internal', text: `${txnName(txn, originMs)} read key ${m.key} as ${shown(read)}, but from its own earlier read and appends it should have been ${shown(expected)}` });
      } else if (!expected && !endsWith(read, own)) {
        anomalies.push({ kind: 'internal', text: `${txnName(txn, originMs)} appended ${own.join(', ')} to key ${m.key} and then read it as ${shown(read)}: a transaction must see its own appends` });
      }
      known.set(m.key, [...read]);
      pending.delete(m.key);
    }
  }
  return anomalies;
}
