/**
 * seq-kv: a sequentially consistent key-value store, as Maelstrom's: same API as lin-kv
 * (kv-store.ts), weaker promise. All operations fit one total order, and each client (a request's
 * `src`) moves only forward in it, but a client may be served a past state.
 *
 * The service keeps the last `history` states (default 32), numbered; each client has the number
 * of the latest state it has seen (0 at first). A request is tried on a state drawn uniformly
 * (seeded PRNG) between the client's and the newest:
 * - if it changes nothing there (a read, a failing cas, a write of the value already held), it
 *   is answered from that state, and the client has now seen that one: stale reads, but never
 *   older than what this client saw before;
 * - otherwise it is applied to the newest state, making a new one, which the client has now seen.
 *   An update never goes into the past; so a write of the value the key held in a past state
 *   may be answered from that state (it is ordered then), which the order permits.
 * So a client reads its own writes and never goes back in time, but two clients may disagree
 * about the present, and a value written by one may stay unseen by another for a while (until
 * the other updates, or the draw reaches the newer state).
 */
import { kvStep, type KvEntry, type KvMap } from './kv-store.js';
import type { Service } from './service.js';

export interface SeqKvState {
  /** The kept states, oldest first; the last is the newest. */
  readonly states: readonly KvMap[];
  /** The number of the newest state (the first state is 0). */
  readonly newest: number;
  /** For each client, the number of the latest state it has seen. */
  readonly seen: ReadonlyMap<string, number>;
  /** How many states are kept. */
  readonly keep: number;
}

const entry = (key: unknown, value: unknown): KvEntry => ({ key, value });

export const seqKvService: Service<SeqKvState> = {
  name: 'seq-kv',
  doc: 'a sequentially consistent key-value store: one order of operations, each client forward in it, possibly behind the others',
  init: (options = {}) => ({ states: [new Map()], newest: 0, seen: new Map(), keep: Math.max(1, options.history ?? 32) }),
  handle(state, request, { rng }) {
    const client = request.src;
    const oldest = state.newest - state.states.length + 1;
    const from = Math.max(state.seen.get(client) ?? 0, oldest);
    const index = from + rng.int(state.newest - from + 1);
    const tried = kvStep(state.states[index - oldest], request, entry, 'seq-kv');
    const seen = new Map(state.seen);
    if (!tried.changed) {
      seen.set(client, index);
      return { state: { ...state, seen }, reply: tried.reply };
    }
    const step = kvStep(state.states[state.states.length - 1], request, entry, 'seq-kv');
    if (!step.changed) {
      seen.set(client, state.newest);
      return { state: { ...state, seen }, reply: step.reply };
    }
    const newest = state.newest + 1;
    seen.set(client, newest);
    return { state: { ...state, states: [...state.states, step.map].slice(-state.keep), newest, seen }, reply: step.reply };
  },
};
