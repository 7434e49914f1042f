/**
 * A lesson file (`lessons/*.yaml`), or any scenario a user writes (`faultline run FILE.yaml`):
 * what it teaches, the cluster, the question asked before the run, a timeline of steps, the
 * expectations (named checks over the trace) and the explanation shown after. The JSON Schema that
 * editors use (`packages/lessons/lesson.schema.json`) is generated from this one.
 *
 * Durations are `200ms`, `2s`, `1.5s`, `1m` or a number of ms; percentages `10%` or a number.
 * Every step runs after the one before; `at` holds it until that long after the run started,
 * `after` until an event (a trace line) has happened since the step before.
 */
import * as z from 'zod';
import { behaviourSpecSchema } from './behaviours.js';
import { clockOffsetMsSchema, driftPpmSchema } from './clock-bounds.js';
import { rpcResultSchema } from './control.js';
import { DURATION_PATTERN, durationMs, SIGNED_DURATION_PATTERN } from './duration.js';
import { messageTypeSchema } from './envelope.js';
import { nodeIdSchema } from './ids.js';
import { registerKeySchema } from './register.js';

/** `200ms`, `2s`, `1.5s`, `1m` or a number (ms) → ms. */
export const durationSchema = z
  .union([z.number().nonnegative(), z.string().regex(DURATION_PATTERN, 'expected a duration like 200ms or 2s')], { error: 'expected a duration like 200ms or 2s' })
  .transform((v) => (typeof v === 'number' ? v : durationMs(v)!))
  .pipe(z.number().max(3_600_000, 'expected a duration of at most 1 hour'));

/** Like a duration, with a sign: `+2s`, `-500ms` (clock offsets and jumps). */
export const signedDurationSchema = z
  .union([z.number(), z.string().regex(SIGNED_DURATION_PATTERN, 'expected a signed duration like +2s or -500ms')], { error: 'expected a signed duration like +2s or -500ms' })
  .transform((v) => (typeof v === 'number' ? v : durationMs(v, { signed: true })!));

/** `10%` or a number → 0–100. */
export const percentSchema = z
  .union([z.number().min(0, 'expected a percentage from 0% to 100%').max(100, 'expected a percentage from 0% to 100%'), z.string().regex(/^([0-9]+(?:\.[0-9]+)?)%$/, 'expected a percentage like 10%')], { error: 'expected a percentage like 10%' })
  .transform((v) => (typeof v === 'number' ? v : Number(v.slice(0, -1))))
  .refine((v) => v <= 100, 'expected a percentage from 0% to 100%');

/**
 * How big a lesson may be: the file, each of its texts, its lists. A lesson is read whole and
 * its texts are printed: a bound keeps a mistaken or hostile file from taking the machine.
 */
export const LESSON_LIMITS = {
  /** The file, in bytes (the lessons that ship are about 3 KB). */
  fileBytes: 256 * 1024,
  /** `context`, `explain`: a few paragraphs. */
  longText: 4_000,
  /** `teaches`, the question, a choice, a step's note. */
  text: 1_000,
  /** A title, a concept, a message type, a name, a trace field. */
  shortText: 200,
  steps: 500,
  /** The steps sweeps run in all (each sweep's values × its steps): a lesson runs in a minute. */
  sweptSteps: 2_000,
  checks: 100,
  choices: 10,
} as const;

/** A string of at most `max` characters (and at least one, unless `min` is 0). */
const text = (max: number, min = 1): z.ZodString => z.string().min(min).max(max, `expected at most ${max} characters`);

const name = text(LESSON_LIMITS.shortText).regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'expected a name of letters, digits, - and _ (starting with a letter)');
const pair = { from: nodeIdSchema, to: nodeIdSchema };
const body = z.record(z.string(), z.unknown()).default({});

/** Which trace lines a step waits for, or a check counts: every field given must match. */
export const traceMatchSchema = z.strictObject({
  kind: text(LESSON_LIMITS.shortText),
  node: nodeIdSchema.optional(),
  from: nodeIdSchema.optional(),
  to: nodeIdSchema.optional(),
  msgType: text(LESSON_LIMITS.shortText, 0).optional(),
  /** A proxy action: dropped, duplicated, delayed, held, released. */
  action: text(LESSON_LIMITS.shortText, 0).optional(),
  /** A link, `n1-n2`. */
  link: text(LESSON_LIMITS.shortText, 0).optional(),
  /** A state event's key (`counter`, `append` …). */
  key: text(LESSON_LIMITS.shortText, 0).optional(),
});
export type TraceMatch = z.infer<typeof traceMatchSchema>;

export const rpcStepSchema = z.strictObject({
  ...pair,
  type: messageTypeSchema.default('ping'),
  body,
  /** Per attempt. */
  timeout: durationSchema.default(1000),
  retries: z.number().int().min(0).max(20).default(0),
  /** The name checks and `await` use for this call. */
  as: name.optional(),
  /** false: go on with the next step while the call is under way (`await: NAME` waits for it). */
  wait: z.boolean().default(true),
});

export const linkStepSchema = z.strictObject({
  ...pair,
  latency: durationSchema.optional(),
  jitter: durationSchema.optional(),
  drop: percentSchema.optional(),
  duplicate: percentSchema.optional(),
  reorder: percentSchema.optional(),
  both: z.boolean().default(false),
});

const label = { name: text(LESSON_LIMITS.shortText).optional() };
/** A workload's history by its name, or several read as one (in true-time order): `[before, cut]`. */
const histories = z.union([name, z.array(name).min(1).max(20)]).transform((h) => (Array.isArray(h) ? h : [h]));
/** A figure's bounds: every one given must hold. */
const bounds = { equals: z.number().optional(), min: z.number().optional(), max: z.number().optional() };

/** A sweep's value: `2s`, `10%`, a number … whatever its steps put where `{{value}}` stands. */
const sweepValueSchema = z.union([z.number(), text(50)]);

/** The expectations: each a named check over the trace and the calls' outcomes. */
export const checkSchema = z.discriminatedUnion('check', [
  /** Each named call ended, for its sender, with `outcome`. */
  z.strictObject({ check: z.literal('rpc_outcome'), ...label, rpcs: z.array(name).min(1), outcome: rpcResultSchema.shape.outcome }),
  /** The named calls looked the same to their sender: same outcome, same number of attempts. */
  z.strictObject({ check: z.literal('same_sender_view'), ...label, rpcs: z.array(name).min(2) }),
  /** What really happened to a call's (last) request, by the ambiguity lens. */
  z.strictObject({
    check: z.literal('ground_truth'),
    ...label,
    rpc: name,
    is: z.enum([
      'request_dropped', 'request_malformed', 'request_held', 'request_lost', 'receiver_paused', 'crashed_before_processing', 'crashed_after_processing',
      'not_answered', 'reply_dropped', 'reply_held', 'reply_lost', 'reply_late',
    ]),
  }),
  /** The named calls' ground truths are all different. */
  z.strictObject({ check: z.literal('distinct_truths'), ...label, rpcs: z.array(name).min(2) }),
  /** The reply a call got has these fields (e.g. `value: 2`). */
  z.strictObject({ check: z.literal('rpc_reply'), ...label, rpc: name, body: z.record(z.string(), z.unknown()) }),
  /** The last value a node's behaviour traced for `key` (e.g. the counter). */
  z.strictObject({ check: z.literal('state'), ...label, node: nodeIdSchema, key: text(LESSON_LIMITS.shortText), equals: z.unknown() }),
  /** How many trace lines match `where`. */
  z.strictObject({
    check: z.literal('count'),
    ...label,
    where: traceMatchSchema,
    equals: z.number().int().nonnegative().optional(),
    min: z.number().int().nonnegative().optional(),
    max: z.number().int().nonnegative().optional(),
  }),
  /**
   * A node's log (its `append` state events, in order) against the items the workload sent it:
   * `matches` exactly, or `differs` (out of order or duplicated).
   */
  z.strictObject({ check: z.literal('log'), ...label, node: nodeIdSchema, from: nodeIdSchema, is: z.enum(['matches', 'differs']) }),
  /**
   * Register writes lost to a write made earlier in true time (the god's-eye view), on `key` or
   * every key: the value is how many.
   */
  z.strictObject({ check: z.literal('lost_updates'), ...label, key: registerKeySchema.optional(), ...bounds }),
  /**
   * What a node's register holds for `key` at the end: `count` values (more than one: siblings),
   * `holds` the write a named invoke made.
   */
  z.strictObject({ check: z.literal('register'), ...label, node: nodeIdSchema, key: registerKeySchema, count: z.number().int().nonnegative().optional(), holds: name.optional() }),
  /** How many values a named read (an invoke of `read`) answered. */
  z.strictObject({ check: z.literal('read'), ...label, read: name, count: z.number().int().nonnegative() }),
  /** What happened first, by vector clocks: the writes two named invokes made (as `faultline order` answers). */
  z.strictObject({ check: z.literal('order'), ...label, a: name, b: name, is: z.enum(['before', 'after', 'concurrent']) }),
  /**
   * Messages whose receive is not after their send by `clock` (by wall clocks: arrived before it
   * left). Heartbeats are left out. The value is how many.
   */
  z.strictObject({ check: z.literal('clock_order'), ...label, clock: z.enum(['wall', 'lamport', 'hlc', 'vector']), ...bounds }),
  /**
   * How far a node's hybrid clock ran ahead of its own wall clock (ms): `min`/`max` bound it, and
   * `within_bound` says it stayed within the largest skew between two nodes' wall clocks (ε).
   */
  z.strictObject({ check: z.literal('hlc_gap'), ...label, node: nodeIdSchema, ...bounds, within_bound: z.boolean().optional() }),
  /**
   * The clock synchronisation rounds a named invoke of `sync` started: each estimate against the
   * true offset (from the trace). `min`/`max` bound the median error (ms); `within_bound` says
   * every error stayed within the bound the method claimed.
   */
  z.strictObject({ check: z.literal('sync'), ...label, rounds: name, ...bounds, within_bound: z.boolean().optional() }),
  /**
   * Is a workload's history (an `ops` step's `as`, or several: `history: [before, cut]`) linearizable under the key-value model? `is`
   * says which verdict the lesson expects; a check whose budget runs out (unknown) never holds.
   */
  z.strictObject({ check: z.literal('linearizable'), ...label, history: histories, is: z.boolean() }),
  /** How many operations of a history match: `f` (read or write), `type` (ok, fail, info), the server `node`. */
  z.strictObject({
    check: z.literal('ops'),
    ...label,
    history: histories,
    f: z.enum(['read', 'write']).optional(),
    type: z.enum(['ok', 'fail', 'info']).optional(),
    node: nodeIdSchema.optional(),
    ...bounds,
  }),
  /**
   * Reads that answered an older value than one whose write was acknowledged before the read
   * began: the value is how many; `node` counts only reads served there.
   */
  z.strictObject({ check: z.literal('stale_reads'), ...label, history: histories, node: nodeIdSchema.optional(), ...bounds }),
  /** Acknowledged writes (ok) missing from the history's last read: the value is how many. */
  z.strictObject({ check: z.literal('lost_writes'), ...label, history: histories, ...bounds }),
  /**
   * Causal consistency as each client sees it: reads that broke a session guarantee (read your
   * writes, monotonic reads) of their own client. The value is how many.
   */
  z.strictObject({ check: z.literal('causal'), ...label, history: histories, ...bounds }),
  /** The last read each of `nodes` answered in the history: all the same (`is: true`), or not. */
  z.strictObject({ check: z.literal('converged'), ...label, history: histories, nodes: z.array(nodeIdSchema).min(2), is: z.boolean() }),
  /**
   * A failure detector's suspicions (its `suspect` lines): how many, of `peer`, by `observer`,
   * only right ones (`right: true`: the peer was crashed or paused) or wrong ones (it was alive).
   */
  z.strictObject({ check: z.literal('suspicions'), ...label, observer: nodeIdSchema.optional(), peer: nodeIdSchema.optional(), right: z.boolean().optional(), ...bounds }),
  /** How long the detectors took to suspect `peer` after it first really failed (the slowest observer, ms); never: no figure. */
  z.strictObject({ check: z.literal('detection'), ...label, peer: nodeIdSchema, observer: nodeIdSchema.optional(), ...bounds }),
  /** The most nodes (of `nodes`, default all) that believed they led at one instant of true time (leases counted as the leaders claimed them). */
  z.strictObject({ check: z.literal('leaders'), ...label, nodes: z.array(nodeIdSchema).min(1).optional(), ...bounds }),
  /** One row of a sweep: its figure within the bounds. */
  z.strictObject({ check: z.literal('sweep'), ...label, sweep: name, row: sweepValueSchema.transform(String), ...bounds }),
]);
export type Check = z.infer<typeof checkSchema>;
export type CheckKind = Check['check'];

/** What a step does: exactly one of these keys (a step with only a `note` just says something). */
const baseStepActions = {
  rpc: rpcStepSchema,
  send: z.strictObject({ ...pair, type: messageTypeSchema, body }),
  /** A workload: `count` one-way `append` messages, items `a1 … aN` with `seq` 1 … N, to each node in `to`. */
  appends: z.strictObject({
    from: nodeIdSchema,
    to: z.union([nodeIdSchema, z.array(nodeIdSchema).min(1)]).transform((t) => (Array.isArray(t) ? t : [t])),
    count: z.number().int().min(1).max(10_000),
    every: durationSchema.default(0),
  }),
  /**
   * A client request on a node itself (`faultline invoke`): a register's `write {key, value}` or
   * `read {key}`, a `sync {rounds}`. `as` names it for checks and `{{invoke.NAME.FIELD}}`.
   */
  invoke: z.strictObject({ node: nodeIdSchema, type: messageTypeSchema, body, as: name.optional() }),
  /**
   * A register workload: `count` writes of `v1 … vN` to `key`, taking turns on `nodes`. Each write
   * waits until its node has the write before it (so it comes causally after it), and with `read`
   * reads the key first, as a client that looks before it writes. Ends when every replica has
   * decided on the last write (or 10 s have gone).
   */
  writes: z.strictObject({
    nodes: z.array(nodeIdSchema).min(1).max(20),
    key: registerKeySchema,
    count: z.number().int().min(1).max(1000),
    every: durationSchema.default(0),
    read: z.boolean().default(true),
  }),
  /**
   * Wait until every running copy of the register has caught up with each write these named
   * invokes made: decided on it (kept it, or thrown it away), or on a write that beat it (copies
   * pass on only what they hold): up to the step's `within`.
   */
  replicated: z.array(name).min(1).max(20),
  /**
   * A client workload against a key-value store (the `kv` or `leader` behaviour), recorded as a
   * history (`as` names it; a later `ops` step with the same name goes on with it). `clients`
   * processes on node `from`, each doing one operation at a time as Jepsen's do: `cycle` gives
   * the operations in turn (default write, read), writes (`put`, or `append`) of the values 1, 2,
   * 3 … (numbered over the whole run, so no value is written twice) go to the `writes` nodes in turn, reads (`get`) to the `reads` nodes. Each is a call with
   * `timeout`: a reply is `ok`; a definite error, or a call that could not be sent, `fail`; no
   * reply in time, or an error that leaves it unknown, `info`. `wait: false` goes on with the
   * next step meanwhile (`await: NAME` waits for it). The history is written to the run's folder
   * as `history-NAME.jsonl` for `faultline check`.
   */
  ops: z
    .strictObject({
      as: name,
      from: nodeIdSchema,
      clients: z.number().int().min(1).max(10).default(1),
      key: registerKeySchema.default('x'),
      reads: z.array(nodeIdSchema).max(20).default([]),
      writes: z.array(nodeIdSchema).max(20).default([]),
      write: z.enum(['put', 'append']).default('put'),
      cycle: z.array(z.enum(['read', 'write'])).min(1).max(20).default(['write', 'read']),
      /** Operations in all (over every client). */
      count: z.number().int().min(1).max(2000),
      /** Each client's pause after each operation. */
      every: durationSchema.default(0),
      timeout: durationSchema.default(500),
      wait: z.boolean().default(true),
    })
    .superRefine((o, ctx) => {
      for (const f of ['read', 'write'] as const) {
        const to = f === 'read' ? o.reads : o.writes;
        if (o.cycle.includes(f) && to.length === 0) ctx.addIssue({ code: 'custom', path: [`${f}s`], message: `the cycle has ${f}s: say where they go (${f}s: [n1, …])` });
      }
    }),
  kill: nodeIdSchema,
  pause: nodeIdSchema,
  resume: nodeIdSchema,
  revive: nodeIdSchema,
  /** Blockade's form: groups that cannot reach each other; the nodes not named form one more. */
  partition: z.array(z.array(nodeIdSchema).min(1)).min(1),
  block: z.strictObject(pair),
  heal: z.literal(true),
  link: linkStepSchema,
  /** `true`: every link's faults; or one link's. */
  clear_links: z.union([z.literal(true), z.strictObject(pair)]),
  hold: z.strictObject(pair),
  release: z.strictObject(pair),
  clock: z.strictObject({
    node: nodeIdSchema,
    offset: signedDurationSchema.pipe(clockOffsetMsSchema).optional(),
    drift: driftPpmSchema.optional(),
    jump: signedDurationSchema.pipe(clockOffsetMsSchema).optional(),
  }),
  wait: durationSchema,
  /** Wait until the call or workload named here (`wait: false`) has ended. */
  await: name,
} as const;

type Actions = Record<string, z.ZodType>;

/** A step of `actions`: the timing fields, a note, and exactly one action. */
function stepOf<A extends Actions>(actions: A) {
  const keys = Object.keys(actions);
  const shape = Object.fromEntries(keys.map((k) => [k, actions[k].optional()])) as { [K in keyof A]: z.ZodOptional<A[K]> };
  return z
    .strictObject({
      /** Not before this long after the run started. */
      at: durationSchema.optional(),
      /** Not before a trace line like this has come since the step before (waits up to `within`). */
      after: traceMatchSchema.optional(),
      within: durationSchema.default(10_000),
      /** Shown to the student as the step runs. */
      note: text(LESSON_LIMITS.text, 0).optional(),
      ...shape,
    })
    .superRefine((step, ctx) => {
      const record = step as Record<string, unknown>;
      const actions = keys.filter((k) => record[k] !== undefined);
      if (actions.length > 1) ctx.addIssue({ code: 'custom', message: `a step does one thing, this one has ${actions.join(' and ')}` });
      if (actions.length === 0 && record.note === undefined) ctx.addIssue({ code: 'custom', message: `a step needs an action (${keys.join(', ')}) or a note` });
    });
}

/** A step inside a sweep: anything but another sweep. */
const rowStepSchema = stepOf(baseStepActions);


/** `{{value}}` and `{{row}}` (1, 2, …) filled in, in every string of a sweep's steps. */
function fillRow(raw: unknown, value: string | number, row: number): unknown {
  if (typeof raw === 'string') {
    if (raw.trim() === '{{value}}') return value;
    return raw.replaceAll(/\{\{\s*value\s*\}\}/g, String(value)).replaceAll(/\{\{\s*row\s*\}\}/g, String(row));
  }
  if (Array.isArray(raw)) return raw.map((v) => fillRow(v, value, row));
  if (raw !== null && typeof raw === 'object') return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, fillRow(v, value, row)]));
  return raw;
}

/**
 * A sweep: the same block of steps run once for each value (`{{value}}` and `{{row}}` in its
 * strings are that row's), and after each row the `measure` check read over that row's trace
 * lines: its value (or its `field`) is the row's figure. The report shows the rows as a table and
 * a chart; a `sweep` check asserts one row.
 */
export const sweepSchema = z
  .strictObject({
    name,
    /** What the values are, for the table's heading: `n3's clock behind`. */
    label: text(LESSON_LIMITS.shortText),
    values: z.array(sweepValueSchema).min(1).max(20),
    /** What the figure is: `lost updates`. */
    figure: text(LESSON_LIMITS.shortText),
    steps: z.array(z.record(z.string(), z.unknown())).min(1).max(100),
    measure: z.record(z.string(), z.unknown()),
    /** Which field of the measure's value is the figure, when the value is not a number. */
    field: text(LESSON_LIMITS.shortText).optional(),
  })
  .transform((sweep, ctx) => {
    const seen = new Set<string>();
    const rows = sweep.values.map((value, i) => {
      const key = String(value);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['values', i], message: `the value ${key} is in the sweep twice` });
      seen.add(key);
      const steps = z.array(rowStepSchema).safeParse(fillRow(sweep.steps, value, i + 1));
      const measure = checkSchema.safeParse(fillRow(sweep.measure, value, i + 1));
      for (const [part, parsed] of [['steps', steps], ['measure', measure]] as const) {
        // The issue as zod made it (its code says how to word it), under the sweep's path, with its row.
        if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [part, ...issue.path], row: key });
      }
      return { value: key, steps: steps.success ? steps.data : [], measure: (measure.success ? measure.data : undefined) as Check };
    });
    return { name: sweep.name, label: sweep.label, figure: sweep.figure, ...(sweep.field ? { field: sweep.field } : {}), rows };
  });
export type Sweep = z.output<typeof sweepSchema>;

export const stepActions = { ...baseStepActions, sweep: sweepSchema } as const;
export type StepAction = keyof typeof stepActions;
export const STEP_ACTIONS = Object.keys(stepActions) as StepAction[];

export const stepSchema = stepOf(stepActions);
export type Step = z.infer<typeof stepSchema>;
export type RowStep = z.infer<typeof rowStepSchema>;

export const lessonSchema = z.strictObject({
  /** The `$schema` an editor may put first. */
  $schema: text(LESSON_LIMITS.text, 0).optional(),
  /** What `faultline lesson run NAME` calls it. */
  name,
  title: text(LESSON_LIMITS.shortText),
  /** The course's concept: reliable communication, time, partial failure … */
  concept: text(LESSON_LIMITS.shortText),
  /** The sentence of the course this lesson makes true for the student. */
  teaches: text(LESSON_LIMITS.text),
  minutes: z.number().positive().max(60),
  /** What the student should know before the run. */
  context: text(LESSON_LIMITS.longText),
  cluster: z.strictObject({
    nodes: z.number().int().min(1).max(20),
    seed: z.union([z.number().int(), z.string().max(30, 'expected at most 30 characters').regex(/^-?[0-9]+$/)]).transform(String).optional(),
    /** Interval of heartbeats (default 500ms; 10ms … 60s); a long one keeps them out of the lesson's traffic. */
    heartbeat: durationSchema.pipe(z.number().int('expected a whole number of ms for heartbeat').min(10, 'expected a heartbeat of at least 10ms').max(60_000, 'expected a heartbeat of at most 60s')).optional(),
    /** Behaviours to start on nodes (started again on revive). */
    behaviours: z.record(nodeIdSchema, z.array(behaviourSpecSchema).min(1)).default({}),
  }),
  /**
   * The question asked before the run. The student answers with a choice's number (or its words),
   * or in their own words when there are no choices; the reveal sets the answer beside `answer`.
   */
  predict: z
    .strictObject({
      question: text(LESSON_LIMITS.text),
      choices: z.array(text(LESSON_LIMITS.text)).min(2).max(LESSON_LIMITS.choices, `expected at most ${LESSON_LIMITS.choices} choices`).optional(),
      /** What happens: the right choice's number (1 = the first), or in words when there are no choices. */
      answer: z.union([z.number().int().min(1), text(LESSON_LIMITS.text)]).optional(),
    })
    .superRefine((p, ctx) => {
      if (p.answer === undefined) return;
      if (p.choices && typeof p.answer !== 'number') ctx.addIssue({ code: 'custom', path: ['answer'], message: `expected the right choice's number (1 … ${p.choices.length}), got "${p.answer}"` });
      else if (p.choices && typeof p.answer === 'number' && p.answer > p.choices.length) ctx.addIssue({ code: 'custom', path: ['answer'], message: `expected the right choice's number (1 … ${p.choices.length}), got ${p.answer}` });
      else if (!p.choices && typeof p.answer === 'number') ctx.addIssue({ code: 'custom', path: ['answer'], message: 'a number names a choice, and this question has none: give the answer in words' });
    }),
  steps: z.array(stepSchema).min(1).max(LESSON_LIMITS.steps, `expected at most ${LESSON_LIMITS.steps} steps`),
  expect: z.array(checkSchema).min(1).max(LESSON_LIMITS.checks, `expected at most ${LESSON_LIMITS.checks} checks`),
  /**
   * Shown after the run. `{{rpc.A.elapsed}}`, `{{rpc.A.outcome}}`, `{{rpc.A.attempts}}`,
   * `{{check.NAME}}` (a check's value: a count, a state, a log's length) and `{{seed}}` are
   * replaced by this run's figures.
   */
  explain: text(LESSON_LIMITS.longText),
});
export type Lesson = z.infer<typeof lessonSchema>;
export type LessonInput = z.input<typeof lessonSchema>;
