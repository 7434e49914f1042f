/**
 * The control API's server (shell): HTTP JSON on 127.0.0.1, the routes of
 * packages/protocol/src/lab-api.ts, `GET /events`, and `POST /down`. Requests from another
 * origin are refused with 403.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Lab } from '../lab.js';
import { foreignRequest, readJsonBody } from './request.js';
import { sendError, sendFailure, sendJson } from './respond.js';
import { routes, sinceOf, type Route } from './routes.js';
import { serveStatic } from './static-files.js';
import { serveTraceEvents } from './trace-events.js';

export class HttpApi {
  private readonly streams = new Set<() => void>();
  /** Kept, so it can still be told after the server closed. */
  port = 0;

  private constructor(
    private readonly server: Server,
    private readonly lab: Lab,
    private readonly logger: Logger,
    /** The built dashboard, served at `/` beside the API. */
    private readonly pageDir: string | undefined,
    /** Routes the caller adds (the CLI adds the lessons'), after the lab's own. */
    private readonly extra: readonly Route[],
  ) {}

  static async start(lab: Lab, port: number, logger: Logger, pageDir?: string, extra: readonly Route[] = []): Promise<HttpApi> {
    const server = createServer();
    const api = new HttpApi(server, lab, logger, pageDir, extra);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      api.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendFailure(res, err);
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port }, () => resolve());
    });
    api.port = (server.address() as AddressInfo).port;
    logger.info({ url: api.url }, 'control API listening');
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const end of this.streams) end();
    this.streams.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = foreignRequest(req, this.port);
    if (refused) return sendError(res, 403, 'forbidden', `${refused}: the control API answers only itself`);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (url.pathname === '/events' || url.pathname === '/down') return this.special(url, method, req, res);
    const matching = [...routes, ...this.extra].filter((r) => r.path.test(url.pathname));
    const found = matching.find((r) => r.method === method);
    if (!found && matching.length === 0 && method === 'GET' && this.pageDir && (await serveStatic(this.pageDir, url.pathname, res))) return;
    if (!found) {
      if (matching.length > 0) return sendError(res, 405, 'method-not-allowed', `${method} ${url.pathname}: expected ${matching.map((r) => r.method).join(' or ')}`);
      return sendError(res, 404, 'not-found', `no route ${method} ${url.pathname}`);
    }
    const params = (found.path.exec(url.pathname) ?? []).slice(1).map((p) => decodeURIComponent(p));
    const body = found.body ? await readJsonBody(req) : undefined;
    this.logger.debug({ method, path: url.pathname }, 'control API request');
    sendJson(res, 200, await found.handle({ lab: this.lab, params, body, query: url.searchParams }));
  }

  private special(url: URL, method: string, req: IncomingMessage, res: ServerResponse): void {
    if (url.pathname === '/events') {
      if (method !== 'GET') return sendError(res, 405, 'method-not-allowed', `${method} /events: expected GET`);
      const end = serveTraceEvents(this.lab, req, res, sinceOf(url.searchParams));
      this.streams.add(end);
      res.on('close', () => this.streams.delete(end));
      return;
    }
    if (method !== 'POST') return sendError(res, 405, 'method-not-allowed', `${method} /down: expected POST`);
    sendJson(res, 200, { ok: true, stopping: true }, () => void this.lab.stop());
  }
}
