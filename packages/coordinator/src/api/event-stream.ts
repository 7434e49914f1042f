/**
 * Server-sent events on an HTTP answer: the EventSink a streaming route's handler writes to.
 *
 * A client reads at its own pace. `send` answers false once the socket's buffer is full and the
 * handler waits for `drained()` before it sends more, so a client that stops reading costs the
 * lab its socket's buffer (64 KiB) and the one write that filled it, however much it asked for.
 * A handler that would not wait is stopped by a hard cap: a client with more than
 * MAX_BUFFERED_BYTES waiting for it is cut off (it can come back with Last-Event-ID).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventSink } from '@faultline/protocol';

const KEEPALIVE_MS = 15_000;
/** What may wait in the socket's buffer before `send` answers false. */
const HIGH_WATER_BYTES = 64 * 1024;
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Starts the stream; `stop` runs once when the client goes or `end` is called. */
export function openEventStream(req: IncomingMessage, res: ServerResponse): { sink: EventSink<unknown>; end: () => void; onStop: (stop: () => void) => void } {
  const lastEventId = req.headers['last-event-id'];
  res.socket?.setNoDelay(true);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const stops: (() => void)[] = [];
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const s of stops) s();
  };
  const write = (text: string): boolean => {
    if (stopped || res.destroyed) return false;
    if (text !== '') res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return false;
    }
    return res.writableLength < HIGH_WATER_BYTES;
  };
  const sink: EventSink<unknown> = {
    lastEventId: typeof lastEventId === 'string' ? lastEventId : undefined,
    send: (id, event) => write(`id: ${id}\ndata: ${JSON.stringify(event)}\n\n`),
    sendJson: (events) => {
      let text = '';
      for (const { id, json } of events) text += `id: ${id}\ndata: ${json}\n\n`;
      return write(text);
    },
    comment: (text) => void write(`: ${text}\n\n`),
    drained: () =>
      new Promise<boolean>((resolve) => {
        if (stopped || res.destroyed) return resolve(false);
        // Past the socket's own 16 KiB a write answered false, so 'drain' comes once it is empty.
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
  // A keep-alive is not written to a client whose buffer is full: it would pile up behind it.
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
    onStop: (s) => (stopped ? s() : stops.push(s)),
  };
}
