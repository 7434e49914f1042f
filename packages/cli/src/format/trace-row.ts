/**
 * One trace line as `faultline trace` (and `up`'s live events) print it: its seq first, the
 * number `faultline order` takes, then the line as a person reads it.
 *   #412  12:00:03.512 n2   ✗ killed (SIGKILL)
 */
import type { TraceLine } from '@faultline/protocol';
import { formatTraceLine } from '@faultline/lessons';

export function traceRow(line: TraceLine): string {
  // At least one space after the number, however large it grows (#10979 on a lab up a while).
  return `${`#${line.seq}`.padEnd(Math.max(6, String(line.seq).length + 2))}${formatTraceLine(line)}`;
}
