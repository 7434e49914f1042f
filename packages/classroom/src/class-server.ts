/**
 * The instructor's console (shell): `faultline class start`. An HTTP server with the console page
 * at `/` (no data in it), the class's routes (protocol `classApi`, dispatched from it, each
 * request with the console's key; the class live to the page as server-sent events) and a
 * WebSocket at `/join` where each student's `faultline class join` says hello with the join code,
 * reports its lab, and sends its predictions and verdicts; pushed assignments go out to every
 * connected lab at once, and to the others when they come back. The roster is saved to `file`
 * after every change (written aside, then renamed), so a console that restarts with the same file
 * has the same code, key and class.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asFaultlineError, classFrameSchema, FaultlineError, JOIN_CODE_ALPHABET, matchPath, parseJsonWith, studentFrameSchema, type ClassApi, type ClassFrame, type RouteOutput } from '@faultline/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { checked, classRoutes, NO_SINK, readJson, sendError, sendJson } from './class-routes.js';
import { openEventStream } from './console-page/event-stream.js';
import { CONSOLE_PAGE, CONSOLE_PAGE_HEADERS } from './console-page/page.js';
import { Roster, type RosterData } from './roster.js';

/** How long a new connection has to say hello. */
const HELLO_MS = 5_000;

/** A lesson the console offers to push. */
export type ClassLesson = RouteOutput<ClassApi['classLessons']>[number];

export interface ClassServerOptions {
  readonly host: string;
  readonly port: number;
  /** Where the class is saved; an existing file is the class to go on with. */
  readonly file: string;
  /** The current time (ISO), for the roster. */
  readonly now?: () => string;
  /** The lessons the console page offers to push (`class push` checks its own before it asks). */
  readonly lessons?: readonly ClassLesson[];
  /** The hosts students reach this console at (each `class join HOST:PORT CODE`); default: `host`, or 127.0.0.1 for a wildcard. */
  readonly joinHosts?: readonly string[];
}

interface Saved {
  readonly code: string;
  readonly key: string;
  readonly roster: RosterData;
}

export function newJoinCode(): string {
  const pick = (): string => Array.from({ length: 4 }, () => JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)]).join('');
  return `${pick()}-${pick()}`;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class ClassServer {
  private readonly sockets = new Map<string, WebSocket>();
  private readonly watchers = new Set<() => void>();
  private readonly streams = new Set<() => void>();

  private constructor(
    readonly code: string,
    readonly key: string,
    readonly port: number,
    private readonly roster: Roster,
    private readonly http: ReturnType<typeof createServer>,
    private readonly wss: WebSocketServer,
    private readonly options: ClassServerOptions,
  ) {}

  static async start(options: ClassServerOptions): Promise<ClassServer> {
    const now = options.now ?? (() => new Date().toISOString());
    let saved: Saved | undefined;
    if (existsSync(options.file)) {
      try {
        saved = JSON.parse(readFileSync(options.file, 'utf8')) as Saved;
      } catch (err) {
        throw new FaultlineError('bad-request', `${options.file} is not a saved class (${(err as Error).message.split('\n')[0]}); move it away to start a new class`);
      }
    }
    const roster = saved ? Roster.fromJSON(saved.roster) : new Roster(now());
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen({ host: options.host, port: options.port }, () => resolve());
    });
    const server = new ClassServer(saved?.code ?? newJoinCode(), saved?.key ?? randomBytes(18).toString('base64url'), (http.address() as AddressInfo).port, roster, http, wss, { ...options, now });
    server.save();
    http.on('request', (req: IncomingMessage, res: ServerResponse) => {
      server.request(req, res).catch((err: unknown) => {
        if (res.headersSent) return res.destroy();
        // A body not read to its end (one too large) leaves the connection unfit for another request.
        if (!req.complete) res.shouldKeepAlive = false;
        const e = asFaultlineError(err);
        sendError(res, e.code, e.message.split('\n')[0]);
      });
    });
    http.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/join' || req.headers.origin !== undefined) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => server.join(ws));
    });
    return server;
  }

  /** Pushes `lesson` (or a scenario) to every lab now connected, and to every other when it comes. */
  assign(lesson: string, scenario?: { file: string; text: string }): ReturnType<Roster['assign']> {
    const assignment = this.roster.assign(lesson, this.now(), scenario);
    this.changed();
    for (const ws of this.sockets.values()) send(ws, { type: 'assign', assignment });
    return assignment;
  }

  view(): ReturnType<Roster['view']> {
    return this.roster.view();
  }

  /** Each `HOST:PORT` a student's `class join` can reach this console at. */
  joinAddresses(): string[] {
    const wild = this.options.host === '0.0.0.0' || this.options.host === '::';
    const hosts = this.options.joinHosts?.length ? this.options.joinHosts : [wild ? '127.0.0.1' : this.options.host];
    return hosts.map((h) => `${h.includes(':') ? `[${h}]` : h}:${this.port}`);
  }

  lessons(): ClassLesson[] {
    return [...(this.options.lessons ?? [])];
  }

  /** Calls `listener` after every change of the class (a student's frame, a push); answers how to stop. */
  watch(listener: () => void): () => void {
    this.watchers.add(listener);
    return () => void this.watchers.delete(listener);
  }

  async close(): Promise<void> {
    for (const end of this.streams) end();
    this.streams.clear();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private now(): string {
    return this.options.now!();
  }

  /** The class changed: saved, and every live page told. */
  private changed(): void {
    this.save();
    for (const listener of this.watchers) listener();
  }

  private save(): void {
    const tmp = `${this.options.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ code: this.code, key: this.key, roster: this.roster.toJSON() } satisfies Saved));
    renameSync(tmp, this.options.file);
  }

  /** One student's lab: hello first (with the code), then its reports and events. */
  private join(ws: WebSocket): void {
    let id: string | undefined;
    const refuse = (reason: string): void => {
      send(ws, { type: 'refused', reason });
      ws.close(1008, 'refused');
    };
    const timer = setTimeout(() => refuse(`no hello within ${HELLO_MS / 1000} s`), HELLO_MS);
    ws.on('message', (data: Buffer) => {
      const parsed = parseJsonWith(studentFrameSchema, data.toString('utf8'), 'frame');
      if (!parsed.ok) return id ? undefined : refuse(parsed.error);
      const frame = parsed.value;
      if (id === undefined) {
        clearTimeout(timer);
        if (frame.type !== 'hello') return refuse(`expected hello first, got ${frame.type}`);
        if (!same(frame.code, this.code)) return refuse('that is not this class’s join code');
        id = frame.id;
        // The same lab again (a new connection after a drop): the old one is stale.
        this.sockets.get(id)?.terminate();
        this.sockets.set(id, ws);
        send(ws, this.roster.hello(id, frame.name, this.now()));
        this.changed();
        return;
      }
      if (frame.type === 'lab') this.roster.lab(id, frame.report, this.now());
      else if (frame.type === 'event') send(ws, this.roster.event(id, frame.seq, frame.event, this.now()).ack);
      this.changed();
    });
    ws.on('close', () => {
      clearTimeout(timer);
      if (id !== undefined && this.sockets.get(id) === ws) {
        this.sockets.delete(id);
        this.roster.left(id, this.now());
        this.changed();
      }
    });
    ws.on('error', () => undefined);
  }

  /**
   * One HTTP request: the page (no key needed: it holds no data), else the key first, then the
   * route of `classApi` it names, its body checked against the route's schema, its handler's
   * answer (or its stream). Every error is one line with its code.
   */
  private async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    if (url.pathname === '/' && (method === 'GET' || method === 'HEAD')) {
      res.writeHead(200, { ...CONSOLE_PAGE_HEADERS, 'content-length': Buffer.byteLength(CONSOLE_PAGE) });
      res.end(method === 'HEAD' ? undefined : CONSOLE_PAGE);
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !same(auth.slice(7), this.key)) return sendError(res, 'unauthorized', "the class's console needs its key (Authorization: Bearer KEY, as class start printed it)");
    const matching = classRoutes.flatMap((r) => {
      const params = matchPath(r.route.path, url.pathname);
      return params ? [{ ...r, params }] : [];
    });
    const found = matching.find((m) => m.route.method === method);
    if (!found) {
      if (matching.length > 0) return sendError(res, 'method-not-allowed', `${method} ${url.pathname}: expected ${matching.map((m) => m.route.method).join(' or ')}`);
      return sendError(res, 'not-found', `no route ${method} ${url.pathname}`);
    }
    const { route, handler } = found;
    const params: Record<string, string> = {};
    for (const [name, schema] of Object.entries(route.params)) params[name] = checked(schema, found.params[name], `params.${name}`) as string;
    const query = route.query ? checked(route.query, Object.fromEntries(url.searchParams), 'query') : undefined;
    const body = route.body ? checked(route.body, await readJson(req), 'body') : undefined;
    const call = { ctx: this, params, query, body, afterAnswer: () => undefined };
    if (route.stream) {
      const lastEventId = req.headers['last-event-id'];
      const stream = openEventStream(res, typeof lastEventId === 'string' ? lastEventId : undefined);
      this.streams.add(stream.end);
      stream.onStop(() => this.streams.delete(stream.end));
      stream.onStop(handler(call, stream.sink) as () => void);
      return;
    }
    sendJson(res, 200, await handler(call, NO_SINK));
  }
}

function send(ws: WebSocket, frame: ClassFrame): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(classFrameSchema.parse(frame)));
}
