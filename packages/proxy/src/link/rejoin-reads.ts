/**
 * Queued pieces cut from the same read (same arrival) joined again, when the toxic that cut them
 * stops (removed or updated): 65,536 one-byte slices flushed on removal become one write, not
 * 65,536 in one turn. Only for byte stages: what follows them (byte toxics, the socket) ignores
 * message boundaries.
 */
import type { Chunk } from '../toxics/toxic.js';

export function rejoinReads<E extends { chunk: Chunk }>(emits: E[]): E[] {
  if (emits.length < 2) return emits;
  const out: E[] = [];
  let run: E[] = [];
  const flush = (): void => {
    if (run.length === 1) out.push(run[0]);
    else if (run.length > 1) out.push({ ...run[0], chunk: { ...run[0].chunk, data: Buffer.concat(run.map((e) => e.chunk.data)) } });
    run = [];
  };
  for (const e of emits) {
    if (run.length > 0 && run[0].chunk.arrivalMs !== e.chunk.arrivalMs) flush();
    run.push(e);
  }
  flush();
  return out;
}
