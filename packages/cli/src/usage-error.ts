/** Bad usage (a flag, a node id, a duration): one line on stderr, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** The lab answered with an error, or is not there: one line on stderr, exit code 1. */
export class LabUnavailableError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
