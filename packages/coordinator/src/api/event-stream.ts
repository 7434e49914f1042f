/** Server-sent events on an HTTP answer: the EventSink a streaming route's handler writes to. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventSink } from '@faultline/protocol';

const KEEPALIVE_MS = 15_000;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Starts the stream; `stop` runs once when the client goes or `end` is called. */
export function openEventStream(req: IncomingMessage, res: ServerResponse): { sink: EventSink<unknown>; end: () => void; onStop: (stop: () => void) => void } {
  const lastEventId = req.headers['last-event-id'];
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const sink: EventSink<unknown> = {
    lastEventId: typeof lastEventId === 'string' ? lastEventId : undefined,
    send: (id, event) => {
      res.write(`id: ${id}\ndata: ${JSON.stringify(event)}\n\n`);
      // A client that stopped reading is cut off rather than buffered without bound; it can come
      // back with Last-Event-ID and replay what it missed.
      if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
    },
    comment: (text) => res.write(`: ${text}\n\n`),
  };
  const keepalive = setInterval(() => sink.comment('keep-alive'), KEEPALIVE_MS);
  keepalive.unref();
  const stops: (() => void)[] = [() => clearInterval(keepalive)];
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const s of stops) s();
  };
  res.on('close', stop);
  return {
    sink,
    end: () => {
      stop();
      res.end();
    },
    onStop: (s) => (stopped ? s() : stops.push(s)),
  };
}
