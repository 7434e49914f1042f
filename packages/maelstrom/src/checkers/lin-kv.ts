/**
 * lin-kv's checker (pure): the history, key by key, against a register that starts as null
 * (read answers it, write sets it, cas [from, to] happens only when it holds `from`), searched
 * for an order that respects real time: the checkers package's linearizability search and its
 * kv model (each key apart, as Porcupine does; the search is fed the shell's clock for its time
 * budget). Writes and cas's that may or may not have happened (`info`) may take effect at any time
 * after their invocation, or never; failed ones never did.
 *
 * Verdict: true when every key has such an order, false with the first key that has none and
 * the operation no order can place, 'unknown' when the budget ran out.
 */
import { checkLinearizable, type Operation } from '@faultline/checkers';
import type { HistoryEvent, MaelstromHistoryEvent } from '@faultline/protocol';
import { pairOps } from '../history/pair.js';
import { show } from '../json.js';
import { baseStats, preliminary, type BaseStats, type CheckOptions, type Verdict } from './verdict.js';

export interface LinKvStats extends BaseStats {
  /** Keys checked (each on its own). */
  readonly keys: number;
  /** Operations the search placed (failed ones and reads of unknown outcome drop out). */
  readonly searched: number;
}

const KV_FS = new Set(['read', 'write', 'cas']);

export function checkLinKv(history: readonly MaelstromHistoryEvent[], options: CheckOptions = {}): Verdict<LinKvStats> {
  const events = history.filter((e) => KV_FS.has(e.f));
  const { ops } = pairOps(events);
  const converted: HistoryEvent[] = events.map((e) => ({
    process: e.process,
    type: e.type,
    f: e.f as HistoryEvent['f'],
    ...(e.key === undefined ? {} : { key: e.key }),
    ...(e.value === undefined ? {} : { value: e.value }),
    time: e.time,
    ...(e.node === undefined ? {} : { node: e.node }),
  }));
  const result = checkLinearizable(converted, 'kv', { now: options.now ?? (() => 0), ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }) });
  const base = baseStats(ops);
  const stats: LinKvStats = { ...base, keys: 'partitions' in result ? result.partitions : 0, searched: 'operations' in result ? result.operations : 0 };
  const early = preliminary(ops, stats);
  if (early) return early;
  const origin = events.reduce((min, e) => Math.min(min, e.time), Infinity);
  switch (result.result) {
    case 'invalid':
      return { valid: 'unknown', reason: `the history itself is not well formed, so it cannot be checked: ${result.why}`, stats };
    case 'unknown':
      return { valid: 'unknown', reason: `the search for a linearizable order did not finish: ${result.why}`, stats };
    case 'linearizable':
      if (base.ok === 0) return { valid: false, reason: `none of the ${ops.length} operations succeeded`, stats };
      return { valid: true, reason: `every key's operations (${stats.keys} keys, ${stats.searched} operations) fit one order that respects real time: linearizable`, stats };
    case 'not': {
      const { key, prefix, stuck } = result.counterexample;
      const node = events[stuck.id]?.node;
      const whom = `${node ?? 'client'} (client ${String(stuck.process)})`;
      const when = `at ${((events[stuck.id].time - origin) / 1000).toFixed(3)} s`;
      const held = show(stateAfter(prefix));
      const found = `in the longest order consistent with real time that the search found, the key held ${held} just then`;
      const what =
        stuck.f === 'read'
          ? `${whom} read ${show(stuck.output)} from key ${key} ${when}, but no order of the operations that respects real time allows that read (${found}): a stale or invented read`
          : stuck.f === 'cas' && Array.isArray(stuck.input)
            ? `${whom}'s cas on key ${key} from ${show(stuck.input[0])} to ${show(stuck.input[1])} succeeded ${when}, but no order that respects real time has the key hold ${show(stuck.input[0])} then (${found})`
            : `${whom}'s ${stuck.f} ${show(stuck.input)} on key ${key} ${when} fits no order of the operations that respects real time (${found})`;
      return { valid: false, reason: `not linearizable: ${what}`, stats };
    }
  }
}

/** The register's value after operations applied in order (null at first). */
function stateAfter(ops: readonly Operation[]): unknown {
  let state: unknown = null;
  for (const op of ops) {
    if (op.f === 'write' || op.f === 'put') state = op.input;
    else if (op.f === 'cas' && Array.isArray(op.input)) state = (op.input as unknown[])[1];
  }
  return state;
}
