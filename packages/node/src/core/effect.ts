/** What the core asks the shell to do, in order, after one step. */
import type { ClockStamp, Envelope, MaelstromMessage, NodeId, NodeTraceEvent } from '@faultline/protocol';

export type Effect =
  /** Send `envelope` on the outbound connection to `to` (the core checked that it is open); `text` is its JSON. */
  | { readonly kind: 'send'; readonly to: NodeId; readonly envelope: Envelope; readonly text: string }
  /** Report a trace event, stamped with the node's clocks at that event. */
  | { readonly kind: 'trace'; readonly clocks: ClockStamp; readonly event: NodeTraceEvent }
  /** Answer the coordinator's command `id`. */
  | { readonly kind: 'reply'; readonly id: number; readonly ok: boolean; readonly result?: unknown; readonly error?: string }
  /** Connect to exactly these peers (peer → `ws://` URL of the proxy of the link to it). */
  | { readonly kind: 'peers'; readonly peers: Readonly<Record<NodeId, string>> }
  /** Hand the program's message to a service: to the coordinator, which runs the services. */
  | { readonly kind: 'service'; readonly message: MaelstromMessage }
  /** Write `line` (one JSON message, no newline) to the hosted program's stdin. */
  | { readonly kind: 'program_write'; readonly line: string }
  /** Step the core again (with a `tick`) at monotonic time `atMonoMs`; replaces earlier wake-ups. */
  | { readonly kind: 'wake'; readonly atMonoMs: number };

export type TraceEffect = Extract<Effect, { kind: 'trace' }>;
