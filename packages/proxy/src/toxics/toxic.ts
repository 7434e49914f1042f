/**
 * The one small interface every toxic implements.
 *
 * A toxic's *decisions* are pure: a runner is fed chunks, the end of its input and the current
 * monotonic time (ms), draws randomness only from the seeded `Rng` it was given, and returns
 * actions. The link runtime (`link/stage.ts`) owns timers and sockets and carries the actions out:
 * it delivers `emit`s to the next stage at `atMs` (in order), ends the stream on `close`, tears the
 * connection down with a TCP RST on `reset`, and publishes `event`s.
 */
import type { Rng } from '@faultline/random';
import type { WsUnit } from '../ws/units.js';

export type Direction = 'upstream' | 'downstream';

export interface Chunk {
  data: Buffer;
  /** Monotonic ms when the proxy read it from the source socket. */
  arrivalMs: number;
  /** Set on connections that upgraded to WebSocket while message toxics are attached. */
  unit?: WsUnit;
}

/** A message-level event a message toxic reports (the runtime adds proxy, direction, times). */
export interface MessageEventDraft {
  action: 'dropped' | 'duplicated' | 'delayed' | 'held' | 'released';
  toxic: string;
  size: number;
  opcode: number;
  id?: string | number;
  /** The `type` field of a JSON object payload (e.g. `heartbeat`), when it has one. */
  msgType?: string;
  heldMs?: number;
  reason?: string;
}

export type Action =
  | { type: 'emit'; chunk: Chunk; atMs: number }
  | { type: 'close'; atMs: number }
  | { type: 'reset'; atMs: number }
  | { type: 'event'; event: MessageEventDraft };

/** The per-link state of one toxic: created when the toxic is attached to a link. */
export interface ToxicRunner {
  /** The toxic starts running on the link (link start, toxic added, or re-run after an update). */
  start?(nowMs: number): Action[];
  data(chunk: Chunk, nowMs: number): Action[];
  /** The input ended (the previous stage closed). Return what to do; default: close now. */
  end?(nowMs: number): Action[];
  /** A scheduled wake-up the runner asked for with `wakeAtMs()` is due. */
  tick?(nowMs: number): Action[];
  /** Earliest time the runner wants `tick` (for toxics that release held data), or undefined. */
  wakeAtMs?(): number | undefined;
  /**
   * The toxic is removed from the link (the runtime already flushes pending emits at once).
   * Return what it still holds, in order.
   */
  remove?(nowMs: number): Action[];
  /**
   * New attributes for the running toxic. When present, an update changes them in place and keeps
   * what the runner holds (message toxics); otherwise the runtime re-runs the toxic, as Toxiproxy does.
   */
  update?(attrs: Record<string, number>): void;
}

/** How Toxiproxy types an attribute; drives the Go-compatible JSON decoding of `attributes`. */
export type AttributeKind = 'int64' | 'int' | 'float64';

export interface ToxicDefinition<A = Record<string, number>> {
  /** The registered name, e.g. `latency`. */
  type: string;
  /** The Go struct name Toxiproxy reports in JSON type errors, e.g. `LatencyToxic`. */
  goName: string;
  /** Attribute names in Toxiproxy's JSON order, with their Go kinds. Missing ones default to 0. */
  attributes: Record<keyof A & string, AttributeKind>;
  /** Stateful across re-runs on the same link (Toxiproxy's StatefulToxic, e.g. limit_data). */
  newState?(): unknown;
  /**
   * Removing the toxic closes the links it runs on, whatever their toxicity roll (Toxiproxy's
   * CleanupToxic: the timeout toxic).
   */
  closesOnRemove?: boolean;
  /** True for faultline's message-aware toxics (they run before the byte toxics). */
  messageLevel?: boolean;
  /**
   * The largest input chunk worth giving the runner at once (default: any). A larger one is fed in
   * pieces of this size, one per turn of the event loop when busy: a slicer of 1-byte pieces then
   * holds 4,096 of them at a time, not 65,536 per read.
   */
  maxFeedBytes?(attrs: Record<string, number>): number;
  /** One-line description for docs and `GET /capabilities`. */
  description: string;
  create(attrs: A, ctx: RunnerContext): ToxicRunner;
}

export interface RunnerContext {
  rng: Rng;
  /**
   * A stream of its own for each kind of message (`key`: the message's type), derived from the
   * seed and this toxic's label: the k-th `ping` on a link meets the same draw in every run with
   * the same seed, however many heartbeats came between. Absent: everything draws from `rng`.
   */
  rngFor?: (key: string) => Rng;
  /** The state object from `newState`, kept per link across re-runs. */
  state: unknown;
  name: string;
}

/** Type-erased definition, as kept in the registry. */
export type AnyToxicDefinition = ToxicDefinition<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
