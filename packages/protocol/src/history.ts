/**
 * An operation history, as Jepsen records one: one JSON object a line, each an event of a client
 * (`process`): it `invoke`s an operation, and later the operation completes `ok` (it happened, with
 * its result), `fail` (it certainly did not happen) or `info` (unknown: the client timed out or
 * crashed; it may or may not have taken effect, at any time after its invocation). A process has at
 * most one operation open at a time, so each completion pairs with that process's open invocation.
 * An invocation with no completion at all counts as `info`.
 *
 *   {"process": 0, "type": "invoke", "f": "write", "value": 1, "time": 10}
 *   {"process": 0, "type": "ok", "f": "write", "value": 1, "time": 14}
 *   {"process": 1, "type": "invoke", "f": "read", "time": 12}
 *   {"process": 1, "type": "ok", "f": "read", "value": 1, "time": 15}
 *
 * Operations: for a register, `read` (value: what was read, on `ok`), `write` (value), `cas`
 * (value `[expected, new]`); for a key-value map, `get`, `put` and `append`, each with a `key`
 * (`append` adds its value to the end of a list; `get` answers the list, or the value put).
 * `time` (any unit, e.g. ms) orders the events; without it, the line order does. `node` (the
 * server a client asked) and `error` (why a `fail` or `info`) are optional, for people to read.
 */
import * as z from 'zod';

export const HISTORY_EVENT_TYPES = ['invoke', 'ok', 'fail', 'info'] as const;
export const REGISTER_OPS = ['read', 'write', 'cas'] as const;
export const KV_OPS = ['get', 'put', 'append'] as const;

export const historyEventSchema = z.strictObject({
  process: z.union([z.number().int(), z.string().min(1).max(100)]),
  type: z.enum(HISTORY_EVENT_TYPES),
  f: z.enum([...REGISTER_OPS, ...KV_OPS]),
  key: z.union([z.string().max(200), z.number()]).optional(),
  value: z.unknown().optional(),
  time: z.number().optional(),
  /** The server the client asked (the lab's workloads say; other tools may not). */
  node: z.string().min(1).max(100).optional(),
  /** Why a `fail` or `info`, in words. */
  error: z.string().max(500).optional(),
});
export type HistoryEvent = z.infer<typeof historyEventSchema>;
export type HistoryModel = 'register' | 'kv';
