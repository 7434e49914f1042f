/**
 * The one error class of faultline (execa's and ws's manner): a stable `code` from the registry
 * (error-codes.ts), a one-line `message` that says what was expected and what came, the
 * underlying error as `cause`, and for a person an optional `hint` (what to try next).
 */
import type { ErrorCode } from './error-codes.js';

export interface FaultlineErrorOptions {
  readonly cause?: unknown;
  /** What to try next, printed as a `hint:` line by the CLI. */
  readonly hint?: string;
}

export class FaultlineError extends Error {
  override readonly name = 'FaultlineError';
  readonly hint?: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: FaultlineErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.hint !== undefined) this.hint = options.hint;
  }

  /** Whether `err` is a FaultlineError (with one of `codes`, when given). */
  static is(err: unknown, ...codes: ErrorCode[]): err is FaultlineError {
    return err instanceof FaultlineError && (codes.length === 0 || codes.includes(err.code));
  }
}

/** Any thrown value as a FaultlineError: others become `fallback` (first line kept, the original as `cause`). */
export function asFaultlineError(err: unknown, fallback: ErrorCode = 'failed'): FaultlineError {
  if (err instanceof FaultlineError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new FaultlineError(fallback, message.split('\n')[0], { cause: err });
}
