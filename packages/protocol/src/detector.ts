/**
 * Heartbeat failure detectors (`detector` behaviour): the messages, the client request and the
 * `state` lines. Declared once here: the behaviour builds them; the checkers, the lessons and the
 * dashboard read them.
 *
 * Every node that runs a detector sends `fd_beat` (one-way, empty body) every `intervalMs`
 * (monotonic) to every peer whose link is open, and watches every peer from the first `fd_beat`
 * it hears from it: a node that runs no detector sends none, so it is never suspected.
 * - `timeout`: a watched peer is suspected once `timeoutMs` have passed since its last beat.
 * - `phi` (the accrual detector of Hayashibara et al., as Akka and Cassandra compute it): the last
 *   `DETECTOR_HISTORY` inter-arrival times of each peer give a mean μ and a standard deviation σ
 *   (at least `intervalMs / 10`; before two samples μ = intervalMs, σ = intervalMs / 4). t ms
 *   after the last beat, phi(t) = −log10(1 − F(t)), F the normal CDF of (μ, σ) in Akka's logistic
 *   approximation: phi = 1 means a 10% chance that a beat this late is still to come, 2 a 1%
 *   chance, 8 one in 10^8. The peer is suspected once phi passes `threshold`. Irregular beats
 *   (a larger σ) make the detector wait longer; steady ones make it quick. The gap that ends a
 *   suspicion is not added to the history (as Akka does: one long outage would skew it for 100 beats).
 * A beat from a suspected peer trusts it again.
 *
 * The detector measures gaps on its own monotonic clock, so it cannot tell a silent peer from its
 * own silence: a node that was paused (SIGSTOP) finds, on resuming, every peer unheard for the
 * whole pause, and suspects them all at once, before their queued beats are read. That is what a
 * real detector does, and the checker counts those suspicions as wrong (the peers were alive).
 *
 * Client request (`faultline invoke NODE fd_config '{…}'`): `fd_config {method?, timeoutMs?,
 * threshold?}` changes the settings at once, keeps each peer's inter-arrival history (only how
 * the detector decides changes, not what it heard) and the current suspicions, and answers the
 * settings now in force (`detectorSettingsSchema`).
 *
 * State lines (behaviour `detector`):
 *
 * | key         | value                                                  | when                                   |
 * |-------------|--------------------------------------------------------|----------------------------------------|
 * | `fd_config` | `{method, timeoutMs, threshold, intervalMs}`           | at start, and at each `fd_config`      |
 * | `suspect`   | `{peer, sinceMs, method, timeoutMs?, threshold?, phi?}` | it starts suspecting `peer`            |
 * | `trust`     | `{peer, sinceMs, suspectedForMs}`                      | a beat came from a suspected `peer`     |
 */
import * as z from 'zod';
import { behaviourSpecSchema } from './behaviours.js';
import { nodeIdSchema } from './ids.js';

/** The heartbeat (one-way, empty body). */
export const DETECTOR_BEAT = 'fd_beat';
/** The client request that changes the settings. */
export const DETECTOR_CONFIG = 'fd_config';
export const DETECTOR_METHODS = ['timeout', 'phi'] as const;
export type DetectorMethod = (typeof DETECTOR_METHODS)[number];
/** How many inter-arrival times of each peer the phi detector keeps (the latest). */
export const DETECTOR_HISTORY = 100;

type DetectorSpecSchema = Extract<(typeof behaviourSpecSchema.options)[number], { shape: { name: z.ZodLiteral<'detector'> } }>;
const spec = behaviourSpecSchema.options.find((o): o is DetectorSpecSchema => o.shape.name.value === 'detector')!.shape;

/**
 * `fd_config`: the settings to change (the same bounds as the behaviour's own, `behaviours.ts`);
 * those not given stay as they are. An unknown field is refused.
 */
export const detectorConfigRequestSchema = z.strictObject({
  method: spec.method.unwrap().optional(),
  timeoutMs: spec.timeoutMs.unwrap().optional(),
  threshold: spec.threshold.unwrap().optional(),
});
export type DetectorConfigRequest = z.infer<typeof detectorConfigRequestSchema>;

/** The settings in force: the answer to `fd_config`, and the value of its `fd_config` state line. */
export const detectorSettingsSchema = z.object({
  method: z.enum(DETECTOR_METHODS),
  timeoutMs: z.number(),
  threshold: z.number(),
  intervalMs: z.number(),
});
export type DetectorSettings = z.infer<typeof detectorSettingsSchema>;

/**
 * `suspect`: the detector starts suspecting `peer`. `sinceMs`: monotonic ms since that peer's last
 * beat, at this moment (the gap that made it suspect: `timeoutMs` for a timeout detector woken on
 * time, more when the node itself woke late, after a pause). With `timeout`: `timeoutMs`; with
 * `phi`: `threshold` and `phi`, its value now (the threshold, give or take rounding, when woken at
 * its crossing; more after a late wake-up).
 */
export const detectorSuspectSchema = z.object({
  peer: nodeIdSchema,
  sinceMs: z.number().nonnegative(),
  method: z.enum(DETECTOR_METHODS),
  timeoutMs: z.number().optional(),
  threshold: z.number().optional(),
  phi: z.number().optional(),
});
export type DetectorSuspect = z.infer<typeof detectorSuspectSchema>;

/**
 * `trust`: a beat came from `peer`, which was suspected. `sinceMs`: the gap it ended (monotonic ms
 * since the beat before it); `suspectedForMs`: how long the peer was suspected.
 */
export const detectorTrustSchema = z.object({
  peer: nodeIdSchema,
  sinceMs: z.number().nonnegative(),
  suspectedForMs: z.number().nonnegative(),
});
export type DetectorTrust = z.infer<typeof detectorTrustSchema>;

/** The keys of the `state` lines the behaviour traces, each with its value's schema. */
export const DETECTOR_STATE_SCHEMAS = {
  fd_config: detectorSettingsSchema,
  suspect: detectorSuspectSchema,
  trust: detectorTrustSchema,
} as const;
export type DetectorStateKey = keyof typeof DETECTOR_STATE_SCHEMAS;
