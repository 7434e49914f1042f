/** JSON answers and errors of the control API: errors are `{ "error": "<one line>", "code": "<stable code>" }`. */
import type { ServerResponse } from 'node:http';
import { asFaultlineError, httpStatusOf, type ApiErrorBody, type ErrorCode } from '@faultline/protocol';

export function sendJson(res: ServerResponse, status: number, value: unknown, then?: () => void): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body, then);
}

/** An error answer: the code's HTTP status (from the registry of codes), the one-line message. */
export function sendError(res: ServerResponse, code: ErrorCode, error: string): void {
  const body: ApiErrorBody = { error, code };
  sendJson(res, httpStatusOf(code), body);
}

/** Any thrown value as an error answer (a FaultlineError's code decides the status; others are `failed`). */
export function sendFailure(res: ServerResponse, err: unknown): void {
  const e = asFaultlineError(err);
  sendError(res, e.code, e.message);
}
