/**
 * What a workload is (one file per workload implements it, registry.ts names them): a client
 * generator, how a reply becomes a history operation, and a checker. All pure: the shell owns
 * the rate, the clients' processes, msg_ids, timeouts and the clock; it asks the generator for
 * the next operation, sends its body, and hands the reply (or the timeout) to `completion`.
 *
 * Each client (a Jepsen `process`, 0, 1, 2 …) talks to one node, `nodeIds[process % n]`, as
 * Maelstrom's clients do: its operations are one session, in order.
 */
import { FaultlineError, type MaelstromBody, type MaelstromHistoryEvent, type MaelstromOpName, type MaelstromWorkloadName, type Parsed } from '@faultline/protocol';
import type { Rng } from '@faultline/random';
import type { CheckOptions, Verdict } from '../checkers/verdict.js';
import type { TopologyName } from './topology.js';

/** A request body as the generator builds it: the shell adds the `msg_id`. */
export type RequestBody = { readonly type: string } & Readonly<Record<string, unknown>>;

/** The generator's answer: send `body` to `node`; record it in the history as `f` with `value` (and `key`). */
export interface PlannedOp {
  readonly node: string;
  readonly f: MaelstromOpName;
  readonly key?: string | number;
  readonly value?: unknown;
  readonly body: RequestBody;
  /** A read of the final phase (after the faults healed and the cluster had time to converge). */
  readonly final?: boolean;
}

/** A message the shell sends to a node once, after `init` and before any client operation. */
export interface SetupMessage {
  readonly node: string;
  readonly body: RequestBody;
}

/** Every workload's knobs (each uses the ones it names; Maelstrom's CLI flags in brackets). */
export interface WorkloadOptions {
  /** broadcast [--topology]: the neighbours suggested to each node (default grid). */
  readonly topology?: TopologyName;
  /** lin-kv, txn-list-append, mv-register [--key-count]: keys in play at once (default 3; mv-register 1). */
  readonly keyCount?: number;
  /** lin-kv: operations on a key before it is retired for a fresh one (default 100). */
  readonly opsPerKey?: number;
  /** txn-list-append [--max-txn-length]: micro-operations per transaction at most (default 4; at least 1). */
  readonly maxTxnLength?: number;
  /** txn-list-append [--max-writes-per-key]: appends to a key before it is retired (default 16). */
  readonly maxWritesPerKey?: number;
  /** failure-detector: a node down longer must be suspected by every live node within it (ms, default 1000). */
  readonly detectionMs?: number;
  /** failure-detector: the share of answers × live peers that may wrongly suspect one (default 0.02). */
  readonly maxFalseRate?: number;
}

export interface GeneratorOptions extends WorkloadOptions {
  /** The run's PRNG for this generator (e.g. `createRng(seed, 'maelstrom:generator')`). */
  readonly rng: Rng;
  /** The servers, in order (`n1` … `nN`). */
  readonly nodeIds: readonly string[];
}

export interface ClientGenerator {
  /** The next operation of client `process` (it goes to `nodeIds[process % n]`). */
  next(process: number): PlannedOp;
  /** The final phase: one read per node, in node order ([] for workloads without one). */
  final(): PlannedOp[];
  /**
   * What came back for client `process`'s last operation (its completion event), before its next
   * `next`: mv-register writes with the context of the client's last read. Most ignore it.
   */
  observe?(process: number, completed: MaelstromHistoryEvent): void;
}

export interface Workload {
  readonly name: MaelstromWorkloadName;
  /** One line for a student: what the program must do. */
  readonly doc: string;
  /** Operations that change nothing (reads): any error or timeout on one is a `fail`, as in Maelstrom. */
  readonly idempotent: ReadonlySet<MaelstromOpName>;
  generator(options: GeneratorOptions): ClientGenerator;
  /** Messages to send once after init (broadcast's `topology`); none for most workloads. */
  setup(options: { readonly nodeIds: readonly string[] } & WorkloadOptions): SetupMessage[];
  /** The history value of an `ok` reply to `invoke`, or one line saying what is wrong with the reply. */
  okValue(invoke: MaelstromHistoryEvent, reply: MaelstromBody): Parsed<unknown>;
  /**
   * An error reply this workload reads otherwise than by its code (lin-kv: a read of a key that does
   * not exist is `ok` with value null); undefined for the usual rule.
   */
  readError?(invoke: MaelstromHistoryEvent, code: number): { readonly type: 'ok' | 'fail' | 'info'; readonly value?: unknown } | undefined;
  check(history: readonly MaelstromHistoryEvent[], options?: CheckOptions & WorkloadOptions): Verdict;
}

/** The node client `process` talks to. */
export function nodeOf(nodeIds: readonly string[], process: number): string {
  if (nodeIds.length === 0) throw new FaultlineError('bad-request', 'expected at least one node for the workload, got none');
  return nodeIds[((process % nodeIds.length) + nodeIds.length) % nodeIds.length];
}
