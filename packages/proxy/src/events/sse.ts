/**
 * `GET /events` (faultline extension): the message-level events as server-sent events.
 *
 *   id: 42
 *   event: dropped
 *   data: {"seq":42,"action":"dropped","proxy":"n1-n2",...}
 *
 * Query: `proxy=NAME` (repeatable) keeps only those proxies; `since=SEQ` (or the `Last-Event-ID`
 * header) first replays buffered events after SEQ. A comment line is sent every 15 s to keep
 * idle connections open.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyEvent } from '@faultline/protocol';
import type { EventBus } from './event-bus.js';

const KEEPALIVE_MS = 15_000;
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function formatSse(event: ProxyEvent): string {
  return `id: ${event.seq}\nevent: ${event.action}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function serveEvents(bus: EventBus, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const proxies = url.searchParams.getAll('proxy');
  const sinceText = url.searchParams.get('since') ?? req.headers['last-event-id'];
  const since = typeof sinceText === 'string' && /^[0-9]+$/.test(sinceText) ? Number(sinceText) : undefined;
  const wanted = (e: ProxyEvent): boolean => proxies.length === 0 || proxies.includes(e.proxy);

  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  res.write(`: faultline-proxy events; last seq ${bus.lastSeq}\n\n`);
  if (since !== undefined) for (const e of bus.since(since)) if (wanted(e)) res.write(formatSse(e));
  const unsubscribe = bus.subscribe((e) => {
    if (!wanted(e)) return;
    res.write(formatSse(e));
    // A subscriber that stopped reading is cut off rather than buffered without bound; it can
    // reconnect with Last-Event-ID and get what it missed from the ring buffer.
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  });
  const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
  keepalive.unref();
  const stop = (): void => {
    clearInterval(keepalive);
    unsubscribe();
  };
  res.on('close', stop);
}
