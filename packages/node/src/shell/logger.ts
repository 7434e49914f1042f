/**
 * The node's log: one JSON object per line on stderr, written synchronously (a line logged just
 * before the process exits is not lost), in pino's format, which the node used before:
 *   {"level":30,"time":1733000000000,"node":"n1","pid":4242,"seed":"7","msg":"starting …"}
 * `level` is pino's number (trace 10, debug 20, info 30, warn 40, error 50, fatal 60); the fields
 * of the call's object come after the base ones; an `err` that is an Error is written as
 * `{ type, message, stack, …its own fields }` (its causes' messages and stacks appended, as pino
 * does). Lines below the logger's level cost one comparison.
 *
 * Why not pino itself: the lab runs many nodes, each one process; pino and its dependencies
 * (sonic-boom, thread-stream, worker_threads) are a share of every node's resident size, for the
 * few lines a node writes.
 */
import { writeSync } from 'node:fs';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = { fatal: 60, error: 50, warn: 40, info: 30, debug: 20, trace: 10, silent: Infinity };

export interface Logger {
  error(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  info(fields: object, msg: string): void;
  debug(fields: object, msg: string): void;
}

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Fields on every line, after `level` and `time`. */
  readonly base: Readonly<Record<string, unknown>>;
  /** Where a line goes (default: file descriptor 2, synchronously). */
  readonly write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions): Logger {
  const threshold = LEVEL_VALUES[options.level];
  const write = options.write ?? writeStderr;
  const at =
    (level: Exclude<LogLevel, 'silent'>) =>
    (fields: object, msg: string): void => {
      const value = LEVEL_VALUES[level];
      if (value < threshold) return;
      write(`${formatLine(value, options.base, fields, msg)}\n`);
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

function formatLine(level: number, base: Readonly<Record<string, unknown>>, fields: object, msg: string): string {
  const line: Record<string, unknown> = { level, time: Date.now(), ...base, ...fields, msg };
  if (isErrorLike(line.err)) line.err = serializeError(line.err, new Set());
  try {
    return JSON.stringify(line, jsonValue);
  } catch {
    // A circular object: the line still goes out, with what can be written of it.
    return JSON.stringify({ level, time: line.time, ...base, msg, logError: 'the fields of this line could not be written as JSON' });
  }
}

/** BigInts (seeds) are written as their decimal string, as JSON has no 64-bit integers. */
function jsonValue(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

interface ErrorLike {
  readonly message: string;
  readonly stack?: unknown;
  readonly cause?: unknown;
  readonly name?: unknown;
}

function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

function serializeError(err: ErrorLike, seen: Set<ErrorLike>): Record<string, unknown> {
  seen.add(err);
  const ctor = (err as { constructor?: unknown }).constructor;
  const out: Record<string, unknown> = {
    type: typeof ctor === 'function' ? ctor.name : err.name,
    message: withCauses(err, (e) => e.message, ': '),
    stack: withCauses(err, (e) => (typeof e.stack === 'string' ? e.stack : ''), '\ncaused by: '),
  };
  for (const key in err) {
    if (out[key] !== undefined || key === 'cause') continue;
    const value = (err as unknown as Record<string, unknown>)[key];
    if (!isErrorLike(value)) out[key] = value;
    else if (!seen.has(value)) out[key] = serializeError(value, seen);
  }
  return out;
}

/** `err`'s text followed by each of its causes' (as long as they are Errors and not circular). */
function withCauses(err: ErrorLike, text: (e: ErrorLike) => string, separator: string): string {
  const parts = [text(err)];
  const seen = new Set<ErrorLike>([err]);
  for (let cause = err.cause; isErrorLike(cause) && !seen.has(cause); cause = cause.cause) {
    seen.add(cause);
    parts.push(text(cause));
  }
  return parts.join(separator);
}

/** Atomics.wait needs an Int32Array on a SharedArrayBuffer; it is the one synchronous sleep Node has. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `line` to stderr before returning. stderr may be a non-blocking pipe (once
 * anything opened `process.stderr`), which answers EAGAIN while the reader is behind: wait 1 ms
 * and retry, as pino's synchronous destination does.
 */
function writeStderr(line: string): void {
  let bytes = Buffer.from(line, 'utf8');
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(2, bytes));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
