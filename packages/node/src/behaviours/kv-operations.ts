/**
 * The operations a `kv` replica has under way, pure: each waits for the replies to its own
 * messages (sent message id → the replica it went to) until its deadline (monotonic). A reply is
 * matched by its `replyTo` and sender; one to nothing under way is not matched. Kept in the order
 * they were added, which is the order they time out in when due together.
 */
import type { Envelope, NodeId } from '@faultline/protocol';

/** An operation that waits for replies. */
export interface Waiting {
  /** The sent message ids still unanswered, and to whom. */
  readonly waiting: Map<string, NodeId>;
  readonly request: Envelope;
  readonly key: string;
  readonly deadlineMs: number;
}

export class KvOperations<Op extends Waiting> {
  private readonly ops = new Set<Op>();
  /** Sent message id → the operation under way that waits for its reply. */
  private readonly awaiting = new Map<string, Op>();

  get size(): number {
    return this.ops.size;
  }

  add(op: Op): void {
    this.ops.add(op);
  }

  /** `op` waits for the reply to `msg`, sent to `node`. */
  wait(op: Op, msg: string, node: NodeId): void {
    op.waiting.set(msg, node);
    this.awaiting.set(msg, op);
  }

  /** The operation waiting for the reply to `replyTo` from `from`, if any. */
  waitingFor(replyTo: string, from: NodeId): Op | undefined {
    const op = this.awaiting.get(replyTo);
    return op && op.waiting.get(replyTo) === from ? op : undefined;
  }

  /** The reply to `msg` came. */
  answered(op: Op, msg: string): void {
    op.waiting.delete(msg);
    this.awaiting.delete(msg);
  }

  /** `op` no longer waits for any reply it waited for (it moves to its next phase). */
  stopWaiting(op: Op): void {
    for (const msg of op.waiting.keys()) this.awaiting.delete(msg);
    op.waiting.clear();
  }

  /** `op` is over: no reply to it is waited for. */
  end(op: Op): void {
    for (const msg of op.waiting.keys()) this.awaiting.delete(msg);
    this.ops.delete(op);
  }

  nextDeadlineMs(): number | null {
    let next: number | null = null;
    for (const op of this.ops) if (next === null || op.deadlineMs < next) next = op.deadlineMs;
    return next;
  }

  /** The operations whose deadline has come at `nowMs`, in the order they were added. */
  due(nowMs: number): Op[] {
    return [...this.ops].filter((op) => op.deadlineMs <= nowMs);
  }
}
