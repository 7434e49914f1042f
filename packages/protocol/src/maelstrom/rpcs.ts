/**
 * Every client operation of Maelstrom's workloads and every request of its services, as data:
 * each declared once by its type, a line of what it does, the fields its request adds and the
 * fields its `_ok` reply adds. The full schemas are derived: a request has `type` and a `msg_id`,
 * its reply `type` + `_ok` and the `in_reply_to`; both keep any other field. Workloads and
 * services list the operations they use by name; several share a type (`read` answers
 * `messages` in broadcast, `value` in a counter), so the names, not the types, are the keys.
 */
import * as z from 'zod';
import { maelstromBodySchema, maelstromMsgIdSchema, maelstromNodeIdSchema } from './message.js';

/** Any JSON value, required (`null` is a value; a missing field is not). */
const anyJson = z.custom<unknown>((v) => v !== undefined, 'expected a value (any JSON)');

export interface MaelstromRpc<T extends string, Req extends z.ZodType, Res extends z.ZodType> {
  readonly type: T;
  readonly okType: `${T}_ok`;
  /** One line: what the request asks, what the reply says. */
  readonly doc: string;
  readonly request: Req;
  readonly response: Res;
}

function rpc<T extends string, Req extends z.core.$ZodLooseShape, Res extends z.core.$ZodLooseShape>(type: T, doc: string, request: Req, response: Res) {
  const okType = `${type}_ok` as const;
  return {
    type,
    okType,
    doc,
    request: maelstromBodySchema.extend({ type: z.literal(type), msg_id: maelstromMsgIdSchema }).extend(request),
    response: maelstromBodySchema.extend({ type: z.literal(okType), in_reply_to: maelstromMsgIdSchema }).extend(response),
  };
}

/** A txn-list-append micro-operation as a client sends it: `["r", key, null]` or `["append", key, element]`. */
export const maelstromMicroOpRequestSchema = z.union([z.tuple([z.literal('r'), anyJson, z.null()]), z.tuple([z.literal('append'), anyJson, anyJson])], {
  error: 'expected ["r", key, null] or ["append", key, element]',
});
/** As a server answers it: a read's `null` replaced by the list it saw (null: the key has none). */
export const maelstromMicroOpResultSchema = z.union([z.tuple([z.literal('r'), anyJson, z.array(z.unknown()).nullable()]), z.tuple([z.literal('append'), anyJson, anyJson])], {
  error: 'expected ["r", key, list or null] or ["append", key, element]',
});
export type MaelstromMicroOp = z.infer<typeof maelstromMicroOpResultSchema>;

const offsets = z.record(z.string(), z.number().int());

export const MAELSTROM_RPCS = {
  echo: rpc('echo', 'answer `echo_ok` with the same `echo` payload', { echo: anyJson }, { echo: anyJson }),
  generate: rpc('generate', 'answer an `id` unique across the whole cluster, for ever', {}, { id: anyJson }),
  topology: rpc('topology', "the neighbours each node may use for broadcast (a suggestion), sent once after init", { topology: z.record(maelstromNodeIdSchema, z.array(maelstromNodeIdSchema)) }, {}),
  broadcast: rpc('broadcast', 'spread `message` to every node; answer once this node has it', { message: anyJson }, {}),
  broadcastRead: rpc('read', 'answer every broadcast `messages` this node has', {}, { messages: z.array(z.unknown()) }),
  gSetAdd: rpc('add', 'add `element` to the grow-only set', { element: anyJson }, {}),
  gSetRead: rpc('read', "answer the set's elements as a list in `value`", {}, { value: z.array(z.unknown()) }),
  counterAdd: rpc('add', 'add `delta` (an integer; never negative in g-counter) to the counter', { delta: z.number().int() }, {}),
  counterRead: rpc('read', "answer the counter's `value`: the sum of the deltas this node knows of", {}, { value: z.number().int() }),
  kvRead: rpc('read', 'answer the `value` of `key` (error 20 if it has none)', { key: anyJson }, { value: anyJson }),
  kvWrite: rpc('write', '`key` holds `value` from now on (created if missing)', { key: anyJson, value: anyJson }, {}),
  kvCas: rpc(
    'cas',
    'if `key` holds `from`, it holds `to` (error 22 if it holds something else, 20 if nothing, unless `create_if_not_exists`)',
    { key: anyJson, from: anyJson, to: anyJson, create_if_not_exists: z.boolean().optional() },
    {},
  ),
  mvRead: rpc('read', 'answer every sibling `values` of `key`, and an opaque causal `context` (any JSON) for a later write', { key: anyJson }, { values: z.array(z.unknown()), context: anyJson }),
  mvWrite: rpc('write', '`value` replaces the values `context` (from a read) has seen, and no other; with no context it is one more sibling', { key: anyJson, value: anyJson, context: anyJson.optional() }, {}),
  txn: rpc('txn', 'run the micro-operations in order as one transaction; answer them with each read filled in', { txn: z.array(maelstromMicroOpRequestSchema).min(1) }, { txn: z.array(maelstromMicroOpResultSchema) }),
  ts: rpc('ts', 'answer a timestamp `ts` greater than every one answered before', {}, { ts: z.number().int() }),
  send: rpc('send', 'append `msg` to the log `key`; answer the `offset` it got', { key: z.string(), msg: anyJson }, { offset: z.number().int() }),
  poll: rpc('poll', 'answer messages of each log from the given offset, as `[offset, msg]` pairs', { offsets }, { msgs: z.record(z.string(), z.array(z.tuple([z.number().int(), anyJson]))) }),
  commitOffsets: rpc('commit_offsets', 'the client has processed each log up to the given offset', { offsets }, {}),
  suspects: rpc('suspects', 'answer the nodes this node now suspects have failed, as a list in `suspects`', {}, { suspects: z.array(maelstromNodeIdSchema) }),
  listCommittedOffsets: rpc('list_committed_offsets', 'answer the committed offset of each of `keys`', { keys: z.array(z.string()) }, { offsets }),
} as const;

export type MaelstromRpcName = keyof typeof MAELSTROM_RPCS;
/** A request's body, as a client builds it before the transport gives it a `msg_id`. */
export type MaelstromRequest<N extends MaelstromRpcName> = Omit<z.infer<(typeof MAELSTROM_RPCS)[N]['request']>, 'msg_id'>;
export type MaelstromReply<N extends MaelstromRpcName> = z.infer<(typeof MAELSTROM_RPCS)[N]['response']>;

/** The workloads the lab can run against a program, and the operations each one's clients send. */
export const MAELSTROM_WORKLOAD_RPCS = {
  echo: ['echo'],
  'unique-ids': ['generate'],
  broadcast: ['topology', 'broadcast', 'broadcastRead'],
  'g-set': ['gSetAdd', 'gSetRead'],
  'g-counter': ['counterAdd', 'counterRead'],
  'pn-counter': ['counterAdd', 'counterRead'],
  'lin-kv': ['kvRead', 'kvWrite', 'kvCas'],
  'txn-list-append': ['txn'],
  'mv-register': ['mvRead', 'mvWrite'],
  'failure-detector': ['suspects'],
} as const satisfies Record<string, readonly MaelstromRpcName[]>;
export type MaelstromWorkloadName = keyof typeof MAELSTROM_WORKLOAD_RPCS;
export const MAELSTROM_WORKLOADS = Object.keys(MAELSTROM_WORKLOAD_RPCS) as MaelstromWorkloadName[];

/** The services the lab offers to programs (a node sends to `lin-kv` as to any node), and what each answers. */
export const MAELSTROM_SERVICE_RPCS = {
  'lin-kv': ['kvRead', 'kvWrite', 'kvCas'],
  'seq-kv': ['kvRead', 'kvWrite', 'kvCas'],
  'lww-kv': ['kvRead', 'kvWrite', 'kvCas'],
  'lin-tso': ['ts'],
} as const satisfies Record<string, readonly MaelstromRpcName[]>;
export type MaelstromServiceName = keyof typeof MAELSTROM_SERVICE_RPCS;
export const MAELSTROM_SERVICES = Object.keys(MAELSTROM_SERVICE_RPCS) as MaelstromServiceName[];
