/**
 * `sync`: clock synchronisation (the protocol's `clock-sync.ts` holds the contract).
 *
 * - Every node that runs it is a time server: a peer's `time_req {round, t1}` is answered with
 *   `time_resp {round, t1, t2, t3}`, t2 = t3 = this node's wall time (the core handles a message
 *   in one step: it is received and answered at the same instant).
 * - A node with a `server` is also a client: a client request `sync {rounds}` (`invoke`) runs that
 *   many rounds one after the other and is answered `{server, rounds}` at once. A round reads
 *   t1 (its wall time) and sends `time_req`; on the answer it reads t4 and estimates the server's
 *   clock minus its own by `method`:
 *   - `cristian`: estimate = t3 + rtt/2 − t4, bound = rtt/2, rtt = t4 − t1;
 *   - `ntp`: estimate = ((t2 − t1) + (t3 − t4))/2, bound = delay/2, delay = (t4 − t1) − (t3 − t2).
 *   With `correct` it then steps its clock by the estimate (`clock_change`). Each answered round is
 *   traced as `sync` (msg and `reply`: the `time_resp`), and after the last round `sync_done`.
 *   A round whose `time_req` could not be sent (the link is down: a `failed_send`) fails at once; one
 *   not answered within `timeoutMs` (monotonic) is abandoned (a `local` line). Either way the next
 *   round starts at once. An answer to no round under way (late, or unknown) is ignored (`local`).
 */
import {
  FaultlineError,
  parseWith,
  syncRequestSchema,
  TIME_REQUEST,
  TIME_RESPONSE,
  timeRequestSchema,
  timeResponseSchema,
  type BehaviourSpec,
  type Envelope,
  type SyncRound,
} from '@faultline/protocol';
import type { Behaviour, BehaviourContext } from '../core/behaviour.js';

export type SyncSpec = Omit<Extract<BehaviourSpec, { name: 'sync' }>, 'name'>;

/** What a round's four readings give: the estimate of (server − client) and its bound. */
export function estimateOffset(method: SyncSpec['method'], t1: number, t2: number, t3: number, t4: number): { rttMs: number; estimateMs: number; boundMs: number } {
  const rttMs = t4 - t1;
  if (method === 'cristian') return { rttMs, estimateMs: t3 + rttMs / 2 - t4, boundMs: Math.max(0, rttMs / 2) };
  const delayMs = t4 - t1 - (t3 - t2);
  return { rttMs, estimateMs: (t2 - t1 + (t3 - t4)) / 2, boundMs: Math.max(0, delayMs / 2) };
}

interface Run {
  readonly rounds: number;
  /** The next round to start (0-based). */
  next: number;
  answered: number;
}

interface Pending {
  readonly round: number;
  readonly t1: number;
  /** The id of its `time_req`: the answer's `replyTo`. */
  readonly msg: string;
  readonly deadlineMs: number;
}

export class SyncBehaviour implements Behaviour {
  readonly name = 'sync';
  readonly messageTypes = ['sync', TIME_REQUEST, TIME_RESPONSE];
  private run: Run | null = null;
  private pending: Pending | null = null;

  constructor(readonly spec: SyncSpec) {}

  onInvoke(ctx: BehaviourContext, msgType: string, body: Record<string, unknown>): Record<string, unknown> {
    if (msgType !== 'sync') throw new FaultlineError('bad-request', `sync takes only sync as a client request; ${msgType} comes from peers`);
    const { server } = this.spec;
    if (server === undefined) throw new FaultlineError('bad-request', `${ctx.node} has no time server to ask: start its sync behaviour with a server`);
    if (server === ctx.node) throw new FaultlineError('bad-request', `${ctx.node} is its own time server: give it another node to ask`);
    if (this.run) throw new FaultlineError('bad-request', `${ctx.node} is already syncing (round ${this.run.next} of ${this.run.rounds}): wait for its sync_done`);
    const parsed = parseWith(syncRequestSchema, body, 'sync');
    if (!parsed.ok) throw new FaultlineError('bad-request', parsed.error);
    const { rounds } = parsed.value;
    this.run = { rounds, next: 0, answered: 0 };
    this.nextRound(ctx, server);
    return { server, rounds };
  }

  onMessage(ctx: BehaviourContext, message: Envelope): void {
    if (message.type === TIME_REQUEST) this.answer(ctx, message);
    else if (message.type === TIME_RESPONSE) this.onAnswer(ctx, message);
    else ctx.local(`sync: ${message.type} ${message.id} from ${message.from} ignored: a sync is asked for by a client (invoke), not a peer`);
  }

  wakeAtMs(): number | null {
    return this.pending?.deadlineMs ?? null;
  }

  onWake(ctx: BehaviourContext): void {
    const { pending } = this;
    if (!pending || ctx.monoMs < pending.deadlineMs || this.spec.server === undefined) return;
    this.pending = null;
    ctx.local(`sync: round ${pending.round} got no time_resp from ${this.spec.server} within ${this.spec.timeoutMs} ms; abandoned`);
    this.nextRound(ctx, this.spec.server);
  }

  /** As a server: the readings t2 = t3 = now. */
  private answer(ctx: BehaviourContext, request: Envelope): void {
    const parsed = parseWith(timeRequestSchema, request.body, TIME_REQUEST);
    if (!parsed.ok) {
      ctx.local(`sync: ${TIME_REQUEST} ${request.id} from ${request.from} ignored: ${parsed.error}`);
      return;
    }
    const now = ctx.wallMs;
    ctx.reply(request, TIME_RESPONSE, { round: parsed.value.round, t1: parsed.value.t1, t2: now, t3: now });
  }

  /** As a client: a round's answer. */
  private onAnswer(ctx: BehaviourContext, response: Envelope): void {
    const t4 = ctx.wallMs;
    const { pending, run } = this;
    const server = this.spec.server;
    if (!pending || !run || server === undefined || response.replyTo !== pending.msg || response.from !== server) {
      ctx.local(`sync: ${TIME_RESPONSE} ${response.id} from ${response.from} answers no round under way (late or unknown); ignored`);
      return;
    }
    const parsed = parseWith(timeResponseSchema, response.body, TIME_RESPONSE);
    if (!parsed.ok || parsed.value.round !== pending.round || parsed.value.t1 !== pending.t1) {
      const why = parsed.ok ? `it echoes round ${parsed.value.round}, t1 ${parsed.value.t1}, not round ${pending.round}, t1 ${pending.t1}` : parsed.error;
      ctx.local(`sync: ${TIME_RESPONSE} ${response.id} from ${response.from} ignored: ${why}`);
      return;
    }
    this.pending = null;
    run.answered += 1;
    const { t2, t3 } = parsed.value;
    const { t1, round } = pending;
    const { rttMs, estimateMs, boundMs } = estimateOffset(this.spec.method, t1, t2, t3, t4);
    const value: SyncRound = { server, method: this.spec.method, round, t1, t2, t3, t4, rttMs, estimateMs, boundMs, reply: response.id };
    if (this.spec.correct) {
      // Refused only past the offset's bounds (±1 day): the core then traces why, instead of a `clock_change`.
      ctx.jumpClock(estimateMs);
      value.correctedMs = estimateMs;
    }
    ctx.state('sync', value, response.id);
    this.nextRound(ctx, server);
  }

  /** Starts the next round (those that cannot be sent fail at once), or ends the run. */
  private nextRound(ctx: BehaviourContext, server: string): void {
    const run = this.run;
    while (run) {
      if (run.next >= run.rounds) {
        this.run = null;
        ctx.state('sync_done', { rounds: run.rounds, answered: run.answered });
        return;
      }
      const round = run.next;
      run.next += 1;
      const t1 = ctx.wallMs;
      const sent = ctx.send(server, TIME_REQUEST, { round, t1 });
      if (sent.sent) {
        this.pending = { round, t1, msg: sent.msg, deadlineMs: ctx.monoMs + this.spec.timeoutMs };
        return;
      }
    }
  }
}
