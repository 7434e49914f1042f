/**
 * Server-sent events on an HTTP answer (the console page's live class): the EventSink a streaming
 * route's handler writes to (protocol `route-call.ts`). `send` answers false once the socket's
 * buffer holds more than HIGH_WATER_BYTES, and the handler waits for `drained()`; a client that
 * stops reading altogether is cut off past MAX_BUFFERED_BYTES. A comment every KEEPALIVE_MS keeps
 * the connection open through idle time, and lets the page tell a silent console from a quiet one.
 * (The lab's control API has its own, in the coordinator, which this package does not depend on.)
 */
import type { ServerResponse } from 'node:http';
import type { EventSink } from '@faultline/protocol';

const KEEPALIVE_MS = 15_000;
const HIGH_WATER_BYTES = 64 * 1024;
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Starts the stream; `onStop` callbacks run once, when the client goes or `end` is called. */
export function openEventStream(res: ServerResponse, lastEventId: string | undefined): { sink: EventSink<unknown>; end: () => void; onStop: (stop: () => void) => void } {
  res.socket?.setNoDelay(true);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
  const stops: (() => void)[] = [];
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const s of stops.splice(0)) s();
  };
  const write = (text: string): boolean => {
    if (stopped || res.destroyed) return false;
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return false;
    }
    return res.writableLength < HIGH_WATER_BYTES;
  };
  const sink: EventSink<unknown> = {
    lastEventId,
    send: (id, event) => write(`id: ${id}\ndata: ${JSON.stringify(event)}\n\n`),
    sendJson: (events) => write(events.map(({ id, json }) => `id: ${id}\ndata: ${json}\n\n`).join('')),
    comment: (text) => void write(`: ${text}\n\n`),
    drained: () =>
      new Promise<boolean>((resolve) => {
        if (stopped || res.destroyed) return resolve(false);
        if (res.writableLength < HIGH_WATER_BYTES) return resolve(true);
        const done = (ok: boolean): void => {
          res.off('drain', onDrain);
          res.off('close', onClose);
          resolve(ok);
        };
        const onDrain = (): void => done(true);
        const onClose = (): void => done(false);
        res.on('drain', onDrain);
        res.on('close', onClose);
      }),
  };
  const keepalive = setInterval(() => res.writableLength >= HIGH_WATER_BYTES || sink.comment('keep-alive'), KEEPALIVE_MS);
  keepalive.unref();
  stops.push(() => clearInterval(keepalive));
  res.on('close', stop);
  return {
    sink,
    end: () => {
      stop();
      res.end();
    },
    onStop: (s) => (stopped ? s() : void stops.push(s)),
  };
}
