/** Writing answers exactly as Toxiproxy's Go net/http handlers do (headers, bodies, newlines). */
import type { ServerResponse } from 'node:http';
import { goMarshal } from '../go-json/index.js';
import type { FaultlineError } from '@faultline/protocol';
import { apiStatus } from './api-error.js';

/** A JSON answer: `Content-Type: application/json`, no trailing newline. */
export function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Go's http.Error: text/plain, nosniff, the message plus a newline. */
export function sendHttpError(res: ServerResponse, status: number, text: string): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Toxiproxy's apiError: the JSON error object sent through http.Error (so text/plain, with "\n"). */
export function sendApiError(res: ServerResponse, err: FaultlineError): void {
  const status = apiStatus(err);
  sendHttpError(res, status, goMarshal({ $object: [['error', err.message], ['status', status]] }));
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/** gorilla/mux's 405: no body, no Content-Type. */
export function sendMethodNotAllowed(res: ServerResponse): void {
  res.writeHead(405, { 'Content-Length': 0 });
  res.end();
}
