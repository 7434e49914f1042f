/**
 * The key-value map behind lin-kv, seq-kv and lww-kv (pure, persistent: a step returns a new map
 * and leaves the old one as it was), with Maelstrom's semantics:
 * - `read {key}` → `read_ok {value}`, or error 20 key-does-not-exist;
 * - `write {key, value}` → `write_ok` (creates the key);
 * - `cas {key, from, to}` → `cas_ok` when the key holds `from` (compared as JSON); error 22
 *   precondition-failed when it holds something else; error 20 when it holds nothing, unless
 *   `create_if_not_exists: true`, which creates it with `to`;
 * - another type: error 10 not-supported; a request missing a field: error 12 malformed-request
 *   (its text names the field).
 * Keys are any JSON, compared as JSON (`1` and `"1"` are two keys).
 */
import { MAELSTROM_ERROR_CODE, MAELSTROM_RPCS, parseWith, type MaelstromBody, type MaelstromMessage } from '@faultline/protocol';
import { jsonEqual, jsonKey, show } from '../json.js';
import { errorTo, replyTo } from './service.js';

export interface KvEntry {
  readonly key: unknown;
  readonly value: unknown;
}

export type KvMap<E extends KvEntry = KvEntry> = ReadonlyMap<string, E>;

export interface KvStep<E extends KvEntry> {
  readonly map: KvMap<E>;
  readonly reply: MaelstromBody;
  /** Whether the key's entry changed (a write of the value it already held changes nothing, unless `make` stamps it anew). */
  readonly changed: boolean;
}

const { kvRead, kvWrite, kvCas } = MAELSTROM_RPCS;

/** One request against `map`; `make` builds a new entry (lww-kv stamps it). `service` names the service in error texts. */
export function kvStep<E extends KvEntry>(map: KvMap<E>, request: MaelstromMessage, make: (key: unknown, value: unknown) => E, service: string): KvStep<E> {
  const same = (reply: MaelstromBody): KvStep<E> => ({ map, reply, changed: false });
  const put = (key: unknown, value: unknown, reply: MaelstromBody): KvStep<E> => {
    const old = map.get(jsonKey(key));
    const entry = make(key, value);
    if (old && jsonEqual(old, entry)) return same(reply);
    const next = new Map(map);
    next.set(jsonKey(key), entry);
    return { map: next, reply, changed: true };
  };
  const missing = (key: unknown): MaelstromBody => errorTo(request, MAELSTROM_ERROR_CODE['key-does-not-exist'], `key ${show(key)} does not exist`);
  const malformed = (error: string): KvStep<E> => same(errorTo(request, MAELSTROM_ERROR_CODE['malformed-request'], error));
  switch (request.body.type) {
    case 'read': {
      const req = parseWith(kvRead.request, request.body, 'read');
      if (!req.ok) return malformed(req.error);
      const entry = map.get(jsonKey(req.value.key));
      return same(entry ? replyTo(request, { type: kvRead.okType, value: entry.value }) : missing(req.value.key));
    }
    case 'write': {
      const req = parseWith(kvWrite.request, request.body, 'write');
      if (!req.ok) return malformed(req.error);
      return put(req.value.key, req.value.value, replyTo(request, { type: kvWrite.okType }));
    }
    case 'cas': {
      const req = parseWith(kvCas.request, request.body, 'cas');
      if (!req.ok) return malformed(req.error);
      const { key, from, to } = req.value;
      const entry = map.get(jsonKey(key));
      if (!entry) return req.value.create_if_not_exists === true ? put(key, to, replyTo(request, { type: kvCas.okType })) : same(missing(key));
      if (!jsonEqual(entry.value, from)) return same(errorTo(request, MAELSTROM_ERROR_CODE['precondition-failed'], `current value ${show(entry.value)} is not ${show(from)}`));
      return put(key, to, replyTo(request, { type: kvCas.okType }));
    }
    default:
      return same(errorTo(request, MAELSTROM_ERROR_CODE['not-supported'], `${service} does not support ${show(request.body.type)}: only read, write and cas`));
  }
}
