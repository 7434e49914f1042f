/** Subscribes to faultline-proxy's `GET /events` (server-sent events) and collects the events. */
import { proxyEventSchema, type ProxyEvent } from '@faultline/protocol';

export interface EventCollector {
  events: ProxyEvent[];
  waitFor(predicate: (events: ProxyEvent[]) => boolean, timeoutMs?: number): Promise<ProxyEvent[]>;
  close(): void;
}

export async function collectEvents(baseUrl: string, query = ''): Promise<EventCollector> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/events${query}`, { signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`GET /events: ${res.status}`);
  const events: ProxyEvent[] = [];
  const waiters: Array<() => void> = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buf = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let sep;
        while ((sep = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, sep);
          buf = buf.slice(sep + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) events.push(proxyEventSchema.parse(JSON.parse(data.slice(6))));
        }
        for (const w of waiters.splice(0)) w();
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    waitFor(predicate, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`events: condition not met in ${timeoutMs} ms (have ${events.length})`)), timeoutMs);
        const check = (): void => {
          if (predicate(events)) {
            clearTimeout(timer);
            resolve(events);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => controller.abort(),
  };
}
