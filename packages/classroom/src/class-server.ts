/**
 * The instructor's console (shell): `faultline class start`. An HTTP server with the class's
 * routes (protocol `classApi`, each request with the console's key) and a WebSocket at `/join`
 * where each student's `faultline class join` says hello with the join code, reports its lab, and
 * sends its predictions and verdicts; pushed assignments go out to every connected lab at once,
 * and to the others when they come back. The roster is saved to `file` after every change (written
 * aside, then renamed), so a console that restarts with the same file has the same code, key and
 * class.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  assignRequestSchema,
  classFrameSchema,
  FaultlineError,
  JOIN_CODE_ALPHABET,
  parseJsonWith,
  studentFrameSchema,
  type ClassFrame,
} from '@faultline/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { Roster, type RosterData } from './roster.js';

/** How long a new connection has to say hello. */
const HELLO_MS = 5_000;
const MAX_BODY = 256 * 1024;

export interface ClassServerOptions {
  readonly host: string;
  readonly port: number;
  /** Where the class is saved; an existing file is the class to go on with. */
  readonly file: string;
  /** The current time (ISO), for the roster. */
  readonly now?: () => string;
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
    http.on('request', (req: IncomingMessage, res: ServerResponse) => void server.request(req, res));
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
    this.save();
    for (const ws of this.sockets.values()) send(ws, { type: 'assign', assignment });
    return assignment;
  }

  view(): ReturnType<Roster['view']> {
    return this.roster.view();
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private now(): string {
    return this.options.now!();
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
        this.save();
        return;
      }
      if (frame.type === 'lab') this.roster.lab(id, frame.report, this.now());
      else if (frame.type === 'event') send(ws, this.roster.event(id, frame.seq, frame.event, this.now()).ack);
      this.save();
    });
    ws.on('close', () => {
      clearTimeout(timer);
      if (id !== undefined && this.sockets.get(id) === ws) {
        this.sockets.delete(id);
        this.roster.left(id, this.now());
        this.save();
      }
    });
    ws.on('error', () => undefined);
  }

  private async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization ?? '';
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(value));
    };
    if (!auth.startsWith('Bearer ') || !same(auth.slice(7), this.key)) return json(401, { code: 'unauthorized', error: "the class's console needs its key (Authorization: Bearer KEY, as class start printed it)" });
    if (req.method === 'GET' && url.pathname === '/class') return json(200, this.view());
    if (req.method === 'POST' && url.pathname === '/class/assign') {
      let text = '';
      for await (const chunk of req) {
        text += (chunk as Buffer).toString('utf8');
        if (text.length > MAX_BODY) return json(413, { code: 'bad-request', error: `body: over ${MAX_BODY} bytes` });
      }
      const parsed = parseJsonWith(assignRequestSchema, text || '{}', 'body');
      if (!parsed.ok) return json(400, { code: 'bad-request', error: parsed.error });
      return json(200, this.assign(parsed.value.lesson, parsed.value.scenario));
    }
    return json(404, { code: 'not-found', error: `no route ${req.method} ${url.pathname}` });
  }
}

function send(ws: WebSocket, frame: ClassFrame): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(classFrameSchema.parse(frame)));
}
