/**
 * The one error class of the lessons package; `code` is stable, the message is one line.
 * - `not-found`: no such lesson or file; `bad-yaml`, `invalid`: a lesson file that cannot be run;
 * - `step-failed`: a step could not be done (the lab refused, an awaited event never came);
 * - `interrupted`: the run was stopped (Ctrl-C); the trace so far is kept.
 */
export type LessonErrorCode = 'not-found' | 'bad-yaml' | 'invalid' | 'step-failed' | 'interrupted';

export class LessonError extends Error {
  override readonly name = 'LessonError';

  constructor(
    readonly code: LessonErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
