/**
 * `GET /events`: the trace as server-sent events, one TraceLine per event (`id:` its seq, so a
 * browser's EventSource resumes with `Last-Event-ID`); `?since=SEQ` first replays the lines after SEQ.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraceLine } from '@faultline/protocol';
import type { Lab } from '../lab.js';

const KEEPALIVE_MS = 15_000;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

function format(line: TraceLine): string {
  return `id: ${line.seq}\ndata: ${JSON.stringify(line)}\n\n`;
}

/** Streams until the client goes or `close` is called (the lab stops). */
export function serveTraceEvents(lab: Lab, req: IncomingMessage, res: ServerResponse, since: number | undefined): () => void {
  const lastEventId = req.headers['last-event-id'];
  const from = since ?? (typeof lastEventId === 'string' && /^[0-9]+$/.test(lastEventId) ? Number(lastEventId) : undefined);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(`: faultline lab trace; seed ${lab.seed}\n\n`);
  let replayedUpTo = 0;
  if (from !== undefined) {
    for (const line of lab.trace({ since: from })) {
      res.write(format(line));
      replayedUpTo = line.seq;
    }
  }
  const unsubscribe = lab.subscribe((line) => {
    if (line.seq <= replayedUpTo) return;
    res.write(format(line));
    // A client that stopped reading is cut off rather than buffered without bound; it can come
    // back with Last-Event-ID and replay what it missed.
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  });
  const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
  keepalive.unref();
  const stop = (): void => {
    clearInterval(keepalive);
    unsubscribe();
  };
  res.on('close', stop);
  return () => {
    stop();
    res.end();
  };
}
