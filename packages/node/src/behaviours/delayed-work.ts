/**
 * Work that finishes after a processing delay, pure: each item is due at a monotonic time; a
 * behaviour asks to be woken at the earliest and takes what is due. Used by the service and the
 * counter, so a node killed during the delay never finishes the work (its memory is gone).
 */
export class DelayedWork<T> {
  private readonly queue: { dueMs: number; item: T }[] = [];

  add(item: T, dueMs: number): void {
    // Kept in due order; items with the same due time keep their arrival order.
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].dueMs > dueMs) i--;
    this.queue.splice(i, 0, { dueMs, item });
  }

  /** The items due at `monoMs`, in order, removed from the queue. */
  takeDue(monoMs: number): T[] {
    let n = 0;
    while (n < this.queue.length && this.queue[n].dueMs <= monoMs) n++;
    return this.queue.splice(0, n).map((e) => e.item);
  }

  nextDueMs(): number | null {
    return this.queue[0]?.dueMs ?? null;
  }

  get size(): number {
    return this.queue.length;
  }
}
