/**
 * Vector clocks (Fidge 1988, Mattern 1989): each node keeps one counter per node it has heard of.
 * Entry `vc[n]` says "how many events of node n are in my causal past". A timestamp is a plain
 * object `{ n1: 3, n2: 1 }`; a missing node counts 0, so `{ n1: 1 }` and `{ n1: 1, n2: 0 }` are
 * the same timestamp.
 *
 * The rules (the class `VectorClock` at the bottom applies them for one node):
 * - a local event or a send at node n: `vc[n] += 1` (`tick`); a send carries the new timestamp;
 * - a receive: take the pointwise max with the message's timestamp (`merge`), then tick.
 *
 * What it guarantees — the strong clock condition, for timestamps produced by these rules:
 *     e → f (e happened before f)  if and only if  vc(e) < vc(f)
 * where `a < b` means every entry of a is <= the one in b and at least one is smaller. So unlike
 * Lamport clocks, vector clocks *detect* concurrency: if neither is below the other, the events
 * are concurrent (`compare` says `'concurrent'`): no message chain connects them.
 *
 * What it cannot do: it says nothing about physical time (a concurrent pair may be hours apart or
 * simultaneous), it grows with the number of nodes (one entry each, forever, unless the system
 * prunes them, which loses the guarantee), and it is only as truthful as the nodes that apply the
 * rules: a node that forgets to merge breaks the "if" direction for everyone downstream.
 *
 * Everything here is immutable-friendly: the functions never change their arguments and return
 * new, frozen, normalised timestamps (zero entries dropped, keys in node order), so equal clocks
 * are `toEqual` and serialise to the same JSON whichever keys were missing.
 */
import { compareNodeIds } from './node-order.js';
import { assertCounter, assertNodeId } from './validate.js';

/** node id → number of that node's events in the causal past; a missing node counts 0. */
export type VectorTimestamp = Readonly<Record<string, number>>;

/** How two vector timestamps relate: a `'before'` b means a < b (a happened before b). */
export type VectorOrder = 'before' | 'after' | 'concurrent' | 'equal';

/** The checked, non-zero entries of a timestamp (own keys only: `constructor` is a fine node id). */
function entriesOf(vc: VectorTimestamp): [string, number][] {
  const out: [string, number][] = [];
  for (const [node, count] of Object.entries(vc)) {
    assertNodeId(node, 'a vector clock entry');
    assertCounter(count, `vector clock entry ${JSON.stringify(node)}`);
    if (count !== 0) out.push([node, count]);
  }
  return out;
}

/** Builds a frozen timestamp from entries: zeros dropped, keys sorted. */
function build(entries: Iterable<[string, number]>): VectorTimestamp {
  const kept = [...entries].filter(([, count]) => count !== 0).sort(([a], [b]) => compareNodeIds(a, b));
  // Object.fromEntries defines own properties, so even a node called "__proto__" is just a key.
  return Object.freeze(Object.fromEntries(kept));
}

/** `vc` with its zero entries dropped and keys in node order. Checks every entry. */
export function normalize(vc: VectorTimestamp): VectorTimestamp {
  return build(entriesOf(vc));
}

/** The entry for `node` (0 when missing). */
export function entry(vc: VectorTimestamp, node: string): number {
  return Object.hasOwn(vc, node) ? vc[node] : 0;
}

/** A local event or a send at `node`: a new timestamp with `node`'s entry one higher. */
export function tick(vc: VectorTimestamp, node: string): VectorTimestamp {
  assertNodeId(node, 'the ticking node');
  const map = new Map(entriesOf(vc));
  map.set(node, (map.get(node) ?? 0) + 1);
  return build(map);
}

/**
 * The pointwise max: the smallest timestamp that is >= both (their least upper bound).
 * Commutative, associative and idempotent, so merging in any order and any number of times
 * gives the same result: the property gossip protocols and CRDTs rely on.
 */
export function merge(a: VectorTimestamp, b: VectorTimestamp): VectorTimestamp {
  const map = new Map(entriesOf(a));
  for (const [node, count] of entriesOf(b)) map.set(node, Math.max(map.get(node) ?? 0, count));
  return build(map);
}

/**
 * How `a` relates to `b`:
 * - `'equal'`: every entry equal (missing counts 0);
 * - `'before'`: a <= b entrywise and a != b, i.e. a happened before b;
 * - `'after'`: b happened before a;
 * - `'concurrent'`: some entry of a is bigger and some smaller: neither saw the other.
 */
export function compare(a: VectorTimestamp, b: VectorTimestamp): VectorOrder {
  const left = new Map(entriesOf(a));
  const right = new Map(entriesOf(b));
  let aSmaller = false;
  let aBigger = false;
  for (const node of new Set([...left.keys(), ...right.keys()])) {
    const x = left.get(node) ?? 0;
    const y = right.get(node) ?? 0;
    if (x < y) aSmaller = true;
    else if (x > y) aBigger = true;
  }
  if (aSmaller && aBigger) return 'concurrent';
  if (aSmaller) return 'before';
  if (aBigger) return 'after';
  return 'equal';
}

/** a → b: `a` is strictly below `b` (a strict partial order: irreflexive, transitive). */
export function happenedBefore(a: VectorTimestamp, b: VectorTimestamp): boolean {
  return compare(a, b) === 'before';
}

/** Neither happened before the other, and they are not the same timestamp. */
export function concurrent(a: VectorTimestamp, b: VectorTimestamp): boolean {
  return compare(a, b) === 'concurrent';
}

/**
 * One node's vector clock: the rules above, applied in place. Every method returns the node's new
 * timestamp; timestamps are frozen, so one can go on a message or into a trace as it is.
 *
 * A node ticks on every event, so the common cases skip the sort that `tick` and `merge` do: the
 * current timestamp is already normalised, so once this node has an entry a tick only changes a
 * number in a copy, and a receive that brings no node this clock has not seen only raises numbers
 * (the keys, and so their order, stay). Anything else takes the general functions. The results are
 * the same either way (a property test checks it).
 */
export class VectorClock {
  private current: VectorTimestamp;

  constructor(
    readonly nodeId: string,
    initial: VectorTimestamp = {},
  ) {
    assertNodeId(nodeId, 'the vector clock owner');
    this.current = normalize(initial);
  }

  /** The timestamp of this node's latest event (`{}` before any event). */
  get value(): VectorTimestamp {
    return this.current;
  }

  /** A local event: this node's entry + 1. */
  tick(): VectorTimestamp {
    const own = this.nodeId;
    if (Object.hasOwn(this.current, own)) {
      const next: Record<string, number> = { ...this.current };
      next[own] += 1;
      this.current = Object.freeze(next);
    } else {
      this.current = tick(this.current, own);
    }
    return this.current;
  }

  /** A send is an event too: tick, and return the timestamp to stamp on the message. */
  send(): VectorTimestamp {
    return this.tick();
  }

  /** A receive of a message stamped `remote`: merge, then tick. */
  receive(remote: VectorTimestamp): VectorTimestamp {
    const own = this.nodeId;
    const cur = this.current;
    if (Object.hasOwn(cur, own)) {
      const next: Record<string, number> = { ...cur };
      let known = true;
      for (const node in remote) {
        if (!Object.hasOwn(remote, node)) continue;
        const count = remote[node];
        assertNodeId(node, 'a vector clock entry');
        if (!Number.isSafeInteger(count) || count < 0) assertCounter(count, `vector clock entry ${JSON.stringify(node)}`);
        if (count === 0) continue;
        if (!Object.hasOwn(cur, node)) {
          known = false;
          break;
        }
        if (count > next[node]) next[node] = count;
      }
      if (known) {
        next[own] += 1;
        this.current = Object.freeze(next);
        return this.current;
      }
    }
    this.current = tick(merge(cur, remote), own);
    return this.current;
  }
}
