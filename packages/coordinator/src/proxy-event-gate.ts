/**
 * Keeps the trace causal across its two sources (pure: time and timers come from the caller).
 * A node reports its `send` over the control channel while the proxy reports what it did to that
 * message over `GET /events`; the second can overtake the first. The gate holds a proxy event
 * about message `m` until the trace has the send of `m` (or `maxWaitMs` has passed, e.g. when the
 * sender was killed before its report left), and keeps proxy events in the order they came.
 */

export interface GatedEvent<T> {
  /** The id of the message the event is about, when the proxy could read one. */
  readonly msg?: string;
  readonly value: T;
}

interface Pending<T> extends GatedEvent<T> {
  readonly deadlineMs: number;
}

/**
 * How many send ids are remembered, at least; a proxy event older than that many sends is never
 * held. They are kept in two generations of this size: when the newer is full, the older is
 * dropped whole (O(1) a send; evicting the oldest id one at a time costs a scan of a Set's holes).
 */
const REMEMBERED_SENDS = 50_000;

export class ProxyEventGate<T> {
  private sent = new Set<string>();
  private older = new Set<string>();
  private readonly queue: Pending<T>[] = [];

  constructor(
    private readonly emit: (value: T) => void,
    private readonly maxWaitMs = 250,
  ) {}

  /** The trace has the send of `msg`. */
  sentMessage(msg: string, nowMs: number): void {
    this.sentMessages([msg], nowMs);
  }

  /** The trace has the sends of `msgs`. */
  sentMessages(msgs: readonly string[], nowMs: number): void {
    for (const msg of msgs) {
      if (this.sent.size >= REMEMBERED_SENDS) {
        this.older = this.sent;
        this.sent = new Set();
      }
      this.sent.add(msg);
    }
    this.flush(nowMs);
  }

  /** A proxy event arrived; it is emitted now or when its send is in the trace. */
  push(event: GatedEvent<T>, nowMs: number): void {
    this.queue.push({ ...event, deadlineMs: nowMs + this.maxWaitMs });
    this.flush(nowMs);
  }

  /** Emits every event at the head of the queue whose send is in or whose wait is over. */
  flush(nowMs: number): void {
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (head.msg !== undefined && !this.sent.has(head.msg) && !this.older.has(head.msg) && nowMs < head.deadlineMs) return;
      this.queue.shift();
      this.emit(head.value);
    }
  }

  /** When the caller should call `flush` again, or undefined when nothing waits. */
  nextDeadline(): number | undefined {
    return this.queue[0]?.deadlineMs;
  }

  /** Emits everything still waiting (at the end of a run). */
  drain(): void {
    this.flush(Number.POSITIVE_INFINITY);
  }
}
