/** Reading and checking a control API request: the JSON body, the schema, the origin. */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { check } from '../check.js';
import { LabError } from '../lab-error.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** The body as JSON (undefined when empty); `bad-request` when it is not JSON or too large. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new LabError('bad-request', `expected a body of at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new LabError('bad-request', `body: not JSON (${(err as Error).message})`);
  }
}

/** Checks a body against its schema; an empty body counts as `{}`. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  return check(schema, body ?? {}, 'body');
}

/**
 * The API answers only itself: a request whose `Origin` is another site's (a page in the user's
 * browser) or whose `Host` is not this server's (DNS rebinding) is refused. Answers why, or undefined.
 */
export function foreignRequest(req: IncomingMessage, port: number): string | undefined {
  const own = [`127.0.0.1:${port}`, `localhost:${port}`];
  const origin = req.headers.origin;
  if (origin !== undefined && !own.some((host) => origin === `http://${host}`)) return `requests from origin ${origin} are refused`;
  const host = req.headers.host;
  if (host !== undefined && !own.includes(host)) return `requests for host ${host} are refused`;
  return undefined;
}
