/**
 * Every error code of faultline, as data (Maelstrom's error registry in spirit): what it means,
 * the HTTP status an API answers with it, and the exit code the `faultline` command ends with.
 * Codes are stable: scripts, tests and the control API's clients match on them, never on wording.
 * A new code is one more entry here; `FaultlineError` and every table derive from this one list.
 */
export interface ErrorCodeInfo {
  /** One line: when this code is used. */
  readonly meaning: string;
  /** The HTTP status of an answer with this code (the control API; the proxy's Toxiproxy API). */
  readonly http?: number;
  /** The exit code of the `faultline` command that fails with it (default 1). */
  readonly exit?: number;
}

export const ERROR_CODES = {
  // ── the lab and its control API ─────────────────────────────────────────
  'bad-request': { meaning: 'the request itself is wrong (a bad field, a node linked to itself)', http: 400, exit: 2 },
  'unknown-node': { meaning: 'a node id the lab does not have', http: 404, exit: 2 },
  'not-found': { meaning: 'no such route, lesson or file', http: 404, exit: 2 },
  'method-not-allowed': { meaning: 'the route exists, but not with this HTTP method', http: 405, exit: 2 },
  forbidden: { meaning: 'a request from another origin or host (the control API answers only itself)', http: 403, exit: 1 },
  unauthorized: { meaning: 'a request without the right token (the proxy API bound beyond loopback, or given --token)', http: 401, exit: 1 },
  conflict: { meaning: "not possible in the lab's current state (resume a running node, release a link not held)", http: 409, exit: 1 },
  unsupported: { meaning: 'the proxy in use cannot do it (message faults on a real Toxiproxy)', http: 501, exit: 1 },
  timeout: { meaning: "something the lab waited for did not happen in time (a node's hello, links coming up)", http: 504, exit: 1 },
  failed: { meaning: 'a process, the proxy or a node failed to do what it was asked', http: 500, exit: 1 },
  // ── the control API's clients (the CLI, the dashboard) ──────────────────
  unavailable: { meaning: 'no lab answers (none is running here, or it stopped)', exit: 1 },
  'bad-answer': { meaning: 'the lab answered something that is not what its route declares', exit: 1 },
  'bad-usage': { meaning: 'a bad command-line flag or argument (a node id, a duration)', exit: 2 },
  // ── lessons ─────────────────────────────────────────────────────────────
  'bad-yaml': { meaning: 'a lesson file that is not YAML', exit: 2 },
  invalid: { meaning: 'a lesson file that does not follow the lesson schema', exit: 2 },
  'step-failed': { meaning: 'a lesson step could not be done (the lab refused, an awaited event never came)', exit: 1 },
  interrupted: { meaning: 'the run was stopped (Ctrl-C); every process is stopped, the trace so far kept', exit: 130 },
  // ── a node process ──────────────────────────────────────────────────────
  'duplicate-handler': { meaning: 'two behaviours of a node claim the same message type' },
  'control-unreachable': { meaning: "a node could not open its control channel to the lab in time" },
  'listen-failed': { meaning: "a node's peer WebSocket server could not listen" },
  // ── clocks (pure arithmetic: only a nonsensical value can fail) ─────────
  'not-finite': { meaning: 'a time, offset or jump was NaN or ±Infinity' },
  'drift-out-of-range': { meaning: 'a drift at or below -1e6 ppm (the clock would stop or run backwards) or above +1e6 ppm' },
  'invalid-counter': { meaning: 'a Lamport value, vector entry or HLC counter that is not a non-negative safe integer' },
  'negative-time': { meaning: 'a physical reading or HLC wall time below 0 (they are ms since the Unix epoch)' },
  'invalid-node-id': { meaning: 'a node id that is not a non-empty string' },
  // ── the proxy's Toxiproxy API (its answers stay byte-identical to Toxiproxy's) ──
  'proxy-bad-request': { meaning: 'Toxiproxy: a bad request body, field, stream or toxic type', http: 400 },
  'proxy-not-found': { meaning: 'Toxiproxy: no such proxy or toxic', http: 404 },
  'proxy-exists': { meaning: 'Toxiproxy: a proxy or toxic of that name already exists', http: 409 },
  'proxy-too-large': { meaning: 'faultline-proxy: a request body over the size limit', http: 413 },
  'proxy-internal': { meaning: 'Toxiproxy: anything else (a bad address, a port in use), answered 500 with its message', http: 500 },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The HTTP status of a code (500 where the code has none). */
export function httpStatusOf(code: ErrorCode): number {
  return (ERROR_CODES[code] as ErrorCodeInfo).http ?? 500;
}

/** The exit code of the `faultline` command for a code (1 where the code names none). */
export function exitCodeOf(code: ErrorCode): number {
  return (ERROR_CODES[code] as ErrorCodeInfo).exit ?? 1;
}
