/**
 * The dashboard's files, served by the control API from the folder it was given (the built page):
 * `/` is its index.html, other paths are files in that folder. Nothing outside it is ever read.
 */
import { readFile, realpath } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/** Answers `pathname` from `dir` and returns true, or returns false (not a file of the page). */
export async function serveStatic(dir: string, pathname: string, res: ServerResponse): Promise<boolean> {
  let relative: string;
  try {
    relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
  } catch {
    return false;
  }
  const root = resolve(dir);
  const file = resolve(root, relative);
  if (!file.startsWith(root + sep) || !TYPES[extname(file)]) return false;
  let body: Buffer;
  try {
    // A link inside the folder may not lead out of it.
    const real = await realpath(file);
    if (!real.startsWith((await realpath(root)) + sep)) return false;
    body = await readFile(real);
  } catch {
    return false;
  }
  // The page and its API are one origin; the page may not be framed by another.
  res.writeHead(200, {
    'content-type': TYPES[extname(file)],
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(body);
  return true;
}
