/** What the shell feeds the core: one input per `NodeCore.step`, always with the current time. */
import type { Command, Envelope, NodeId } from '@faultline/protocol';

export type NodeInput =
  /** The node has started (its peer server listens, its control channel is open). */
  | { readonly kind: 'start' }
  /** A valid envelope arrived on the node's peer server; `size` is the frame's length in bytes. */
  | { readonly kind: 'envelope'; readonly envelope: Envelope; readonly size: number }
  /** Something arrived that is not a valid envelope or command; `source` is `peer` or `control`; `msg` its id, if readable. */
  | { readonly kind: 'malformed'; readonly source: string; readonly error: string; readonly msg?: string }
  /** The peer server refused a connection at its handshake (an `Origin` header, no lab secret). */
  | { readonly kind: 'refused'; readonly reason: string }
  /** A command of the coordinator; it is answered by a `reply` effect with the same `id`. */
  | { readonly kind: 'command'; readonly id: number; readonly command: Command }
  /** The outbound connection to `peer` opened (`up`) or closed. */
  | { readonly kind: 'link'; readonly peer: NodeId; readonly up: boolean }
  /** The hosted program wrote a line on its stdout. */
  | { readonly kind: 'program_line'; readonly line: string }
  /** The hosted program ended (`stderr`: the last of what it wrote there); the node ends next. */
  | { readonly kind: 'program_exit'; readonly code: number | null; readonly signal: string | null; readonly stderr: string }
  /** Time passed (a wake-up the core asked for, or any other reason to look at the timers). */
  | { readonly kind: 'tick' };
