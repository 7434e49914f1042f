/**
 * The leader lease (`leader` behaviour): the messages its nodes exchange, the client requests it
 * takes, and the `state` lines it traces. Declared once here: the behaviour builds them; the
 * checkers, the lessons and the dashboard read them.
 *
 * The members (the setting `members`, default every node of the lab) elect among themselves;
 * majorities are of the members. Every node keeps a `term` (0 at first) and whom it follows. Its
 * election timeout is `2 × leaseMs + rank × heartbeatMs`, rank its place among the members.
 * - Without `quorum` a node that has heard no leader for that long leads at once in term + 1.
 * - With it, the node first asks whether a majority would vote for it (a pre-vote, which moves
 *   nobody's term), then becomes a candidate (`vote_req`), and leads once a majority (itself
 *   included) voted for it. A node votes once a term, never while it heard a leader (or voted)
 *   within `leaseMs`, and never for a candidate whose entries are older than its own (their
 *   term, then their count). The leader's lease lasts until `t + leaseMs`, t the time it sent the
 *   last `lead` round a majority acknowledged (before any: the election's start); it steps down
 *   the moment it ends.
 * A node seeing a higher term in any message adopts it (a leader or candidate steps down), except
 * a vote request it refuses because it heard a live leader: that one does not move it.
 *
 * Clients (another node's `rpc`) send `append {key, value}` and `get {key}`, answered `append_ok`,
 * `get_ok` or `kv_error {definite, reason}` (the same answers as the `kv` behaviour's).
 *
 * State lines (behaviour `leader`):
 *
 * | key         | value                                   | when                                            |
 * |-------------|-----------------------------------------|-------------------------------------------------|
 * | `pre_vote`  | `{term}`                                 | (quorum) it asks whether it could win `term`     |
 * | `candidate` | `{term}`                                 | (quorum) a majority would: it stands, asks for votes |
 * | `leader`    | `{term, quorum, votes?, leaseMs?, leftMs?}` | it leads                                     |
 * | `lease`     | `{term, leftMs}`                         | (quorum) a majority renewed its lease            |
 * | `step_down` | `{term, reason, was}`                    | it stops leading (or standing) in `term`         |
 * | `follow`    | `{leader, term}`                         | it follows a new leader                          |
 * | `adopt`     | `{leader, term, dropped}`                | it took a leader's entries and lost some values, or it had led |
 * | `accepted`  | `{key, value, term}`                     | an append was acknowledged to its client         |
 * | `refused`   | `{key, value, reason}`                   | an append was refused (definite)                 |
 */
import * as z from 'zod';
import { nodeIdSchema } from './ids.js';

/** The message types of the protocol between the nodes. */
export const LEADER_LEAD = 'lead';
export const LEADER_LEAD_ACK = 'lead_ack';
export const LEADER_VOTE_REQUEST = 'vote_req';
export const LEADER_VOTE = 'vote';
/** The client requests, and their answers (the `kv` behaviour's names). */
export const LEADER_APPEND = 'append';
export const LEADER_GET = 'get';
export const LEADER_APPEND_OK = 'append_ok';
export const LEADER_GET_OK = 'get_ok';
export const LEADER_ERROR = 'kv_error';

/** The most values a node keeps (every key together): an append past it is refused. */
export const LEADER_MAX_VALUES = 1000;
/** The longest value an append takes, as JSON text. */
export const LEADER_MAX_VALUE_CHARS = 200;

export const leaderTermSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const leaderKeySchema = z.string().min(1).max(200);
/** A value: any JSON of at most `LEADER_MAX_VALUE_CHARS` characters. */
export const leaderValueSchema = z.custom<unknown>((v) => (jsonLength(v) ?? Infinity) <= LEADER_MAX_VALUE_CHARS, `expected a value (any JSON, at most ${LEADER_MAX_VALUE_CHARS} characters)`);

/** The length of `v` as JSON text, or null when it is not JSON (undefined, a function, a cycle). */
function jsonLength(v: unknown): number | null {
  try {
    const text = JSON.stringify(v) as string | undefined;
    return text === undefined ? null : text.length;
  } catch {
    return null;
  }
}

/** One value of a key, with the term of the leader that took it. */
export const leaderEntrySchema = z.object({ value: leaderValueSchema, term: leaderTermSchema.min(1) });
export type LeaderEntry = z.infer<typeof leaderEntrySchema>;
/**
 * A node's whole state: each key (once) with its values in append order. A leader sends all of it
 * in every `lead`; a follower takes it wholesale.
 */
export const leaderEntriesSchema = z
  .array(z.object({ key: leaderKeySchema, values: z.array(leaderEntrySchema).max(LEADER_MAX_VALUES) }))
  .max(LEADER_MAX_VALUES)
  .refine((keys) => keys.reduce((n, k) => n + k.values.length, 0) <= LEADER_MAX_VALUES, `expected at most ${LEADER_MAX_VALUES} values`)
  .refine((keys) => new Set(keys.map((k) => k.key)).size === keys.length, 'expected each key once');
export type LeaderEntries = z.infer<typeof leaderEntriesSchema>;

// ── between the nodes ─────────────────────────────────────────────────────

/** `lead`: the leader's round `round` (1, 2 … in its term), every `heartbeatMs`, and at each append. */
export const leaderLeadSchema = z.object({ term: leaderTermSchema.min(1), round: z.number().int().min(1), entries: leaderEntriesSchema });
export type LeaderLead = z.infer<typeof leaderLeadSchema>;
/**
 * `lead_ack` (a reply to a `lead`): with quorum, a follower's acknowledgement of round `round`
 * in `term`. Any node answers a `lead` of an older term with one carrying its own term, so that
 * leader learns it is stale.
 */
export const leaderLeadAckSchema = z.object({ term: leaderTermSchema, round: z.number().int().min(1) });
/**
 * `vote_req`: a candidate asks for votes in `term`; its entries are those of the leader of
 * `entriesTerm` (0: none), `entriesCount` values.
 */
export const leaderVoteRequestSchema = z.object({
  term: leaderTermSchema.min(1),
  entriesTerm: leaderTermSchema,
  entriesCount: z.number().int().nonnegative(),
  /**
   * A pre-vote (etcd's raft: PreVote): "would you vote for me in `term`?", asked before standing.
   * The voter answers by the same rules but moves neither its term nor its vote, and the asker
   * stands (and moves its term) only once a majority would vote for it: a node cut off from the
   * majority asks again and again without raising its term, so healing does not unseat a leader.
   */
  pre: z.literal(true).optional(),
});
/** `vote` (a reply to a `vote_req`): granted or not, in the voter's term; `reason` when refused; `pre` for a pre-vote. */
export const leaderVoteSchema = z.object({ term: leaderTermSchema, granted: z.boolean(), reason: z.string().max(300).optional(), pre: z.literal(true).optional() });

// ── clients ───────────────────────────────────────────────────────────────

/** `append`: add `value` to the end of `key`'s list (only the leader takes it). */
export const leaderAppendRequestSchema = z.strictObject({ key: leaderKeySchema, value: leaderValueSchema });
/** `get`: the values of `key` on the node asked (any node answers from its own copy). */
export const leaderGetRequestSchema = z.strictObject({ key: leaderKeySchema });
/** `append_ok`: the append took effect in `term` (with quorum: a majority holds it). */
export const leaderAppendOkSchema = z.object({ key: leaderKeySchema, term: leaderTermSchema.min(1) });
/** `get_ok`: the key's values in append order, or null when it has none. */
export const leaderGetOkSchema = z.object({ key: leaderKeySchema, value: z.array(z.unknown()).nullable() });
/**
 * `kv_error`: `definite` true: the append certainly did not take effect (not the leader, a bad
 * body); false: maybe it did (the leader stepped down before a majority acknowledged it).
 */
export const leaderErrorSchema = z.object({ definite: z.boolean(), reason: z.string() });
export type LeaderError = z.infer<typeof leaderErrorSchema>;

// ── state lines ───────────────────────────────────────────────────────────

/** `pre_vote`: (quorum) its timer ran out; it asks whether a majority would vote for it in `term` (its own term does not move). */
export const leaderPreVoteEventSchema = z.object({ term: leaderTermSchema.min(1) });
/** `candidate`: (quorum) it stands in `term` and asks for votes. */
export const leaderCandidateEventSchema = z.object({ term: leaderTermSchema.min(1) });
/**
 * `leader`: it leads `term`. With quorum: `votes` (the nodes that voted for it, itself included,
 * sorted), `leaseMs`, and `leftMs`: how long its first lease has left now (it runs from the
 * election's start), so the lease ends at this line's true time + `leftMs`.
 */
export const leaderTermEventSchema = z.object({
  term: leaderTermSchema.min(1),
  quorum: z.boolean(),
  votes: z.array(nodeIdSchema).optional(),
  leaseMs: z.number().positive().optional(),
  leftMs: z.number().optional(),
});
export type LeaderTermEvent = z.infer<typeof leaderTermEventSchema>;
/** `lease`: (quorum) a majority acknowledged a round: the lease ends at this line's true time + `leftMs`. */
export const leaderLeaseEventSchema = z.object({ term: leaderTermSchema.min(1), leftMs: z.number() });
/** `step_down`: it stops leading (`was: 'leader'`) or standing (`'candidate'`) in `term`, and why. */
export const leaderStepDownEventSchema = z.object({ term: leaderTermSchema.min(1), reason: z.string(), was: z.enum(['leader', 'candidate']) });
export type LeaderStepDownEvent = z.infer<typeof leaderStepDownEventSchema>;
/** The reason of a quorum leader's `step_down` when no majority renewed its lease in time. */
export const LEASE_EXPIRED = 'lease expired: no majority answered';
/** `follow`: it follows `leader`, which leads `term`. */
export const leaderFollowEventSchema = z.object({ leader: nodeIdSchema, term: leaderTermSchema.min(1) });
/** A value a node held and the leader it adopted does not: a write lost, unless it was never acknowledged. */
export const leaderDroppedSchema = z.object({ key: leaderKeySchema, value: z.unknown(), term: leaderTermSchema.min(1) });
/**
 * `adopt`: it took the entries of `leader` (term `term`) wholesale, dropping `dropped`. Traced
 * when something was dropped, and at the first adoption after it stepped down (even of nothing).
 */
export const leaderAdoptEventSchema = z.object({ leader: nodeIdSchema, term: leaderTermSchema.min(1), dropped: z.array(leaderDroppedSchema) });
/** `accepted`: an append acknowledged to its client (`msg`: the request), in `term`. */
export const leaderAcceptedEventSchema = z.object({ key: leaderKeySchema, value: z.unknown(), term: leaderTermSchema.min(1) });
/** `refused`: an append refused for certain (not the leader, its lease not valid, full). */
export const leaderRefusedEventSchema = z.object({ key: leaderKeySchema, value: z.unknown(), reason: z.string() });

/** The keys of the `state` lines the behaviour traces, each with its value's schema. */
export const LEADER_STATE_SCHEMAS = {
  pre_vote: leaderPreVoteEventSchema,
  candidate: leaderCandidateEventSchema,
  leader: leaderTermEventSchema,
  lease: leaderLeaseEventSchema,
  step_down: leaderStepDownEventSchema,
  follow: leaderFollowEventSchema,
  adopt: leaderAdoptEventSchema,
  accepted: leaderAcceptedEventSchema,
  refused: leaderRefusedEventSchema,
} as const;
export type LeaderStateKey = keyof typeof LEADER_STATE_SCHEMAS;
