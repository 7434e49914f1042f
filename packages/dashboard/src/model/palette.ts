/** The colour of each kind of arrow, the same on the canvas and in the SVG export. */
export const ARROW_COLORS = { message: '#2b6cb0', duplicate: '#b7791f', dropped: '#c53030', held: '#6b46c1', late: '#2f855a' } as const;

/**
 * Partial failure's colours (model/failure-layout.ts), the same on the canvas and in the SVG: a
 * suspicion right or wrong, a term of office and its clash with another, a client operation by
 * its outcome, a counterexample's outline.
 */
export const FAILURE_COLORS = {
  right: '#2f855a',
  wrong: '#d53f8c',
  term: '#d69e2e',
  clash: '#e53e3e',
  ok: '#3182ce',
  fail: '#c53030',
  info: '#a0aec0',
  stale: '#805ad5',
  stuck: '#c53030',
  counterexample: '#dd6b20',
} as const;

/** An operation's fill: a stale read stands out from the other answers. */
export const opColor = (op: { readonly type: 'ok' | 'fail' | 'info'; readonly stale: boolean }): string => (op.stale ? FAILURE_COLORS.stale : FAILURE_COLORS[op.type]);
