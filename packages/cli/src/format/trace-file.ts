/**
 * A finished run's trace read from its file (`runs/<time>/trace.ndjson`), for the commands that
 * can read one instead of asking a running lab (`order --trace FILE`). A line that is not a trace
 * line is an error naming the file and the line.
 */
import { traceLineSchema, type TraceLine } from '@faultline/protocol';
import { readJsonLines } from './json-lines-file.js';

/** Traces this big are read whole; a larger one is refused (the running lab serves any size). */
const MAX_BYTES = 256 * 1024 * 1024;

export function readTraceFile(file: string): TraceLine[] {
  return readJsonLines(file, traceLineSchema, { label: '--trace', maxBytes: MAX_BYTES, what: 'line' });
}
