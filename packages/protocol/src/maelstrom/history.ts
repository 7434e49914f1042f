/**
 * The history of a Maelstrom workload, as Jepsen records one (see ../history.ts for the general
 * shape): each client (`process`) `invoke`s an operation and later sees it complete `ok`, `fail`
 * (a definite error: it certainly did not happen) or `info` (a timeout or an indefinite error:
 * it may have happened). An invocation with no completion counts as `info`.
 *
 * What `value` holds, by workload (the invocation's value is what was asked, the completion's
 * what was answered; a completion that is not `ok` repeats the invocation's):
 * - echo `echo`: the payload sent / the payload echoed back.
 * - unique-ids `generate`: nothing / the id.
 * - broadcast `broadcast`: the message; `read`: nothing / the list of messages.
 * - g-set `add`: the element; `read`: nothing / the list of elements.
 * - g-counter, pn-counter `add`: the delta; `read`: nothing / the counter's value.
 * - lin-kv (with `key`) `read`: nothing / the value; `write`: the value; `cas`: `[from, to]`.
 * - txn-list-append `txn`: the micro-operations sent (reads' values null) / as answered.
 * - mv-register (with `key`) `read`: nothing / `{values, context}` as answered; `write`:
 *   `{value, seen}`, the value written and the values its context had seen (the client's last
 *   read; [] for a blind write).
 *
 * - failure-detector `suspects`: nothing / the nodes the node suspects.
 *
 * `final` marks the reads made after the faults healed and the cluster had time to converge;
 * `error` says why a `fail` or `info` (the Maelstrom error's name and code, or `timeout`).
 *
 * The nemesis's operations are in the history too, as Jepsen records them: process `nemesis`,
 * two `info` events each (as it begins, and once done), `f` one of MAELSTROM_NEMESIS_OPS and
 * `value` what it hit (`kill` and `revive`: the node; `partition`: the groups; `slow`: the
 * latency and jitter). Checkers of client operations leave them out (history/pair.ts); one
 * that needs the truth about the faults (failure-detector) reads them.
 */
import * as z from 'zod';
import { HISTORY_EVENT_TYPES } from '../history.js';
import { maelstromNodeIdSchema } from './message.js';

export const MAELSTROM_OPS = ['echo', 'generate', 'broadcast', 'read', 'add', 'write', 'cas', 'txn', 'suspects'] as const;
export type MaelstromOpName = (typeof MAELSTROM_OPS)[number];
/** The nemesis's operations: a fault, and what ends it (`clear-links` ends slow, drop, duplicate). */
export const MAELSTROM_NEMESIS_OPS = ['kill', 'revive', 'pause', 'resume', 'partition', 'heal', 'slow', 'drop', 'duplicate', 'clear-links', 'clock'] as const;
export type MaelstromNemesisOp = (typeof MAELSTROM_NEMESIS_OPS)[number];
/** The process of the nemesis's events. */
export const NEMESIS_PROCESS = 'nemesis';

export const maelstromOpErrorSchema = z.strictObject({
  /** A Maelstrom error's name (`key-does-not-exist`), `timeout` (no reply in time), or `malformed-reply`. */
  name: z.string().min(1).max(100),
  code: z.number().int().optional(),
  text: z.string().max(1000).optional(),
});
export type MaelstromOpError = z.infer<typeof maelstromOpErrorSchema>;

export const maelstromHistoryEventSchema = z.strictObject({
  process: z.union([z.number().int(), z.string().min(1).max(100)]),
  type: z.enum(HISTORY_EVENT_TYPES),
  f: z.enum([...MAELSTROM_OPS, ...MAELSTROM_NEMESIS_OPS]),
  /** lin-kv's key. */
  key: z.union([z.string(), z.number()]).optional(),
  value: z.unknown().optional(),
  /** When (ms, any origin): orders the events. */
  time: z.number(),
  /** The server the client asked. */
  node: maelstromNodeIdSchema.optional(),
  final: z.boolean().optional(),
  error: maelstromOpErrorSchema.optional(),
});
export type MaelstromHistoryEvent = z.infer<typeof maelstromHistoryEventSchema>;
/** A nemesis's event (process `nemesis`, `f` a nemesis operation), as against a client's. */
export type MaelstromNemesisEvent = MaelstromHistoryEvent & { readonly process: typeof NEMESIS_PROCESS; readonly f: MaelstromNemesisOp };
export const isNemesisEvent = (e: MaelstromHistoryEvent): e is MaelstromNemesisEvent => e.process === NEMESIS_PROCESS && (MAELSTROM_NEMESIS_OPS as readonly string[]).includes(e.f);
