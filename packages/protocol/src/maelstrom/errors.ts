/**
 * Maelstrom's error codes, as data: each code once, with its name, whether it is definite (the
 * operation certainly did not happen, and never will) and what it means. Codes 0–999 are
 * Maelstrom's; a program may invent its own from 1000 up, and every code not in this table
 * (custom or unknown) is taken as indefinite: the operation may or may not have happened.
 * The lab's clients turn a definite error into a `fail` and an indefinite one into an `info`.
 */

export interface MaelstromErrorInfo {
  readonly code: number;
  /** Maelstrom's name for it, kebab-case (`key-does-not-exist`). */
  readonly name: string;
  /** True: the operation certainly did not take effect. False: it may have, now or later. */
  readonly definite: boolean;
  /** One line: when a node answers with it. */
  readonly meaning: string;
}

export const MAELSTROM_ERRORS = [
  { code: 0, name: 'timeout', definite: false, meaning: 'the operation could not be completed in time; it may still happen' },
  { code: 1, name: 'node-not-found', definite: true, meaning: 'the request was sent to a node that does not exist' },
  { code: 10, name: 'not-supported', definite: true, meaning: 'this node does not implement that operation (yet)' },
  { code: 11, name: 'temporarily-unavailable', definite: true, meaning: 'the node cannot do it right now (no quorum, not initialised) and did nothing' },
  { code: 12, name: 'malformed-request', definite: true, meaning: 'the request does not make sense to the node and was not processed' },
  { code: 13, name: 'crash', definite: false, meaning: 'something went wrong, and the operation may or may not have happened (the safe catch-all)' },
  { code: 14, name: 'abort', definite: true, meaning: 'something went wrong, and the operation certainly did not happen' },
  { code: 20, name: 'key-does-not-exist', definite: true, meaning: 'the key asked for does not exist' },
  { code: 21, name: 'key-already-exists', definite: true, meaning: 'the key to create already exists and was not overwritten' },
  { code: 22, name: 'precondition-failed', definite: true, meaning: "a condition of the request did not hold (a cas's `from` is not the current value)" },
  { code: 30, name: 'txn-conflict', definite: true, meaning: 'the transaction was aborted because it conflicted with another one' },
] as const satisfies readonly MaelstromErrorInfo[];

export type MaelstromErrorName = (typeof MAELSTROM_ERRORS)[number]['name'];

const BY_CODE = new Map<number, MaelstromErrorInfo>(MAELSTROM_ERRORS.map((e) => [e.code, e]));

/** The code of each named error: `MAELSTROM_ERROR_CODE['precondition-failed']` is 22. */
export const MAELSTROM_ERROR_CODE = Object.fromEntries(MAELSTROM_ERRORS.map((e) => [e.name, e.code])) as Record<MaelstromErrorName, number>;

/** What a code means; a code outside the table is named `error-<code>` and is indefinite. */
export function maelstromError(code: number): MaelstromErrorInfo {
  return BY_CODE.get(code) ?? { code, name: `error-${code}`, definite: false, meaning: code >= 1000 ? "the program's own error code (taken as indefinite)" : 'an error code Maelstrom does not define (taken as indefinite)' };
}
