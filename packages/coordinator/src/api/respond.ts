/** JSON answers and errors of the control API: errors are `{ "error": "<one line>", "code": "<stable code>" }`. */
import type { ServerResponse } from 'node:http';
import { asLabError, labErrorStatus } from '../lab-error.js';

export function sendJson(res: ServerResponse, status: number, value: unknown, then?: () => void): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body, then);
}

export function sendError(res: ServerResponse, status: number, code: string, error: string): void {
  sendJson(res, status, { error, code });
}

/** Any thrown value as an error answer (a LabError's code decides the status). */
export function sendFailure(res: ServerResponse, err: unknown): void {
  const e = asLabError(err);
  sendError(res, labErrorStatus[e.code], e.code, e.message);
}
