/**
 * `counter`: a counter on a node, changed by RPC. `incr` (body `{by?: number, key?: string}`) adds
 * `by` (default 1) after `delayMs` and answers `incr_ok {value}`; `read` answers `read_ok {value}`.
 * A client on the node itself (`invoke`) can only `read` (answered `{value}`).
 *
 * Idempotent (`idempotent: true`): the answer to each idempotency `key` is remembered; a request
 * with a key seen before is not applied again and gets the first answer (`duplicate: true`). That
 * is what makes a retry safe: the retry carries the same key as the request it repeats.
 */
import { FaultlineError, type Envelope } from '@faultline/protocol';
import type { Behaviour, BehaviourContext } from '../core/behaviour.js';
import { DelayedWork } from './delayed-work.js';

/** How many idempotency keys are remembered (oldest forgotten first). */
const REMEMBERED_KEYS = 10_000;

export class CounterBehaviour implements Behaviour {
  readonly name = 'counter';
  readonly messageTypes = ['incr', 'read'];
  private value = 0;
  private readonly answers = new Map<string, number>();
  private readonly work = new DelayedWork<Envelope>();

  constructor(
    readonly idempotent: boolean,
    readonly delayMs: number,
  ) {}

  onInvoke(_ctx: BehaviourContext, msgType: string): Record<string, unknown> {
    if (msgType !== 'read') throw new FaultlineError('bad-request', 'counter takes only read as a client request; incr comes from peers');
    return { value: this.value };
  }

  onMessage(ctx: BehaviourContext, message: Envelope): void {
    if (message.type === 'read') {
      ctx.reply(message, 'read_ok', { value: this.value });
      return;
    }
    this.work.add(message, ctx.monoMs + this.delayMs);
    if (this.delayMs === 0) this.onWake(ctx);
  }

  wakeAtMs(): number | null {
    return this.work.nextDueMs();
  }

  onWake(ctx: BehaviourContext): void {
    for (const request of this.work.takeDue(ctx.monoMs)) this.apply(ctx, request);
  }

  private apply(ctx: BehaviourContext, request: Envelope): void {
    const { by, key } = request.body;
    const step = typeof by === 'number' && Number.isFinite(by) ? by : 1;
    const idemKey = this.idempotent && typeof key === 'string' && key.length > 0 ? key : undefined;
    const earlier = idemKey === undefined ? undefined : this.answers.get(idemKey);
    if (earlier !== undefined) {
      ctx.state('duplicate', idemKey, request.id);
      ctx.reply(request, 'incr_ok', { value: earlier, duplicate: true });
      return;
    }
    this.value += step;
    if (idemKey !== undefined) {
      this.answers.set(idemKey, this.value);
      if (this.answers.size > REMEMBERED_KEYS) this.answers.delete(this.answers.keys().next().value!);
    }
    ctx.state('counter', this.value, request.id);
    ctx.reply(request, 'incr_ok', { value: this.value });
  }
}
