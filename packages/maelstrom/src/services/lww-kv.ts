/**
 * lww-kv: an eventually consistent, last-writer-wins key-value store, pathological on purpose.
 * Same API as lin-kv (kv-store.ts, `create_if_not_exists` included), but `replicas` independent
 * copies (default 2, as Maelstrom's code; its docs say 5) each answer on their own.
 *
 * Each replica has a Lamport clock; a write (or a successful cas) on a replica stamps the value
 * with the clock, then advances it. Replicas gossip: merging replica A into B keeps, per key, the
 * entry with the higher stamp (on a tie, A's: "any write wins"), and B's clock becomes the larger
 * of the two. On each request (seeded PRNG) one replica is merged into another, then a replica
 * drawn uniformly answers. The shell may also call `lwwKvGossip` on a timer.
 *
 * So reads may be stale, a client may read a value and then an older one, a cas may succeed on a
 * stale copy, and acknowledged writes may be lost when a concurrent write with a higher stamp
 * wins. (Maelstrom's code, as read, draws the merge but keeps the replicas unmerged; this keeps
 * the merge, as its documentation describes.)
 */
import type { Rng } from '@faultline/random';
import { kvStep, type KvEntry, type KvMap } from './kv-store.js';
import type { Service } from './service.js';

export interface LwwEntry extends KvEntry {
  /** The writing replica's Lamport clock when it wrote. */
  readonly ts: number;
}

export interface LwwReplica {
  readonly clock: number;
  readonly map: KvMap<LwwEntry>;
}

export interface LwwKvState {
  readonly replicas: readonly LwwReplica[];
}

/** `from` merged into `into`: per key the higher stamp (a tie: `from`'s), clocks the larger. */
export function mergeReplicas(from: LwwReplica, into: LwwReplica): LwwReplica {
  const map = new Map(into.map);
  for (const [k, theirs] of from.map) {
    const mine = map.get(k);
    if (!mine || theirs.ts >= mine.ts) map.set(k, theirs);
  }
  return { clock: Math.max(from.clock, into.clock), map };
}

/** One round of gossip: a replica drawn uniformly merged into another (maybe itself: nothing happens). */
export function lwwKvGossip(state: LwwKvState, rng: Rng): LwwKvState {
  const n = state.replicas.length;
  const from = rng.int(n);
  const into = rng.int(n);
  if (from === into) return state;
  const replicas = [...state.replicas];
  replicas[into] = mergeReplicas(state.replicas[from], state.replicas[into]);
  return { replicas };
}

export const lwwKvService: Service<LwwKvState> = {
  name: 'lww-kv',
  doc: 'an eventually consistent last-writer-wins key-value store: independent replicas, stale reads, lost writes',
  init: (options = {}) => ({ replicas: Array.from({ length: Math.max(1, options.replicas ?? 2) }, () => ({ clock: 0, map: new Map<string, LwwEntry>() })) }),
  handle(state, request, { rng }) {
    const gossiped = lwwKvGossip(state, rng);
    const i = rng.int(gossiped.replicas.length);
    const replica = gossiped.replicas[i];
    const step = kvStep(replica.map, request, (key, value) => ({ key, value, ts: replica.clock }), 'lww-kv');
    if (!step.changed) return { state: gossiped, reply: step.reply };
    const replicas = [...gossiped.replicas];
    replicas[i] = { clock: replica.clock + 1, map: step.map };
    return { state: { replicas }, reply: step.reply };
  },
};
