/**
 * `detector`: a heartbeat failure detector (the protocol's `detector.ts` holds the contract:
 * messages, the `fd_config` request, the `state` lines and what they mean).
 *
 * - Every `intervalMs` (monotonic; the first one interval after the start) an `fd_beat` to every peer whose link is
 *   open. After this node was paused the missed beats are skipped, not sent in a burst.
 * - A peer is watched from its first `fd_beat`; each later one gives an inter-arrival time (the
 *   latest `DETECTOR_HISTORY` kept, except the gap that ends a suspicion).
 * - For each watched peer not suspected, the gap after its last beat at which it will be suspected
 *   is worked out when the beat comes (`dueAfterMs`): `timeoutMs`, or for `phi` the t at which
 *   phi(t) reaches `threshold` (phi grows with t, so `phiCrossingMs` solves for it). The behaviour
 *   wakes exactly then: no polling. Suspected when the gap reaches it (≥: a timeout detector
 *   woken on time reports `sinceMs = timeoutMs`).
 * - A beat from a suspected peer trusts it again (`trust`).
 *
 * The peers are those the core lets through (the lab's nodes), and each keeps at most
 * `DETECTOR_HISTORY` numbers: memory is bounded. Nothing a peer sends makes it throw: an
 * `fd_config` from a peer is ignored with a `local` line, a beat's body is never read.
 */
import {
  DETECTOR_BEAT,
  DETECTOR_CONFIG,
  DETECTOR_HISTORY,
  detectorConfigRequestSchema,
  FaultlineError,
  parseWith,
  type BehaviourSpec,
  type DetectorSettings,
  type DetectorSuspect,
  type DetectorTrust,
  type Envelope,
  type NodeId,
} from '@faultline/protocol';
import type { Behaviour, BehaviourContext } from '../core/behaviour.js';

export type DetectorSpec = Extract<BehaviourSpec, { name: 'detector' }>;

// ── phi, as Akka computes it ──────────────────────────────────────────────

/** Akka's logistic approximation of the normal CDF: F(y) ≈ 1 / (1 + exp(−y(A + B y²))). */
const A = 1.5976;
const B = 0.070566;
/** Past this many standard deviations phi stops growing (it is ~3·10^16 there): it stays finite. */
const Y_MAX = 1e6;

/** log(1 + e^a), without overflow for a large a. */
const softplus = (a: number): number => (a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a)));

/**
 * phi `sinceMs` after the last beat, inter-arrival times having mean `meanMs` and standard
 * deviation `stdMs`: −log10(1 − F(y)), y = (sinceMs − meanMs)/stdMs. Akka writes it in two
 * branches, −log10(e/(1+e)) and −log10(1 − 1/(1+e)), e = exp(−y(A + By²)): both are
 * log10(1 + exp(y(A + By²))), computed here in a form that stays finite for any t.
 */
export function phi(sinceMs: number, meanMs: number, stdMs: number): number {
  const y = Math.min((sinceMs - meanMs) / stdMs, Y_MAX);
  return softplus(y * (A + B * y * y)) / Math.LN10;
}

/**
 * The gap after the last beat at which phi reaches `threshold` (never below 0): phi(t) = θ
 * means y(A + By²) = ln(10^θ − 1), a cubic in y with one real root (Cardano; one Newton step
 * to polish it).
 */
export function phiCrossingMs(threshold: number, meanMs: number, stdMs: number): number {
  const a = Math.log(Math.expm1(threshold * Math.LN10));
  // y³ + p y + q = 0
  const p = A / B;
  const q = -a / B;
  const root = Math.sqrt((q * q) / 4 + (p * p * p) / 27);
  let y = Math.cbrt(-q / 2 + root) + Math.cbrt(-q / 2 - root);
  y -= (B * y * y * y + A * y - a) / (3 * B * y * y + A);
  return Math.max(0, meanMs + y * stdMs);
}

/** The mean and floored standard deviation of `intervals` (the bootstrap before two). */
export function interArrival(intervals: readonly number[], intervalMs: number): { meanMs: number; stdMs: number } {
  const floor = intervalMs / 10;
  if (intervals.length < 2) return { meanMs: intervalMs, stdMs: Math.max(intervalMs / 4, floor) };
  const meanMs = intervals.reduce((s, x) => s + x, 0) / intervals.length;
  const variance = intervals.reduce((s, x) => s + (x - meanMs) ** 2, 0) / intervals.length;
  return { meanMs, stdMs: Math.max(Math.sqrt(variance), floor) };
}

// ── the behaviour ─────────────────────────────────────────────────────────

interface Watch {
  /** When its last beat came (monotonic). */
  lastMs: number;
  /** The latest inter-arrival times, oldest first (at most `DETECTOR_HISTORY`). */
  readonly intervals: number[];
  /** The gap after `lastMs` at which it is suspected under the settings now. */
  dueAfterMs: number;
  /** Since when it is suspected (monotonic), or null. */
  suspectedAtMs: number | null;
}

export class DetectorBehaviour implements Behaviour {
  readonly name = 'detector';
  readonly messageTypes = [DETECTOR_BEAT, DETECTOR_CONFIG];
  private settings: DetectorSettings;
  private readonly watches = new Map<NodeId, Watch>();
  private nextBeatMs: number | null = null;

  constructor(spec: DetectorSpec) {
    this.settings = { method: spec.method, timeoutMs: spec.timeoutMs, threshold: spec.threshold, intervalMs: spec.intervalMs };
  }

  onStart(ctx: BehaviourContext): void {
    ctx.state(DETECTOR_CONFIG, { ...this.settings });
    // The first beat one interval from now: the peers' detectors are started one by one, and a
    // beat sent at once would reach some before theirs runs (answered with an error).
    this.nextBeatMs = ctx.monoMs + this.settings.intervalMs;
  }

  onInvoke(ctx: BehaviourContext, msgType: string, body: Record<string, unknown>): Record<string, unknown> {
    if (msgType !== DETECTOR_CONFIG) throw new FaultlineError('bad-request', `detector takes only ${DETECTOR_CONFIG} as a client request; ${msgType} comes from peers`);
    const parsed = parseWith(detectorConfigRequestSchema, body, DETECTOR_CONFIG);
    if (!parsed.ok) throw new FaultlineError('bad-request', parsed.error);
    const { method, timeoutMs, threshold } = parsed.value;
    this.settings = { ...this.settings, ...(method === undefined ? {} : { method }), ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(threshold === undefined ? {} : { threshold }) };
    // The heartbeats' history is kept: what changed is how the detector decides, not what it heard.
    for (const watch of this.watches.values()) watch.dueAfterMs = this.dueAfterMs(watch);
    ctx.state(DETECTOR_CONFIG, { ...this.settings });
    // A peer already past the new limit is suspected now, not at the next wake-up.
    this.suspectDue(ctx);
    return { ...this.settings };
  }

  onMessage(ctx: BehaviourContext, message: Envelope): void {
    if (message.type !== DETECTOR_BEAT) {
      ctx.local(`detector: ${message.type} ${message.id} from ${message.from} ignored: ${DETECTOR_CONFIG} is a client request (invoke), not a peer's`);
      return;
    }
    if (message.from === ctx.node) return;
    const now = ctx.monoMs;
    const watch = this.watches.get(message.from);
    if (!watch) {
      const fresh: Watch = { lastMs: now, intervals: [], dueAfterMs: 0, suspectedAtMs: null };
      fresh.dueAfterMs = this.dueAfterMs(fresh);
      this.watches.set(message.from, fresh);
      return;
    }
    const gapMs = Math.max(0, now - watch.lastMs);
    if (watch.suspectedAtMs !== null) {
      const trust: DetectorTrust = { peer: message.from, sinceMs: gapMs, suspectedForMs: Math.max(0, now - watch.suspectedAtMs) };
      watch.suspectedAtMs = null;
      ctx.state('trust', trust);
    } else {
      watch.intervals.push(gapMs);
      if (watch.intervals.length > DETECTOR_HISTORY) watch.intervals.shift();
    }
    watch.lastMs = now;
    watch.dueAfterMs = this.dueAfterMs(watch);
  }

  wakeAtMs(): number | null {
    let at = this.nextBeatMs;
    for (const watch of this.watches.values()) {
      if (watch.suspectedAtMs !== null) continue;
      const due = watch.lastMs + watch.dueAfterMs;
      if (at === null || due < at) at = due;
    }
    return at;
  }

  onWake(ctx: BehaviourContext): void {
    if (this.nextBeatMs !== null && ctx.monoMs >= this.nextBeatMs) {
      this.beat(ctx);
      // After a pause (SIGSTOP) skip the missed beats instead of sending them in a burst.
      const next = this.nextBeatMs + this.settings.intervalMs;
      this.nextBeatMs = next > ctx.monoMs ? next : ctx.monoMs + this.settings.intervalMs;
    }
    this.suspectDue(ctx);
  }

  private beat(ctx: BehaviourContext): void {
    for (const peer of ctx.connectedPeers()) ctx.send(peer, DETECTOR_BEAT);
  }

  /** Suspects every watched peer whose gap has reached its limit (in the order they were first heard). */
  private suspectDue(ctx: BehaviourContext): void {
    const now = ctx.monoMs;
    for (const [peer, watch] of this.watches) {
      // The same sum as `wakeAtMs`: woken at it, the peer is due, whatever the rounding.
      if (watch.suspectedAtMs !== null || now < watch.lastMs + watch.dueAfterMs) continue;
      watch.suspectedAtMs = now;
      const sinceMs = now - watch.lastMs;
      const { method, timeoutMs, threshold, intervalMs } = this.settings;
      let value: DetectorSuspect;
      if (method === 'timeout') value = { peer, sinceMs, method, timeoutMs };
      else {
        const { meanMs, stdMs } = interArrival(watch.intervals, intervalMs);
        value = { peer, sinceMs, method, threshold, phi: Math.round(phi(sinceMs, meanMs, stdMs) * 1000) / 1000 };
      }
      ctx.state('suspect', value);
    }
  }

  private dueAfterMs(watch: Watch): number {
    const { method, timeoutMs, threshold, intervalMs } = this.settings;
    if (method === 'timeout') return timeoutMs;
    const { meanMs, stdMs } = interArrival(watch.intervals, intervalMs);
    return phiCrossingMs(threshold, meanMs, stdMs);
  }
}
