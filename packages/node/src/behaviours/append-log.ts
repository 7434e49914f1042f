/**
 * `log`: an append-only log fed by one-way `append` messages (body `{item, seq}`), no replies.
 *
 * - `naive`: every message is appended as it arrives; a duplicated message is appended twice, a
 *   reordered one out of place.
 * - `sequenced`: each sender numbers its appends 1, 2, 3 …; the log delivers them in that order,
 *   holds back one that comes early until the gap is filled, and ignores one it has seen (a
 *   duplicate). It needs no reply: order and exactly-once come from the numbers alone (it cannot
 *   recover a message that was lost: the gap then waits for ever, as TCP's would without resends).
 *
 * Traces `append` (value: the item) for each item delivered to the log, `duplicate` (value: its
 * seq) for each ignored one, `held_back` (value: its seq) for each that came early.
 */
import type { Envelope, NodeId } from '@faultline/protocol';
import type { Behaviour, BehaviourContext } from '../core/behaviour.js';

export class AppendLogBehaviour implements Behaviour {
  readonly name = 'log';
  readonly messageTypes = ['append'];
  readonly entries: unknown[] = [];
  /** Sequenced: per sender, the next seq to deliver and the early arrivals. */
  private readonly next = new Map<NodeId, number>();
  private readonly early = new Map<NodeId, Map<number, Envelope>>();

  constructor(readonly mode: 'naive' | 'sequenced') {}

  onMessage(ctx: BehaviourContext, message: Envelope): void {
    if (this.mode === 'naive') {
      this.deliver(ctx, message);
      return;
    }
    const seq = message.body.seq;
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) {
      ctx.local(`log: append ${message.id} has no seq (an integer ≥ 1); ignored`);
      return;
    }
    const next = this.next.get(message.from) ?? 1;
    const early = this.early.get(message.from) ?? new Map<number, Envelope>();
    this.early.set(message.from, early);
    if (seq < next || early.has(seq)) {
      ctx.state('duplicate', seq, message.id);
      return;
    }
    if (seq > next) {
      early.set(seq, message);
      ctx.state('held_back', seq, message.id);
      return;
    }
    this.deliver(ctx, message);
    let n = next + 1;
    for (let m = early.get(n); m !== undefined; m = early.get(n)) {
      early.delete(n);
      this.deliver(ctx, m);
      n += 1;
    }
    this.next.set(message.from, n);
  }

  private deliver(ctx: BehaviourContext, message: Envelope): void {
    const item = message.body.item ?? null;
    this.entries.push(item);
    ctx.state('append', item, message.id);
  }
}
