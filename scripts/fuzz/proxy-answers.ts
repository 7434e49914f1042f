/**
 * What counts as a clear refusal from the proxy's HTTP API: one line, and either Toxiproxy's JSON
 * error `{"error": "...", "status": N}` or one of the fixed one-liners Toxiproxy's Go server
 * answers with (mux's 404, the browser refusal, net/http's 400/431). gorilla/mux answers 405 with
 * no body at all; the proxy keeps that, answer for answer, so an empty 405 counts as clear.
 */

/** Toxiproxy's plain-text refusals, kept byte for byte by faultline-proxy. */
export const TOXIPROXY_PLAIN_ERRORS = new Set([
  '404 page not found\n',
  'User agent not allowed\n',
  '400 Bad Request',
  '400 Bad Request: missing required Host header',
  '431 Request Header Fields Too Large',
]);

export interface AnswerVerdict {
  error: boolean;
  oneLine: boolean;
  /** JSON `{error, status}` with the answer's status, or one of Toxiproxy's fixed one-liners. */
  clear: boolean;
  /** The error message, when a JSON error. */
  message?: string;
}

export function judgeAnswer(status: number, body: string, method: string): AnswerVerdict {
  const error = status >= 400;
  if (!error) return { error, oneLine: true, clear: true };
  if (method === 'HEAD' || (status === 405 && body === '')) return { error, oneLine: true, clear: true };
  const oneLine = body.length > 0 && !body.slice(0, -1).includes('\n') && !body.includes('\r');
  if (TOXIPROXY_PLAIN_ERRORS.has(body)) return { error, oneLine, clear: oneLine };
  try {
    const json = JSON.parse(body) as { error?: unknown; status?: unknown };
    const clear = oneLine && typeof json.error === 'string' && json.error.length > 0 && json.status === status;
    return { error, oneLine, clear, message: typeof json.error === 'string' ? json.error : undefined };
  } catch {
    return { error, oneLine, clear: false };
  }
}

/** A 500 whose message is JavaScript's, not the proxy's: a bug that reached the client. */
export function looksLikeBug(message: string | undefined): boolean {
  return message !== undefined && /Cannot read prop|is not a function|is not iterable|Maximum call stack|undefined|TypeError|RangeError|Invalid array length|out of memory/i.test(message);
}
