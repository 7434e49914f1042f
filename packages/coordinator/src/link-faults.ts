/**
 * Which toxics make a link fault (pure). Every toxic goes on the link's `upstream` stream: a
 * message from A to B travels on A's outbound connection, through proxy `A-B`, client → server.
 * Toxics are named `faultline-<kind>`, so setting a fault again replaces it.
 */
import type { LinkFaultsRequest } from '@faultline/protocol';
import { FaultlineError } from '@faultline/protocol';

export type FaultKind = 'cut' | 'latency' | 'bandwidth' | 'reset' | 'drop' | 'duplicate' | 'reorder' | 'hold';

/** One toxic as the Toxiproxy API creates it. */
export interface ToxicSpec {
  readonly name: string;
  readonly type: string;
  readonly stream: 'upstream' | 'downstream';
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

/** Faults that act on whole WebSocket messages: only faultline-proxy has them. */
export const MESSAGE_FAULTS: readonly FaultKind[] = ['drop', 'duplicate', 'reorder', 'hold'];

/** How long `ws_reorder` holds a message back at most, waiting for a later one to overtake it. */
export const REORDER_MAX_DELAY_MS = 500;

export function toxicName(kind: FaultKind): string {
  return `faultline-${kind}`;
}

function spec(kind: FaultKind, type: string, attributes: Record<string, number>): ToxicSpec {
  return { name: toxicName(kind), type, stream: 'upstream', toxicity: 1, attributes };
}

/** A cut: Toxiproxy's `timeout` with 0 discards every byte and never closes: messages vanish silently. */
export const cutToxic: ToxicSpec = spec('cut', 'timeout', { timeout: 0 });
/** A cut on faultline-proxy: the same, and each message it swallows is a `dropped` event (reason `cut`). */
export const reportingCutToxic: ToxicSpec = spec('cut', 'ws_cut', {});
export const holdToxic: ToxicSpec = spec('hold', 'ws_hold', {});

/** What a `link` request changes: faults to set (replacing any of the same kind) and to clear. */
export interface LinkFaultChanges {
  readonly set: ReadonlyMap<FaultKind, ToxicSpec>;
  readonly clear: readonly FaultKind[];
}

/** A request's faults as toxics. A 0 % probability, or 0 latency with 0 jitter, clears that fault. */
export function linkFaultChanges(req: LinkFaultsRequest): LinkFaultChanges {
  const set = new Map<FaultKind, ToxicSpec>();
  const clear: FaultKind[] = [];
  if (req.latencyMs !== undefined || req.jitterMs !== undefined) {
    const latency = req.latencyMs ?? 0;
    const jitter = req.jitterMs ?? 0;
    if (latency === 0 && jitter === 0) clear.push('latency');
    else set.set('latency', spec('latency', 'latency', { latency, jitter }));
  }
  if (req.bandwidthKBs !== undefined) set.set('bandwidth', spec('bandwidth', 'bandwidth', { rate: req.bandwidthKBs }));
  if (req.resetAfterMs !== undefined) set.set('reset', spec('reset', 'reset_peer', { timeout: req.resetAfterMs }));
  const chances: Array<[FaultKind, number | undefined, string, Record<string, number>]> = [
    ['drop', req.dropPct, 'ws_drop', {}],
    ['duplicate', req.duplicatePct, 'ws_duplicate', {}],
    ['reorder', req.reorderPct, 'ws_reorder', { max_delay_ms: REORDER_MAX_DELAY_MS }],
  ];
  for (const [kind, pct, type, extra] of chances) {
    if (pct === undefined) continue;
    if (pct === 0) clear.push(kind);
    else set.set(kind, spec(kind, type, { probability: pct / 100, ...extra }));
  }
  if (set.size === 0 && clear.length === 0) {
    throw new FaultlineError(
      'bad-request',
      'expected at least one of latencyMs, jitterMs, bandwidthKBs, dropPct, duplicatePct, reorderPct, resetAfterMs',
    );
  }
  return { set, clear };
}

const REQUEST_FIELD: Partial<Record<FaultKind, string>> = { drop: 'dropPct', duplicate: 'duplicatePct', reorder: 'reorderPct', hold: 'hold' };

/** Refuses message faults when the proxy is a plain Toxiproxy, naming what needs faultline-proxy. */
export function requireMessageFaults(kinds: Iterable<FaultKind>, messageFaults: boolean, proxyUrl: string): void {
  if (messageFaults) return;
  const needed = [...kinds].filter((k) => MESSAGE_FAULTS.includes(k)).map((k) => REQUEST_FIELD[k] ?? k);
  if (needed.length === 0) return;
  throw new FaultlineError(
    'unsupported',
    `${needed.join(', ')} ${needed.length === 1 ? 'needs' : 'need'} faultline-proxy (message-level faults); the proxy at ${proxyUrl} is a plain Toxiproxy`,
  );
}

function pct(probability: number): string {
  return `${Math.round(probability * 10_000) / 100}%`;
}

/** A fault in the CLI's words, for `status` and the trace: `latency 200ms ±50ms`, `drop 10%`. */
export function describeFault(kind: FaultKind, toxic: ToxicSpec): string {
  const a = toxic.attributes;
  switch (kind) {
    case 'latency':
      return a.jitter > 0 ? `latency ${a.latency}ms ±${a.jitter}ms` : `latency ${a.latency}ms`;
    case 'bandwidth':
      return `bandwidth ${a.rate}KB/s`;
    case 'reset':
      return `reset after ${a.timeout}ms`;
    case 'drop':
    case 'duplicate':
      return `${kind} ${pct(a.probability)}`;
    case 'reorder':
      return `reorder ${pct(a.probability)} (max ${a.max_delay_ms}ms)`;
    case 'cut':
    case 'hold':
      return kind;
  }
}
