/**
 * Lamport's logical clock (Lamport, "Time, Clocks, and the Ordering of Events in a Distributed
 * System", 1978): one counter per node, no physical time at all.
 *
 * The rules:
 * - before every local event and every send, add 1 (`tick`); a send carries the new value;
 * - on receiving a message stamped `remote`, jump past it: `max(local, remote) + 1` (`receive`).
 *
 * What it guarantees (the clock condition): if event e happened before event f (e → f: e comes
 * before f on one node, or e is the send of the message f receives, or a chain of those), then
 * L(e) < L(f). Every event on a node gets a larger value than the one before.
 *
 * What it cannot do: the converse is false. L(e) < L(f) does **not** mean e → f; two concurrent
 * events can have any order of Lamport values, and different nodes can use the same value. So a
 * Lamport value can order events consistently with causality (break ties by node id for a total
 * order), but it cannot tell you whether two events are concurrent. Vector clocks can. And the
 * numbers mean nothing in seconds: they count events, not time.
 */
import { assertCounter } from './validate.js';

export class LamportClock {
  private current: number;

  /** A clock starting at `initial` (default 0: no event has happened yet). */
  constructor(initial = 0) {
    assertCounter(initial, 'the initial Lamport value');
    this.current = initial;
  }

  /** The value of the latest event (0 before any event). */
  get value(): number {
    return this.current;
  }

  /** A local event or a send: add 1 and return the new value (a send carries it). */
  tick(): number {
    this.current += 1;
    return this.current;
  }

  /** A receive of a message stamped `remote`: max(local, remote) + 1, returned. */
  receive(remote: number): number {
    assertCounter(remote, 'the remote Lamport value');
    this.current = Math.max(this.current, remote) + 1;
    return this.current;
  }
}
