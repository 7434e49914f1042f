/**
 * A process's resident memory, read from /proc (Linux): for benchmarks, soak runs and the memory
 * tests, which measure the lab's process from outside it.
 */
import { readFileSync } from 'node:fs';

/** `pid`'s resident set size in bytes (VmRSS of /proc/PID/status); undefined once it is gone. */
export function sampleRss(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const found = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return found ? Number(found[1]) * 1024 : undefined;
}

/** Bytes as mebibytes with one decimal (`154.3 MB`). */
export function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
