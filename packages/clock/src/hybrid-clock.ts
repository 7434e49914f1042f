/**
 * Hybrid logical clocks (Kulkarni, Demirbas et al., "Logical Physical Clocks",
 * OPODIS 2014). A timestamp is a pair `{ wallMs, logical }`, the paper's (l, c):
 * - `wallMs` (l) is the largest physical clock reading this node has heard of, directly or
 *   through messages: it looks like a wall time and stays close to one;
 * - `logical` (c) counts events that share the same l, to keep causality when physical time
 *   stands still or lags behind.
 * Timestamps compare lexicographically: first l, then c (`compareHlc`).
 *
 * Physical time comes in as an argument. In faultline a node passes its own `SkewedClock`
 * reading, so every node's HLC runs on that node's (possibly wrong) idea of the time.
 *
 * The algorithm, exactly as in the paper (pt is the physical reading at the event):
 *
 *     send or local event          receive of message m stamped (l.m, c.m)
 *     l' := l                      l' := l
 *     l  := max(l', pt)            l  := max(l', l.m, pt)
 *     if l = l' then c := c + 1    if l = l' = l.m then c := max(c, c.m) + 1
 *     else c := 0                  else if l = l' then c := c + 1
 *                                  else if l = l.m then c := c.m + 1
 *                                  else c := 0
 *
 * What it guarantees (the paper's theorems; the tests check each over random executions):
 * 1. l never goes backwards at a node, and each event's timestamp is strictly larger than the
 *    node's previous one, even if the physical clock is stepped back.
 * 2. Causality, like Lamport: if e → f (e happened before f) then hlc(e) < hlc(f).
 * 3. l is never behind the node's own physical clock: l ≥ pt at every event.
 * 4. l is never far ahead of it: l − pt ≤ ε, where ε bounds the skew between any two nodes'
 *    physical clocks at the same true instant, provided physical clocks never step backwards.
 *    Why: l at event f is the reading pt.g of some event g with g = f or g → f (max only copies
 *    readings around). g happened no later than f in true time, so g's node read at most pt.g
 *    again at f's instant (its clock does not go back), and at that instant it was at most ε
 *    ahead of f's node. One node with a clock far ahead therefore drags every l ahead by as much:
 *    the bound is only as good as the worst clock.
 * 5. c stays small: c.f ≤ the number of events g → f with l.g = l.f; and if every node's physical
 *    clock advances at least 1 between two of its events, c ≤ N · (ε + 1) for N nodes.
 *
 * What it cannot do: like Lamport clocks it cannot detect concurrency (concurrent events still
 * compare as before or after), two nodes can produce equal timestamps (break ties with the node
 * id for a total order), and bound 4 is only as true as the skew bound: nothing here measures or
 * enforces ε.
 */
import { assertCounter, assertEpochMs } from './validate.js';

/** An HLC timestamp: `wallMs` is the paper's l (ms since the epoch), `logical` its c. */
export interface HlcTimestamp {
  readonly wallMs: number;
  readonly logical: number;
}

/** Lexicographic order on (l, c): -1 if a < b, 0 if equal, 1 if a > b. */
export function compareHlc(a: HlcTimestamp, b: HlcTimestamp): -1 | 0 | 1 {
  if (a.wallMs !== b.wallMs) return a.wallMs < b.wallMs ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  return 0;
}

function assertHlc(ts: HlcTimestamp, what: string): void {
  assertEpochMs(ts.wallMs, `${what}.wallMs`);
  assertCounter(ts.logical, `${what}.logical`);
}

export class HybridClock {
  /** l: the largest physical reading known. */
  private l: number;
  /** c: events since l last changed. */
  private c: number;

  /** A clock starting at `initial`; the paper starts at l = 0, c = 0. */
  constructor(initial: HlcTimestamp = { wallMs: 0, logical: 0 }) {
    assertHlc(initial, 'the initial timestamp');
    this.l = initial.wallMs;
    this.c = initial.logical;
  }

  /** The timestamp of this node's latest event. */
  get value(): HlcTimestamp {
    return { wallMs: this.l, logical: this.c };
  }

  /** A local or send event at physical reading `physicalMs`; returns its timestamp. */
  now(physicalMs: number): HlcTimestamp {
    assertEpochMs(physicalMs, 'physicalMs');
    const previousL = this.l;
    this.l = Math.max(previousL, physicalMs);
    this.c = this.l === previousL ? this.c + 1 : 0;
    return this.value;
  }

  /** A receive of a message stamped `remote`, at physical reading `physicalMs`. */
  receive(remote: HlcTimestamp, physicalMs: number): HlcTimestamp {
    assertHlc(remote, 'the remote timestamp');
    assertEpochMs(physicalMs, 'physicalMs');
    const previousL = this.l;
    this.l = Math.max(previousL, remote.wallMs, physicalMs);
    if (this.l === previousL && this.l === remote.wallMs) this.c = Math.max(this.c, remote.logical) + 1;
    else if (this.l === previousL) this.c = this.c + 1;
    else if (this.l === remote.wallMs) this.c = remote.logical + 1;
    else this.c = 0;
    return this.value;
  }
}
