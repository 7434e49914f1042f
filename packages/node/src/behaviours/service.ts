/**
 * `service`: a request/response service with a processing delay. A `work` request is processed
 * `delayMs` (monotonic) after it arrives: then `processed` is traced (msg: the request) and
 * `work_ok` goes back with the request's body. A node killed or paused during the delay has not
 * processed it; one killed after `processed` but before the reply left did the work and said nothing.
 */
import type { Envelope } from '@faultline/protocol';
import type { Behaviour, BehaviourContext } from '../core/behaviour.js';
import { DelayedWork } from './delayed-work.js';

export class ServiceBehaviour implements Behaviour {
  readonly name = 'service';
  readonly messageTypes = ['work'];
  private readonly work = new DelayedWork<Envelope>();
  private processed = 0;

  constructor(readonly delayMs: number) {}

  onMessage(ctx: BehaviourContext, message: Envelope): void {
    this.work.add(message, ctx.monoMs + this.delayMs);
    if (this.delayMs === 0) this.onWake(ctx);
  }

  wakeAtMs(): number | null {
    return this.work.nextDueMs();
  }

  onWake(ctx: BehaviourContext): void {
    for (const request of this.work.takeDue(ctx.monoMs)) {
      this.processed += 1;
      ctx.state('processed', this.processed, request.id);
      ctx.reply(request, 'work_ok', { ...request.body });
    }
  }
}
