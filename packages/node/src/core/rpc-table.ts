/**
 * RPC bookkeeping, pure: what the *sender* of a request sees. Time is monotonic ms, passed in.
 *
 * - Each attempt is a new request with a new id (`messageId`), waiting `timeoutMs` for a
 *   reply whose `replyTo` is that id.
 * - No reply in time: an `rpc_timeout` event; then, while retries are left, a `retry` event and a
 *   new attempt; else the call's outcome is `timeout`.
 * - The link was down (the request could not even be sent, a `failed_send` event): while retries
 *   are left, the next attempt starts when this one would have timed out (so retries do not spin
 *   through in no time and the link has a chance to come back); else the outcome is `failed`.
 * - A reply to an attempt that already timed out is a `late_reply` event and does NOT complete the
 *   call (not even when a later attempt of the same call is still waiting): it came too late.
 * - Every call gets exactly one outcome (`complete` is called exactly once per `call`).
 */
import type { Envelope, NodeId, NodeTraceEvent, RpcResult } from '@faultline/protocol';
import type { SendOutcome } from './behaviour.js';

export interface RpcRequest {
  readonly to: NodeId;
  readonly msgType: string;
  readonly body: Record<string, unknown>;
  /** Per attempt, monotonic. */
  readonly timeoutMs: number;
  /** Attempts after the first. */
  readonly retries: number;
}

/** What the bookkeeping needs from the node. */
export interface RpcPort {
  /** A fresh message id. */
  newId(): string;
  /** Send (or fail to send, tracing `failed_send`) a request with id `id`. */
  send(id: string, to: NodeId, type: string, body: Record<string, unknown>): SendOutcome;
  /** Record a trace event (the node stamps it). */
  trace(event: NodeTraceEvent): void;
  /** The outcome of call `callId`. */
  complete(callId: number, result: RpcResult): void;
}

interface Call {
  readonly callId: number;
  readonly request: RpcRequest;
  readonly startedMs: number;
  readonly requestIds: string[];
  /** The current attempt's request id. */
  current: string;
  /** Whether the current attempt's request went out. */
  sent: boolean;
  /** Sent: when the current attempt times out. Not sent: when the next attempt starts. */
  deadlineMs: number;
}

/** How many timed-out request ids are remembered to recognise late replies. */
const REMEMBERED_TIMEOUTS = 10_000;

export class RpcTable {
  /** Calls still waiting, by the request id of their current attempt. */
  private readonly pending = new Map<string, Call>();
  /** Requests that timed out: to whom, and when. */
  private readonly timedOut = new Map<string, { to: NodeId; deadlineMs: number }>();

  constructor(private readonly port: RpcPort) {}

  /** Calls still waiting for an outcome. */
  get size(): number {
    return this.pending.size;
  }

  /** Start call `callId` at monotonic time `monoMs`. */
  call(callId: number, request: RpcRequest, monoMs: number): void {
    const call: Call = { callId, request, startedMs: monoMs, requestIds: [], current: '', sent: false, deadlineMs: monoMs };
    this.attempt(call, monoMs);
  }

  /**
   * A message with `replyTo` arrived at `monoMs`. True if it was a reply to one of our requests
   * (it completed its call, or it was late); false if it answers no request we know of.
   */
  onReply(reply: Envelope, monoMs: number): boolean {
    if (reply.replyTo === undefined) return false;
    const call = this.pending.get(reply.replyTo);
    if (call?.sent && reply.from === call.request.to) {
      this.pending.delete(call.current);
      this.finish(call, monoMs, { outcome: 'ok', reply });
      return true;
    }
    const late = this.timedOut.get(reply.replyTo);
    if (late && reply.from === late.to) {
      this.port.trace({ kind: 'late_reply', from: reply.from, msg: reply.id, replyTo: reply.replyTo, lateByMs: Math.max(0, monoMs - late.deadlineMs) });
      return true;
    }
    return false;
  }

  /** Time has come to `monoMs`: time out attempts and start retries that are due. */
  expire(monoMs: number): void {
    const due = [...this.pending.values()]
      .filter((call) => call.deadlineMs <= monoMs)
      .sort((a, b) => a.deadlineMs - b.deadlineMs || a.callId - b.callId);
    for (const call of due) {
      this.pending.delete(call.current);
      const { request } = call;
      if (call.sent) {
        this.port.trace({ kind: 'rpc_timeout', to: request.to, msg: call.current, msgType: request.msgType, attempt: call.requestIds.length, timeoutMs: request.timeoutMs });
        this.remember(call.current, request.to, call.deadlineMs);
      }
      if (call.requestIds.length <= request.retries) this.attempt(call, monoMs);
      else this.finish(call, monoMs, { outcome: 'timeout' });
    }
  }

  /** The earliest monotonic time at which `expire` has something to do, or null. */
  nextWakeMs(): number | null {
    let next: number | null = null;
    for (const call of this.pending.values()) if (next === null || call.deadlineMs < next) next = call.deadlineMs;
    return next;
  }

  private attempt(call: Call, monoMs: number): void {
    const { request } = call;
    const id = this.port.newId();
    if (call.requestIds.length > 0) {
      this.port.trace({ kind: 'retry', to: request.to, msg: id, retryOf: call.requestIds[0], attempt: call.requestIds.length + 1 });
    }
    call.requestIds.push(id);
    call.current = id;
    call.deadlineMs = monoMs + request.timeoutMs;
    const outcome = this.port.send(id, request.to, request.msgType, request.body);
    call.sent = outcome.sent;
    if (!outcome.sent && call.requestIds.length > request.retries) {
      this.finish(call, monoMs, { outcome: 'failed', error: outcome.reason ?? `could not send to ${request.to}` });
      return;
    }
    this.pending.set(id, call);
  }

  private remember(id: string, to: NodeId, deadlineMs: number): void {
    this.timedOut.set(id, { to, deadlineMs });
    if (this.timedOut.size > REMEMBERED_TIMEOUTS) {
      const oldest = this.timedOut.keys().next();
      if (!oldest.done) this.timedOut.delete(oldest.value);
    }
  }

  private finish(call: Call, monoMs: number, end: Pick<RpcResult, 'outcome' | 'reply' | 'error'>): void {
    this.port.complete(call.callId, {
      ...end,
      attempts: call.requestIds.length,
      requestIds: [...call.requestIds],
      elapsedMs: Math.max(0, monoMs - call.startedMs),
    });
  }
}
