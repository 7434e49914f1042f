/**
 * `kv`: one replica of a replicated key-value store (the protocol's `kv.ts` holds the contract:
 * bodies, answers and `state` values). Clients are other nodes (`rpc`) sending `get`, `put` and
 * `append`; a replica keeps, per key, the value of the highest version it has met, and traces
 * `kv_apply` each time that changes. The replicas are `spec.replicas`, or every node of the lab;
 * a node not among them refuses every request (`kv_error`, definite).
 *
 * - `single`: this node answers from its own map; a write's version is (n + 1, this node).
 * - `primary-backup`: writes only at the primary (a backup refuses them, definite). The primary
 *   applies a write at once, sends `kv_replicate` to every backup it can (a down link: skipped) and
 *   answers once each of those acknowledged (`kv_replicate_ok`), or `timeoutMs` after the request
 *   came, whichever is first: then it answers ok anyway, and traces `kv_backup_missed` naming the
 *   backups without the write (not sent to, or silent). Any replica answers `get` from its own
 *   copy at once: a backup cut off from the primary serves stale reads.
 * - `quorum` (ABD): every replica coordinates. Phase 1 asks the others (`kv_query`) until a
 *   majority, itself included (its own copy read then), answered, and takes the highest version.
 *   A write makes the next
 *   version (n + 1, this node); a `get` takes the highest as it is. Phase 2 stores it (`kv_store`)
 *   until a majority acknowledged (`kv_store_ok`), then answers; a `get` whose majority all held
 *   that version already answers without phase 2. No majority within `timeoutMs` of the request:
 *   `kv_error`, definite for a `get` only (a write's phase 2 may have stored it somewhere).
 *
 * Each operation under way waits for the replies to its own messages (`replyTo`); a reply to
 * nothing under way (late, or unknown) is ignored without a trace. Timeouts run on monotonic time.
 */
import { compareNodeIds } from '@faultline/clock';
import {
  KV_APPEND,
  KV_ERROR,
  KV_GET,
  KV_PUT,
  KV_QUERY,
  KV_QUERY_OK,
  KV_REPLICATE,
  KV_REPLICATE_OK,
  KV_STORE,
  KV_STORE_OK,
  kvAppendRequestSchema,
  kvGetRequestSchema,
  kvPutRequestSchema,
  kvQueryOkSchema,
  kvQuerySchema,
  kvReplicateOkSchema,
  kvReplicateSchema,
  kvStoreOkSchema,
  kvStoreSchema,
  parseWith,
  type BehaviourSpec,
  type Envelope,
  type KvError,
  type KvVersion,
  type NodeId,
} from '@faultline/protocol';
import type * as z from 'zod';
import type { Behaviour, BehaviourContext } from '../core/behaviour.js';
import { KvOperations, type Waiting } from './kv-operations.js';
import { noMajority, queryOutcome, quorumOp, storedByMajority, type ClientOp, type QuorumOp } from './kv-quorum.js';
import { compareVersions, written, type Copy } from './kv-versions.js';


export type KvSpec = Extract<BehaviourSpec, { name: 'kv' }>;

/** A primary's write waiting for its backups. */
interface Replication extends Waiting {
  readonly kind: 'replicate';
  readonly f: typeof KV_PUT | typeof KV_APPEND;
  readonly version: KvVersion;
  /** The backups it could not send to. */
  readonly unsent: NodeId[];
}

type Op = Replication | QuorumOp;

export class KvBehaviour implements Behaviour {
  readonly name = 'kv';
  readonly messageTypes = [KV_GET, KV_PUT, KV_APPEND, KV_REPLICATE, KV_REPLICATE_OK, KV_QUERY, KV_QUERY_OK, KV_STORE, KV_STORE_OK];
  private readonly store = new Map<string, Copy>();
  /** The operations under way. */
  private readonly ops = new KvOperations<Op>();
  private opCount = 0;

  constructor(readonly spec: KvSpec) {}

  /** What this replica holds for `key`. */
  holds(key: string): Copy | undefined {
    return this.store.get(key);
  }

  /** How many operations are under way (for tests: memory stays bounded). */
  get underWay(): number {
    return this.ops.size;
  }

  onMessage(ctx: BehaviourContext, message: Envelope): void {
    switch (message.type) {
      case KV_GET:
      case KV_PUT:
      case KV_APPEND:
        return this.onClient(ctx, message, message.type);
      case KV_REPLICATE:
        return this.onReplicate(ctx, message);
      case KV_QUERY:
        return this.onQuery(ctx, message);
      case KV_STORE:
        return this.onStore(ctx, message);
      case KV_REPLICATE_OK:
      case KV_QUERY_OK:
      case KV_STORE_OK:
        return this.onAnswer(ctx, message);
    }
  }

  wakeAtMs(): number | null {
    return this.ops.nextDeadlineMs();
  }

  onWake(ctx: BehaviourContext): void {
    for (const op of this.ops.due(ctx.monoMs)) {
      if (op.kind === 'replicate') {
        this.answerWrite(ctx, op);
        continue;
      }
      const reason = noMajority(op, this.spec.timeoutMs);
      this.ops.end(op);
      this.refuse(ctx, op.request, op.f === KV_GET, reason);
    }
  }

  private replicas(ctx: BehaviourContext): NodeId[] {
    return [...new Set(this.spec.replicas ?? [ctx.node, ...ctx.peers()])].sort(compareNodeIds);
  }

  private onClient(ctx: BehaviourContext, request: Envelope, f: ClientOp): void {
    const replicas = this.replicas(ctx);
    if (this.spec.mode !== 'single' && !replicas.includes(ctx.node)) {
      return this.refuse(ctx, request, true, `${ctx.node} is not a replica of this store (replicas: ${replicas.join(', ')})`);
    }
    const schema = f === KV_GET ? kvGetRequestSchema : f === KV_PUT ? kvPutRequestSchema : kvAppendRequestSchema;
    const parsed = parseWith(schema, request.body, f);
    if (!parsed.ok) return this.refuse(ctx, request, true, parsed.error);
    const { key } = parsed.value;
    const item = 'value' in parsed.value ? parsed.value.value : undefined;
    if (this.spec.mode === 'quorum') return this.startQuorum(ctx, request, f, key, item, replicas);
    if (f === KV_GET) return this.answerGet(ctx, request, key, this.store.get(key) ?? null);
    if (this.spec.mode === 'single') {
      const copy = written(f, item, this.store.get(key), ctx.node);
      this.apply(ctx, key, copy, request.id);
      ctx.reply(request, `${f}_ok`, { key, version: copy.version });
      return;
    }
    const primary = this.spec.primary ?? replicas[0];
    if (primary !== ctx.node) return this.refuse(ctx, request, true, `${ctx.node} is a backup: writes go to the primary ${primary}`);
    this.startReplication(ctx, request, f, key, item, replicas);
  }

  private startReplication(ctx: BehaviourContext, request: Envelope, f: Replication['f'], key: string, item: unknown, replicas: NodeId[]): void {
    const copy = written(f, item, this.store.get(key), ctx.node);
    this.apply(ctx, key, copy, request.id);
    const op: Replication = { kind: 'replicate', f, request, key, version: copy.version, waiting: new Map(), unsent: [], deadlineMs: ctx.monoMs + this.spec.timeoutMs };
    for (const backup of replicas) {
      if (backup === ctx.node) continue;
      const out = ctx.send(backup, KV_REPLICATE, { key, value: copy.value, version: copy.version });
      if (out.sent) this.ops.wait(op, out.msg, backup);
      else op.unsent.push(backup);
    }
    if (op.waiting.size === 0) this.answerWrite(ctx, op);
    else this.ops.add(op);
  }

  /** The primary answers ok: every backup sent to acknowledged, or the time is up. */
  private answerWrite(ctx: BehaviourContext, op: Replication): void {
    this.ops.end(op);
    const backups = [...op.unsent, ...op.waiting.values()].sort(compareNodeIds);
    if (backups.length > 0) ctx.state('kv_backup_missed', { key: op.key, version: op.version, backups }, op.request.id);
    ctx.reply(op.request, `${op.f}_ok`, { key: op.key, version: op.version });
  }

  private startQuorum(ctx: BehaviourContext, request: Envelope, f: ClientOp, key: string, item: unknown, replicas: NodeId[]): void {
    this.opCount += 1;
    const op = quorumOp(this.opCount, f, request, key, item, replicas, ctx.monoMs + this.spec.timeoutMs);
    this.ops.add(op);
    for (const replica of replicas) {
      if (replica === ctx.node) continue;
      const out = ctx.send(replica, KV_QUERY, { op: op.id, key });
      if (out.sent) this.ops.wait(op, out.msg, replica);
    }
    this.progress(ctx, op);
  }

  /** Moves a quorum operation on as far as the answers so far allow. */
  private progress(ctx: BehaviourContext, op: QuorumOp): void {
    if (op.phase === 'query') {
      const outcome = queryOutcome(op, this.store.get(op.key) ?? null, ctx.node);
      if (!outcome) return;
      if ('answer' in outcome) {
        this.ops.end(op);
        return this.answerGet(ctx, op.request, op.key, outcome.answer);
      }
      op.target = outcome.store;
      this.storePhase(ctx, op);
    }
    const stored = storedByMajority(op);
    if (!stored) return;
    this.ops.end(op);
    if (op.f === KV_GET) this.answerGet(ctx, op.request, op.key, stored);
    else ctx.reply(op.request, `${op.f}_ok`, { key: op.key, version: stored.version });
  }

  private storePhase(ctx: BehaviourContext, op: QuorumOp): void {
    const target = op.target!;
    this.ops.stopWaiting(op);
    op.phase = 'store';
    this.apply(ctx, op.key, target, op.request.id);
    op.stored = 1;
    for (const replica of op.replicas) {
      if (replica === ctx.node) continue;
      const out = ctx.send(replica, KV_STORE, { op: op.id, key: op.key, value: target.value, version: target.version });
      if (out.sent) this.ops.wait(op, out.msg, replica);
    }
  }

  /** A reply from a replica to an operation under way here; a late or unknown one is ignored without a trace. */
  private onAnswer(ctx: BehaviourContext, message: Envelope): void {
    const replyTo = message.replyTo;
    const op = replyTo === undefined ? undefined : this.ops.waitingFor(replyTo, message.from);
    if (replyTo === undefined || !op) return;
    const expected = op.kind === 'replicate' ? KV_REPLICATE_OK : op.phase === 'query' ? KV_QUERY_OK : KV_STORE_OK;
    if (message.type !== expected) return this.ignore(ctx, message, `it answers a ${expected.slice(0, -3)}, not a ${message.type.slice(0, -3)}`);
    if (op.kind === 'replicate') {
      const body = this.internal(ctx, message, kvReplicateOkSchema);
      if (!body || !this.matches(ctx, message, op, body.key, body.version, op.version)) return;
      this.ops.answered(op, replyTo);
      if (op.waiting.size === 0) this.answerWrite(ctx, op);
      return;
    }
    if (op.phase === 'query') {
      const body = this.internal(ctx, message, kvQueryOkSchema);
      if (!body || !this.matches(ctx, message, op, body.key, null, null, body.op)) return;
      this.ops.answered(op, replyTo);
      op.answers.push(body.version ? { value: body.value ?? null, version: body.version } : null);
    } else {
      const body = this.internal(ctx, message, kvStoreOkSchema);
      if (!body || !this.matches(ctx, message, op, body.key, body.version, op.target!.version, body.op)) return;
      this.ops.answered(op, replyTo);
      op.stored += 1;
    }
    this.progress(ctx, op);
  }

  /** Whether a reply is about the operation's key (op, version) it answers; if not, a `local` note. */
  private matches(ctx: BehaviourContext, message: Envelope, op: Op, key: string, version: KvVersion | null, expected: KvVersion | null, opId?: number): boolean {
    const mismatch =
      key !== op.key ? `it is about key ${JSON.stringify(key)}, not ${JSON.stringify(op.key)}`
      : op.kind === 'quorum' && opId !== op.id ? `it names op ${opId}, not ${op.id}`
      : expected && compareVersions(version, expected) !== 0 ? `it acknowledges version ${version?.n}/${version?.node}, not ${expected.n}/${expected.node}`
      : null;
    if (mismatch) this.ignore(ctx, message, mismatch);
    return mismatch === null;
  }

  private ignore(ctx: BehaviourContext, message: Envelope, why: string): void {
    ctx.local(`kv: ${message.type} ${message.id} from ${message.from} ignored: ${why}`);
  }

  private onReplicate(ctx: BehaviourContext, message: Envelope): void {
    const body = this.replicaMessage(ctx, message, 'primary-backup', kvReplicateSchema);
    if (!body) return;
    this.apply(ctx, body.key, { value: body.value, version: body.version }, message.id);
    ctx.reply(message, KV_REPLICATE_OK, { key: body.key, version: body.version });
  }

  private onQuery(ctx: BehaviourContext, message: Envelope): void {
    const body = this.replicaMessage(ctx, message, 'quorum', kvQuerySchema);
    if (!body) return;
    const copy = this.store.get(body.key);
    ctx.reply(message, KV_QUERY_OK, { op: body.op, key: body.key, value: copy?.value ?? null, version: copy?.version ?? null });
  }

  private onStore(ctx: BehaviourContext, message: Envelope): void {
    const body = this.replicaMessage(ctx, message, 'quorum', kvStoreSchema);
    if (!body) return;
    this.apply(ctx, body.key, { value: body.value, version: body.version }, message.id);
    ctx.reply(message, KV_STORE_OK, { op: body.op, key: body.key, version: body.version });
  }

  /** A request from another replica: its body, if this node is a replica in `mode` and the body is well formed. */
  private replicaMessage<S extends z.ZodType>(ctx: BehaviourContext, message: Envelope, mode: KvSpec['mode'], schema: S): z.infer<S> | null {
    if (this.spec.mode !== mode) {
      this.ignore(ctx, message, `this node runs kv in ${this.spec.mode} mode`);
      return null;
    }
    if (!this.replicas(ctx).includes(ctx.node)) {
      this.ignore(ctx, message, `${ctx.node} is not a replica of this store`);
      return null;
    }
    return this.internal(ctx, message, schema);
  }

  private internal<S extends z.ZodType>(ctx: BehaviourContext, message: Envelope, schema: S): z.infer<S> | null {
    const parsed = parseWith(schema, message.body, message.type);
    if (parsed.ok) return parsed.value;
    this.ignore(ctx, message, parsed.error);
    return null;
  }

  /** Keeps `copy` if its version is newer than what this replica holds (traced `kv_apply`). */
  private apply(ctx: BehaviourContext, key: string, copy: Copy, msg: string): void {
    if (compareVersions(copy.version, this.store.get(key)?.version) <= 0) return;
    this.store.set(key, copy);
    ctx.state('kv_apply', { key, value: copy.value, version: copy.version }, msg);
  }

  private answerGet(ctx: BehaviourContext, request: Envelope, key: string, copy: Copy | null): void {
    const body = { key, value: copy?.value ?? null, version: copy?.version ?? null };
    ctx.state('kv_read', body, request.id);
    ctx.reply(request, `${KV_GET}_ok`, body);
  }

  private refuse(ctx: BehaviourContext, request: Envelope, definite: boolean, reason: string): void {
    const body: KvError = { definite, reason };
    ctx.reply(request, KV_ERROR, body);
  }
}
