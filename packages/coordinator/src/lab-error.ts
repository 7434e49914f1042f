/**
 * The one error class of the lab. `code` is stable (the control API sends it, scripts match on it);
 * `message` is one line that says what was expected and what came.
 */
export type LabErrorCode =
  /** A node id the lab does not have. */
  | 'unknown-node'
  /** The request itself is wrong (a bad field, a node linked to itself). */
  | 'bad-request'
  /** Not possible in the lab's current state (resume a running node, release a link not held). */
  | 'conflict'
  /** The proxy in use cannot do it (message faults on a real Toxiproxy). */
  | 'unsupported'
  /** Something the lab waited for did not happen in time (a node's hello, links coming up). */
  | 'timeout'
  /** A process, the proxy or a node failed to do what it was asked. */
  | 'failed';

/** The HTTP status the control API answers for each code. */
export const labErrorStatus: Record<LabErrorCode, number> = {
  'unknown-node': 404,
  'bad-request': 400,
  conflict: 409,
  unsupported: 501,
  timeout: 504,
  failed: 500,
};

export class LabError extends Error {
  override readonly name = 'LabError';

  constructor(
    readonly code: LabErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Any thrown value as a LabError (others become `failed`, keeping the original as `cause`). */
export function asLabError(err: unknown): LabError {
  if (err instanceof LabError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new LabError('failed', message.split('\n')[0], { cause: err });
}
