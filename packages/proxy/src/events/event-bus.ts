/**
 * Message-level events: numbered, kept in a ring buffer (so a subscriber can resume from the
 * `Last-Event-ID` it saw), and pushed to live subscribers.
 */
import type { ProxyEvent } from '@faultline/protocol';

export type Subscriber = (event: ProxyEvent) => void;

export class EventBus {
  private readonly ring: ProxyEvent[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private seq = 0;

  constructor(private readonly capacity = 10_000) {}

  publish(draft: Omit<ProxyEvent, 'seq'>): ProxyEvent {
    const event: ProxyEvent = { seq: ++this.seq, ...draft };
    this.ring.push(event);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    for (const s of this.subscribers) s(event);
    return event;
  }

  /** Events after `seq` still in the buffer, oldest first. */
  since(seq: number): ProxyEvent[] {
    const first = this.ring.findIndex((e) => e.seq > seq);
    return first < 0 ? [] : this.ring.slice(first);
  }

  subscribe(fn: Subscriber): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  get lastSeq(): number {
    return this.seq;
  }
}
