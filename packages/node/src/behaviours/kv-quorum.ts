/**
 * A quorum (ABD) operation a `kv` replica coordinates, pure: its phases and majorities. Phase 1
 * (`query`) gathers the other replicas' copies; once a majority, the coordinator included, is in,
 * the highest version decides: a `get` all of whose answers hold it is done, else phase 2 (`store`)
 * writes that copy (for a `put` or `append`, the next version made from it) and counts the replicas
 * that stored it, the coordinator first, until a majority. Sending, applying and answering are the
 * behaviour's; the deadline is given (monotonic).
 */
import { KV_GET, type Envelope, type KV_APPEND, type KV_PUT, type NodeId } from '@faultline/protocol';
import type { Waiting } from './kv-operations.js';
import { compareVersions, written, type Copy } from './kv-versions.js';

export type ClientOp = typeof KV_GET | typeof KV_PUT | typeof KV_APPEND;

/** A quorum operation this node coordinates. */
export interface QuorumOp extends Waiting {
  readonly kind: 'quorum';
  readonly id: number;
  readonly f: ClientOp;
  readonly item: unknown;
  readonly replicas: NodeId[];
  phase: 'query' | 'store';
  /** Phase 1: the other replicas' answers (this node's own is read when a majority is in). */
  readonly answers: (Copy | null)[];
  /** Phase 2: what is stored, and how many replicas acknowledged it (this node included). */
  target: Copy | null;
  stored: number;
}

/** What phase 1 decided: a `get` answered as it is, or a copy to store. */
export type QueryOutcome = { readonly answer: Copy | null } | { readonly store: Copy };

export const majorityOf = (replicas: readonly NodeId[]): number => Math.floor(replicas.length / 2) + 1;

export function quorumOp(id: number, f: ClientOp, request: Envelope, key: string, item: unknown, replicas: NodeId[], deadlineMs: number): QuorumOp {
  return { kind: 'quorum', id, f, request, key, item, replicas, phase: 'query', waiting: new Map(), answers: [], target: null, stored: 0, deadlineMs };
}

/** Phase 1's outcome once a majority answered (`own`: the coordinator's copy, read then), or null while fewer did. */
export function queryOutcome(op: QuorumOp, own: Copy | null, node: NodeId): QueryOutcome | null {
  if (op.answers.length + 1 < majorityOf(op.replicas)) return null;
  // This node's answer is read now, not when the operation began: it covers every version this
  // node has made (each is applied here first), so two writes coordinated here never share one.
  const answers = [own, ...op.answers];
  const highest = answers.reduce<Copy | null>((a, b) => (compareVersions(b?.version, a?.version) > 0 ? b : a), null);
  if (op.f === KV_GET && answers.every((a) => compareVersions(a?.version, highest?.version) === 0)) return { answer: highest };
  // A get's highest is not null here: some answer differs from it.
  return { store: op.f === KV_GET ? highest! : written(op.f, op.item, highest, node) };
}

/** The copy a majority stored (phase 2 is over), or null. */
export function storedByMajority(op: QuorumOp): Copy | null {
  return op.stored >= majorityOf(op.replicas) && op.target ? op.target : null;
}

/** Why `op` failed when its deadline came. */
export function noMajority(op: QuorumOp, timeoutMs: number): string {
  const got = op.phase === 'query' ? `${op.answers.length + 1} answered` : `${op.stored} stored the value`;
  return `no majority within ${timeoutMs}ms (${majorityOf(op.replicas)} of ${op.replicas.length} replicas needed, ${got})`;
}
