/**
 * faultline-proxy: a Toxiproxy 2.x-compatible server (same HTTP API, answers and toxics) with
 * message-aware WebSocket toxics and an event stream as documented extensions.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { goMarshal } from './go-json/index.js';
import { pino, type Logger } from 'pino';
import { apiStatus } from './api/api-error.js';
import { readBody } from './api/body.js';
import { isLoopbackHost, refusal, type GuardPolicy } from './api/guard.js';
import type { ApiContext, RouteHandler } from './api/context.js';
import { capabilitiesHandler, eventsHandler } from './api/extension-handlers.js';
import * as p from './api/proxy-handlers.js';
import { sendApiError, sendHttpError, sendMethodNotAllowed } from './api/respond.js';
import { Router } from './api/router.js';
import * as t from './api/toxic-handlers.js';
import { EventBus } from './events/event-bus.js';
import { ProxyCollection } from './model/proxy-collection.js';
import type { ProxyHost } from './model/proxy.js';
import type { Direction, MessageEventDraft } from './toxics/toxic.js';
import { nowMs, setBusyPollMs } from './link/precise-timer.js';

export const DEFAULT_BUSY_POLL_US = 300;

export interface ProxyServerOptions {
  /** Address of the HTTP API (default 127.0.0.1). */
  host?: string;
  /** Port of the HTTP API (default 8474; 0 picks a free one). */
  port?: number;
  /** Seed for every random decision; default: drawn from the clock (read it back from `seed`). */
  seed?: bigint | number;
  /** Host a proxy listens on when its `listen` has none (`:0`, or empty). Default 127.0.0.1. */
  defaultListenHost?: string;
  /**
   * After socket activity, keep the event loop polling this many µs before it may sleep, so the
   * next packet needs no wake-up (default 300; 0 turns it off). Costs CPU only while traffic flows.
   */
  busyPollUs?: number;
  /**
   * Required as `Authorization: Bearer <token>` on every API request when set. The CLI always
   * sets one when the API is bound beyond loopback (generated and printed if not given).
   */
  token?: string;
  /** A populate JSON file loaded at start, like `toxiproxy-server -config`. */
  configFile?: string;
  logger?: Logger;
}

interface RouteSpec { methods: string[]; path: string; handler: RouteHandler; exclusive: boolean }

const routes: RouteSpec[] = [
  { methods: ['POST'], path: '/reset', handler: p.resetState, exclusive: true },
  { methods: ['GET'], path: '/proxies', handler: p.proxyIndex, exclusive: true },
  { methods: ['POST'], path: '/proxies', handler: p.proxyCreate, exclusive: true },
  { methods: ['POST'], path: '/populate', handler: p.populateHandler, exclusive: true },
  { methods: ['GET'], path: '/proxies/{proxy}', handler: p.proxyShow, exclusive: true },
  { methods: ['POST', 'PATCH'], path: '/proxies/{proxy}', handler: p.proxyUpdate, exclusive: true },
  { methods: ['DELETE'], path: '/proxies/{proxy}', handler: p.proxyDelete, exclusive: true },
  { methods: ['GET'], path: '/proxies/{proxy}/toxics', handler: t.toxicIndex, exclusive: true },
  { methods: ['POST'], path: '/proxies/{proxy}/toxics', handler: t.toxicCreate, exclusive: true },
  { methods: ['GET'], path: '/proxies/{proxy}/toxics/{toxic}', handler: t.toxicShow, exclusive: true },
  { methods: ['POST', 'PATCH'], path: '/proxies/{proxy}/toxics/{toxic}', handler: t.toxicUpdate, exclusive: true },
  { methods: ['DELETE'], path: '/proxies/{proxy}/toxics/{toxic}', handler: t.toxicDelete, exclusive: true },
  { methods: ['GET'], path: '/version', handler: p.version, exclusive: false },
  { methods: ['GET'], path: '/capabilities', handler: capabilitiesHandler, exclusive: false },
  { methods: ['GET'], path: '/events', handler: eventsHandler, exclusive: false },
];

export class ProxyServer {
  readonly seed: bigint;
  readonly proxies = new ProxyCollection();
  readonly events = new EventBus();
  readonly logger: Logger;
  private readonly http: http.Server;
  private readonly router = new Router();
  private readonly host: ProxyHost;
  private readonly ctx: ApiContext;
  private lock: Promise<unknown> = Promise.resolve();
  private guard: GuardPolicy = { port: 0, loopback: true };
  private readonly token: string | undefined;
  /** The outcome of `configFile`, when one was given. */
  configResult: { ok: boolean; message: string } | undefined;

  private constructor(options: ProxyServerOptions) {
    this.seed = BigInt.asIntN(64, BigInt(options.seed ?? BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6))));
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.token = options.token;
    const events = this.events;
    this.host = {
      seed: this.seed,
      defaultListenHost: options.defaultListenHost ?? '127.0.0.1',
      logger: this.logger,
      event(proxy: string, connection: number, direction: Direction, draft: MessageEventDraft) {
        events.publish({ ...draft, proxy, connection, direction, timeMs: Date.now(), monoMs: nowMs() });
      },
    };
    this.ctx = { proxies: this.proxies, host: this.host, events: this.events, body: () => Promise.resolve(Buffer.alloc(0)) };
    for (const r of routes) {
      this.router.add(r.methods, r.path, (req, res, vars) => this.run(r, req, res, vars));
    }
    // Go's default limit on request headers is 1 MB (Node's is 16 KiB).
    // Host is checked in `route`, answered as Go does (Node's own check answers an empty chunked 400).
    this.http = http.createServer({ maxHeaderSize: 1 << 20, requireHostHeader: false }, (req, res) => this.request(req, res));
    // Go's http.Server in Toxiproxy: ReadTimeout 15 s, IdleTimeout 60 s.
    this.http.keepAliveTimeout = 60_000;
    this.http.requestTimeout = 15_000;
    this.http.headersTimeout = 15_000;
    // Malformed requests are answered as Go's net/http answers them, then the connection closes.
    this.http.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${status}`);
      else socket.destroy();
    });
    // Node hands CONNECT to a 'connect' listener, or else drops the connection without a word.
    this.http.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
      const body = `${goMarshal({ $object: [['error', 'CONNECT is refused: the proxy API is not an HTTP proxy'], ['status', 405]] })}\n`;
      socket.on('error', () => socket.destroy());
      socket.end(`HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
  }

  static async start(options: ProxyServerOptions = {}): Promise<ProxyServer> {
    const server = new ProxyServer(options);
    setBusyPollMs((options.busyPollUs ?? DEFAULT_BUSY_POLL_US) / 1000);
    if (options.configFile) server.configResult = await server.populateFromFile(options.configFile);
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject);
      server.http.listen(options.port ?? 8474, options.host ?? '127.0.0.1', () => {
        server.http.off('error', reject);
        resolve();
      });
    });
    const { address, port } = server.address;
    server.guard = { port, loopback: isLoopbackHost(address), ...(server.token !== undefined ? { token: server.token } : {}) };
    server.logger.info({ address: `${address}:${port}`, seed: server.seed.toString() }, 'Starting faultline-proxy HTTP server');
    return server;
  }

  get address(): AddressInfo {
    return this.http.address() as AddressInfo;
  }

  /** Base URL of the API, e.g. `http://127.0.0.1:8474`. */
  get url(): string {
    const { address, port, family } = this.address;
    return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
  }

  /** Like toxiproxy-server -config: errors are logged, and the server starts anyway. */
  async populateFromFile(file: string): Promise<{ ok: boolean; message: string }> {
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (err) {
      const message = `cannot read config file ${file}: ${(err as Error).message}`;
      this.logger.error({ config: file }, message);
      return { ok: false, message };
    }
    const result = await this.exclusive(() => p.populate(this.ctx, body));
    if (result.error) {
      const message = `config file ${file}: ${result.error.message}`;
      this.logger.error({ config: file }, message);
      return { ok: false, message };
    }
    this.logger.info({ config: file, proxies: result.proxies.length }, 'Populated proxies from file');
    return { ok: true, message: `populated ${result.proxies.length} proxies from ${file}` };
  }

  async close(): Promise<void> {
    this.proxies.clear();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private request(req: http.IncomingMessage, res: http.ServerResponse): void {
    try {
      this.route(req, res);
    } catch (err) {
      // Nothing a client sends may take the server down; answer 500 if still possible.
      this.logger.error({ err: (err as Error).message, url: req.url }, 'request failed');
      if (!res.headersSent) sendApiError(res, p.asApiError(err));
      else res.destroy();
    }
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      // Go's net/http, word for word.
      const status = '400 Bad Request';
      req.socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${status}: missing required Host header`);
      return;
    }
    const refused = refusal(req.headers, this.guard);
    if (refused) {
      // Whatever the client sent is discarded; the connection closes after the answer.
      req.resume();
      res.setHeader('Connection', 'close');
      if (refused.code === 'unauthorized') res.setHeader('WWW-Authenticate', 'Bearer realm="faultline-proxy"');
      sendApiError(res, refused);
      return;
    }
    const match = this.router.match(req.method ?? 'GET', req.url ?? '/');
    this.logger.debug({ method: req.method, url: req.url, user_agent: req.headers['user-agent'] }, 'request');
    if (match.kind === 'redirect') {
      res.writeHead(301, { Location: match.location, 'Content-Length': 0 });
      res.end();
    } else if (match.kind === 'not-found') {
      sendHttpError(res, 404, '404 page not found');
    } else if (match.kind === 'method-not-allowed') {
      sendMethodNotAllowed(res);
    } else if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
      sendHttpError(res, 403, 'User agent not allowed');
    } else {
      match.handler(req, res, match.vars)?.catch((err: unknown) => {
        this.logger.error({ err: (err as Error).message }, 'handler failed');
        if (!res.headersSent) sendApiError(res, p.asApiError(err));
      });
    }
  }

  private async run(route: RouteSpec, req: http.IncomingMessage, res: http.ServerResponse, vars: Record<string, string>): Promise<void> {
    const body = readBody(req);
    // Read the body before queueing for the lock: a slow client must not hold up other requests.
    await body.catch(() => undefined);
    const ctx: ApiContext = { ...this.ctx, body: () => body };
    try {
      if (route.exclusive) await this.exclusive(() => route.handler(ctx, req, res, vars));
      else await route.handler(ctx, req, res, vars);
    } catch (err) {
      const apiErr = p.asApiError(err);
      if (apiStatus(apiErr) === 500) this.logger.warn({ err: apiErr.message }, 'Error did not include status code');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendApiError(res, apiErr);
    }
  }
}
