/**
 * The class console's routes (protocol `classApi`): what each does, as a handler of its checked
 * request with the console as `ctx`, and the small pieces of HTTP their dispatch in
 * class-server.ts uses (a body read and checked, JSON and error answers).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { classApi, FaultlineError, httpStatusOf, parseJsonWith, parseWith, type ClassApi, type ErrorCode, type EventSink, type Handlers, type Route } from '@faultline/protocol';
import type { ClassServer } from './class-server.js';
import { classCsv } from './export.js';

const MAX_BODY = 256 * 1024;
/** Changes within this long go to a live page as one view. */
const COALESCE_MS = 100;

/** What each of the class's routes does, its checked request in `call` (the compiler names a missing one). */
const handlers: Handlers<ClassApi, ClassServer> = {
  classView: ({ ctx }) => Promise.resolve(ctx.view()),
  assign: ({ ctx, body }) => Promise.resolve(ctx.assign(body.lesson, body.scenario)),
  classCode: ({ ctx }) => Promise.resolve({ code: ctx.code, addresses: ctx.joinAddresses() }),
  classLessons: ({ ctx }) => Promise.resolve(ctx.lessons()),
  classCsv: ({ ctx }) => Promise.resolve({ csv: classCsv(ctx.view()) }),
  // The whole class now, then again after each change (those close together as one); a page
  // that reads slowly is sent the latest view once it has taken the last, never a backlog.
  classEvents: ({ ctx }, sink) => {
    let id = 0;
    let waiting = false;
    let dirty = false;
    let timer: NodeJS.Timeout | undefined;
    const flush = (): void => {
      timer = undefined;
      if (waiting) {
        dirty = true;
        return;
      }
      dirty = false;
      if (sink.send(++id, ctx.view())) return;
      waiting = true;
      void sink.drained().then((ok) => {
        waiting = false;
        if (ok && dirty) flush();
      });
    };
    flush();
    const unwatch = ctx.watch(() => (timer ??= setTimeout(flush, COALESCE_MS)));
    return () => {
      unwatch();
      clearTimeout(timer);
    };
  },
};

type AnyHandler = (call: { ctx: ClassServer; params: Record<string, string>; query: unknown; body: unknown; afterAnswer: (then: () => void) => void }, sink: EventSink<unknown>) => unknown;
export const classRoutes = Object.entries(classApi as Readonly<Record<string, Route>>).map(([name, route]) => ({ route, handler: handlers[name as keyof ClassApi] as unknown as AnyHandler }));

export function checked(schema: Parameters<typeof parseWith>[0], input: unknown, what: string): unknown {
  const parsed = parseWith(schema, input, what);
  if (!parsed.ok) throw new FaultlineError('bad-request', parsed.error);
  return parsed.value;
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    if (text.length > MAX_BODY) throw new FaultlineError('bad-request', `body: expected at most ${MAX_BODY} bytes, got more`);
  }
  if (text.trim() === '') return {};
  const parsed = parseJsonWith(z.unknown(), text, 'body');
  if (!parsed.ok) throw new FaultlineError('bad-request', parsed.error);
  return parsed.value;
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

export function sendError(res: ServerResponse, code: ErrorCode, error: string): void {
  sendJson(res, httpStatusOf(code), { code, error });
}

/** What a route that does not stream is handed as its sink: it takes nothing. */
export const NO_SINK: EventSink<unknown> = { lastEventId: undefined, send: () => false, sendJson: () => false, comment: () => undefined, drained: () => Promise.resolve(false) };
