/**
 * A finished run's trace read from its file (`runs/<time>/trace.ndjson`), for the commands that
 * can read one instead of asking a running lab (`order --trace FILE`). A line that is not a trace
 * line is an error naming the file and the line.
 */
import { readFileSync, statSync } from 'node:fs';
import { FaultlineError, traceLineSchema, type TraceLine } from '@faultline/protocol';

/** Traces this big are read whole; a larger one is refused (the running lab serves any size). */
const MAX_BYTES = 256 * 1024 * 1024;

export function readTraceFile(file: string): TraceLine[] {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new FaultlineError('not-found', `--trace ${file}: no such file`);
  }
  if (size > MAX_BYTES) throw new FaultlineError('bad-usage', `--trace ${file}: ${Math.round(size / 1e6)} MB is more than this command reads (256 MB)`);
  const lines: TraceLine[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new FaultlineError('bad-usage', `--trace ${file}:${i + 1}: not JSON`);
      }
      const parsed = traceLineSchema.safeParse(json);
      if (!parsed.success) throw new FaultlineError('bad-usage', `--trace ${file}:${i + 1}: not a trace line (${parsed.error.issues[0]?.message ?? 'unknown'})`);
      lines.push(parsed.data);
    });
  return lines;
}
