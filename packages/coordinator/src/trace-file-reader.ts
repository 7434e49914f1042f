/**
 * Reading the trace file back (shell): the raw lines between two byte offsets, all at once for a
 * small range, or as an async iteration that reads a chunk only when the one before is used (so
 * a reader that waits holds one chunk, not the file).
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK_BYTES = 64 * 1024;

/** The lines in `[start, end)` of `file` (whole lines: `start` begins one, `end` ends one). */
export function readLinesSync(file: string, start: number, end: number): string[] {
  const lines: string[] = [];
  if (end <= start) return lines;
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES * 16, end - start));
    // A chunk can end inside a character: the decoder keeps its first bytes for the next one.
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (let at = start; at < end; ) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, end - at), at);
      if (n === 0) break;
      at += n;
      rest = split(rest + decoder.write(chunk.subarray(0, n)), lines);
    }
    if (rest !== '') lines.push(rest);
  } finally {
    closeSync(fd);
  }
  return lines;
}

/** The same lines one by one, reading `file` a chunk at a time as they are taken. */
export async function* readLines(file: string, start: number, end: number): AsyncGenerator<string> {
  if (end <= start) return;
  const stream = createReadStream(file, { start, end: end - 1, highWaterMark: CHUNK_BYTES });
  try {
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const lines: string[] = [];
      rest = split(rest + decoder.write(chunk), lines);
      yield* lines;
    }
    if (rest !== '') yield rest;
  } finally {
    stream.destroy();
  }
}

/** Pushes the whole lines of `text` onto `lines`; answers what is left after the last newline. */
function split(text: string, lines: string[]): string {
  let from = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
    lines.push(text.slice(from, nl));
    from = nl + 1;
  }
  return text.slice(from);
}
