/**
 * The control API's server (shell): HTTP JSON on 127.0.0.1 serving route sets (the lab's own,
 * `labApi`, then any the caller adds), each request checked against its route's declaration in one
 * place (request.ts) before its handler runs; the dashboard's files beside them. Requests from
 * another origin are refused with 403.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventSink } from '@faultline/protocol';
import type { Logger } from 'pino';
import type { RouteSet, RunningApi, ServeOptions } from '../control-api-port.js';
import { openEventStream } from './event-stream.js';
import { sendJsonArray, StreamedJsonArray } from './json-stream.js';
import { labHandlers } from './lab-handlers.js';
import type { LabPort } from './lab-port.js';
import { checkRequest, foreignRequest } from './request.js';
import { sendError, sendFailure, sendJson } from './respond.js';
import { RouteTable } from './route-table.js';
import { serveStatic } from './static-files.js';
import { dialHost } from '../placement.js';

/** What a route that does not stream is handed as its sink: it takes nothing. */
const NO_SINK: EventSink<unknown> = { lastEventId: undefined, send: () => false, sendJson: () => false, comment: () => undefined, drained: () => Promise.resolve(false) };

export class HttpApi<L extends LabPort> implements RunningApi {
  private readonly streams = new Set<() => void>();
  /** Kept, so it can still be told after the server closed. */
  port = 0;

  private constructor(
    private readonly server: Server,
    private readonly lab: L,
    private readonly logger: Logger,
    private readonly table: RouteTable<L>,
    /** The built dashboard, served at `/` beside the API. */
    private readonly pageDir: string | undefined,
    private readonly host: string,
    /** Besides loopback, the names a request's Host may give. */
    private readonly hostNames: readonly string[],
  ) {}

  static async start<L extends LabPort>(lab: L, port: number, logger: Logger, options: ServeOptions<L> = {}): Promise<HttpApi<L>> {
    const server = createServer();
    const sets: RouteSet<L>[] = [labHandlers, ...[options.routes ?? []].flat()];
    const host = options.host ?? '127.0.0.1';
    const api = new HttpApi(server, lab, logger, new RouteTable(sets), options.dashboardDir, host, options.hostNames ?? []);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      api.handle(req, res).catch((err: unknown) => {
        if (res.headersSent) return res.destroy();
        // A body not read to its end (one too large) leaves the connection unfit for another request.
        if (!req.complete) res.shouldKeepAlive = false;
        sendFailure(res, err);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => resolve());
    });
    api.port = (server.address() as AddressInfo).port;
    logger.info({ url: api.url }, 'control API listening');
    return api;
  }

  get url(): string {
    return `http://${dialHost(this.host)}:${this.port}`;
  }

  async close(): Promise<void> {
    for (const end of this.streams) end();
    this.streams.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = foreignRequest(req, this.port, this.hostNames);
    if (refused) return sendError(res, 'forbidden', `${refused}: the control API answers only itself`);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const found = this.table.lookup(method, url.pathname);
    if (found.kind === 'none' && method === 'GET' && this.pageDir && (await serveStatic(this.pageDir, url.pathname, res))) return;
    if (found.kind === 'wrong-method') return sendError(res, 'method-not-allowed', `${method} ${url.pathname}: expected ${found.allowed.join(' or ')}`);
    if (found.kind === 'none') return sendError(res, 'not-found', `no route ${method} ${url.pathname}`);
    const { entry } = found;
    const checked = await checkRequest(entry.route, found.params, url.searchParams, req);
    this.logger.debug({ method, path: url.pathname, route: entry.name }, 'control API request');
    let after: (() => void) | undefined;
    const call = { ctx: this.lab, ...checked, afterAnswer: (then: () => void) => (after = then) };
    if (entry.route.stream) {
      const stream = openEventStream(req, res);
      const stop = entry.handler(call, stream.sink) as () => void;
      stream.onStop(stop);
      this.streams.add(stream.end);
      res.on('close', () => this.streams.delete(stream.end));
      return;
    }
    const answer = await entry.handler(call, NO_SINK);
    if (answer instanceof StreamedJsonArray) return sendJsonArray(res, answer);
    sendJson(res, 200, answer, after);
  }
}
