/**
 * The replicated key-value store (`kv` behaviour): what its clients send and are answered, what
 * its replicas tell each other, and the `state` events it traces. Declared once here: the
 * behaviour builds them, the lessons' workloads and the checkers read them.
 *
 * Clients are other nodes of the lab (an `rpc`): `get {key}`, `put {key, value}` and
 * `append {key, value}` (adds `value` to the end of the list at `key`; a key holding a non-list
 * is taken as the list of that one value, a key holding nothing or null as the empty list). Each
 * is answered with its `_ok`, or `kv_error {definite, reason}`: `definite` true when the operation
 * certainly did not take effect, false when it may have.
 *
 * A value carries a version `{n, node}`: ordered by `n`, then by `node` (`compareNodeIds`). A
 * replica keeps, per key, the value of the highest version it has met.
 *
 * | mode             | replicas tell each other                                                 |
 * |------------------|--------------------------------------------------------------------------|
 * | `single`         | nothing: one node answers from its own map                               |
 * | `primary-backup` | `kv_replicate` → `kv_replicate_ok` (primary to backups)                  |
 * | `quorum`         | `kv_query` → `kv_query_ok`, then `kv_store` → `kv_store_ok` (ABD-style)  |
 *
 * Traces: `kv_apply` each time a replica's copy of a key changes, `kv_read` when a `get` is
 * answered (at the node that answers the client), `kv_backup_missed` when a primary answers a
 * write that some backups never acknowledged.
 */
import * as z from 'zod';
import { nodeIdSchema } from './ids.js';

/** Client requests and their answers. */
export const KV_GET = 'get';
export const KV_PUT = 'put';
export const KV_APPEND = 'append';
export const KV_GET_OK = 'get_ok';
export const KV_PUT_OK = 'put_ok';
export const KV_APPEND_OK = 'append_ok';
export const KV_ERROR = 'kv_error';
/** Between replicas (`primary-backup`). */
export const KV_REPLICATE = 'kv_replicate';
export const KV_REPLICATE_OK = 'kv_replicate_ok';
/** Between replicas (`quorum`). */
export const KV_QUERY = 'kv_query';
export const KV_QUERY_OK = 'kv_query_ok';
export const KV_STORE = 'kv_store';
export const KV_STORE_OK = 'kv_store_ok';

/** A key: short text. */
export const kvKeySchema = z.string().min(1).max(200);
/** A value: any JSON. */
export const kvValueSchema = z.custom<unknown>((v) => v !== undefined, 'expected a value (any JSON)');

/** A value's version: `n` counts the writes of the key (1 for the first), `node` made it. */
export const kvVersionSchema = z.object({ n: z.number().int().min(1), node: nodeIdSchema });
export type KvVersion = z.infer<typeof kvVersionSchema>;

/** `get {key}`: the value of `key`. */
export const kvGetRequestSchema = z.object({ key: kvKeySchema });
/** `put {key, value}`: `key` holds `value` from now on. */
export const kvPutRequestSchema = z.object({ key: kvKeySchema, value: kvValueSchema });
/** `append {key, value}`: `value` added to the end of the list at `key`. */
export const kvAppendRequestSchema = z.object({ key: kvKeySchema, value: kvValueSchema });

/** `get_ok`: the value and its version; both null when the key has none. */
export const kvGetOkSchema = z.object({ key: kvKeySchema, value: z.unknown(), version: kvVersionSchema.nullable() });
/** `put_ok`: the version the value was written with. */
export const kvPutOkSchema = z.object({ key: kvKeySchema, version: kvVersionSchema });
/** `append_ok`: the version the new list was written with. */
export const kvAppendOkSchema = kvPutOkSchema;
/**
 * `kv_error`: the request failed. `definite` true: it certainly did not take effect; false: it
 * may have (a quorum write that timed out may be stored on some replicas). `reason`: one plain
 * sentence, e.g. `n3 is a backup: writes go to the primary n2`.
 */
export const kvErrorSchema = z.object({ definite: z.boolean(), reason: z.string() });
export type KvError = z.infer<typeof kvErrorSchema>;

/** `kv_replicate`: the primary's new value of a key, for a backup to keep if newer than its own. */
export const kvReplicateSchema = z.object({ key: kvKeySchema, value: kvValueSchema, version: kvVersionSchema });
/** `kv_replicate_ok` (a reply to the `kv_replicate`): always sent, kept or not. */
export const kvReplicateOkSchema = z.object({ key: kvKeySchema, version: kvVersionSchema });

/** The coordinator's number for one operation (1, 2 … in one life of the node), carried by its messages. */
export const kvOpSchema = z.number().int().min(1);
/** `kv_query` (phase 1): what do you hold for `key`? */
export const kvQuerySchema = z.object({ op: kvOpSchema, key: kvKeySchema });
/** `kv_query_ok` (a reply to the `kv_query`): value and version held, null and null for none. */
export const kvQueryOkSchema = z.object({ op: kvOpSchema, key: kvKeySchema, value: z.unknown(), version: kvVersionSchema.nullable() });
/** `kv_store` (phase 2): keep this value if its version is newer than yours. */
export const kvStoreSchema = z.object({ op: kvOpSchema, key: kvKeySchema, value: kvValueSchema, version: kvVersionSchema });
/** `kv_store_ok` (a reply to the `kv_store`): always sent, kept or not. */
export const kvStoreOkSchema = z.object({ op: kvOpSchema, key: kvKeySchema, version: kvVersionSchema });

/** The value of a `kv_apply` state line: a replica's copy of `key` is now `value` at `version`. */
export const kvApplyEventSchema = z.object({ key: kvKeySchema, value: z.unknown(), version: kvVersionSchema });
/** The value of a `kv_read` state line: what a `get` was answered (null and null: the key had none). */
export const kvReadEventSchema = kvGetOkSchema;
/** The value of a `kv_backup_missed` state line: the primary answered a write these backups never acknowledged. */
export const kvBackupMissedEventSchema = z.object({ key: kvKeySchema, version: kvVersionSchema, backups: z.array(nodeIdSchema).min(1) });
