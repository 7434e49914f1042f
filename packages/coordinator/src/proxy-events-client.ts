/**
 * Follows faultline-proxy's `GET /events` (server-sent events) and hands every event over in
 * order. If the stream breaks while the lab runs it reconnects with `?since=` the last seq, so
 * the proxy replays what was missed (as far as its buffer goes).
 */
import { parseJsonWith, proxyEventSchema, type ProxyEvent } from '@faultline/protocol';
import type { Logger } from 'pino';

const RECONNECT_MS = 200;

export class ProxyEventsClient {
  private lastSeq: number | undefined;
  private controller = new AbortController();
  private stopped = false;
  private readonly ready: Promise<void>;

  private constructor(
    private readonly url: string,
    private readonly onEvent: (ev: ProxyEvent) => void,
    private readonly logger: Logger,
    private readonly headers: Record<string, string>,
  ) {
    this.ready = this.run();
  }

  /** Subscribes; resolves once the stream is open (the events after that are all seen). */
  static async start(eventsUrl: string, onEvent: (ev: ProxyEvent) => void, logger: Logger, headers: Record<string, string> = {}): Promise<ProxyEventsClient> {
    const client = new ProxyEventsClient(eventsUrl, onEvent, logger, headers);
    await client.ready;
    return client;
  }

  stop(): void {
    this.stopped = true;
    this.controller.abort();
  }

  /** Opens the stream; resolves when the response headers are in, then reads in the background. */
  private async run(): Promise<void> {
    const query = this.lastSeq === undefined ? '' : `?since=${this.lastSeq}`;
    const res = await fetch(`${this.url}${query}`, { signal: this.controller.signal, headers: { ...this.headers, accept: 'text/event-stream' } });
    if (!res.ok || !res.body) throw new Error(`GET ${this.url}: ${res.status}`);
    void this.read(res.body).then(() => this.reconnect());
  }

  private reconnect(): void {
    if (this.stopped) return;
    this.logger.warn({ url: this.url, lastSeq: this.lastSeq }, 'proxy event stream ended; reconnecting');
    setTimeout(() => {
      if (this.stopped) return;
      this.controller = new AbortController();
      this.run().catch((err: unknown) => {
        this.logger.warn({ err: (err as Error).message }, 'proxy event stream: reconnect failed');
        this.reconnect();
      });
    }, RECONNECT_MS).unref();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let sep: number;
        while ((sep = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, sep);
          buf = buf.slice(sep + 2);
          this.block(block);
        }
      }
    } catch {
      // Aborted (stop) or the connection broke (reconnect decides).
    }
  }

  private block(block: string): void {
    // The greeting comment tells where the stream starts, so a reconnect can replay from there.
    const greeting = /^: faultline-proxy events; last seq ([0-9]+)/.exec(block);
    if (greeting && this.lastSeq === undefined) this.lastSeq = Number(greeting[1]);
    const data = block
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''))
      .join('\n');
    if (!data) return;
    const parsed = parseJsonWith(proxyEventSchema, data, 'proxy event');
    if (!parsed.ok) {
      this.logger.warn({ error: parsed.error }, 'ignored a proxy event');
      return;
    }
    this.lastSeq = parsed.value.seq;
    this.onEvent(parsed.value);
  }
}
