/**
 * The one error class of this package. `code` is stable (callers and tests match on it, not on
 * the wording); `cause` keeps the underlying error when there is one.
 */
export type NodeErrorCode =
  /** Two behaviours claim the same message type. */
  | 'duplicate-handler'
  /** The control channel could not be opened in time. */
  | 'control-unreachable'
  /** The peer WebSocket server could not listen. */
  | 'listen-failed'
  /** Bad command-line flags (the process exits 2). */
  | 'bad-usage';

export class NodeError extends Error {
  override readonly name = 'NodeError';

  constructor(
    readonly code: NodeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
