/**
 * A JSON array answered as it is read (`GET /trace` of a long run): the items come as their JSON
 * text from an async iteration and are written as the client takes them, so the answer is never
 * whole in memory. On the wire it is the route's declared array, like any other answer.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

/** The most one write sends. */
const BATCH_BYTES = 64 * 1024;

/** An answer a handler gives for an array it streams: its items as JSON text. */
export class StreamedJsonArray {
  constructor(readonly items: AsyncIterable<string>) {}
}

/** Writes `array` to `res` (status 200), waiting whenever the client's buffer is full. */
export async function sendJsonArray(res: ServerResponse, array: StreamedJsonArray): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  const closed = once(res, 'close').then(
    () => false,
    () => false,
  );
  let text = '[';
  let first = true;
  const flush = async (): Promise<boolean> => {
    const ok = res.write(text);
    text = '';
    return ok || (await Promise.race([once(res, 'drain').then(() => true, () => false), closed]));
  };
  for await (const json of array.items) {
    text += first ? json : `,${json}`;
    first = false;
    if (text.length >= BATCH_BYTES && !(await flush())) return;
  }
  text += ']';
  res.end(text);
}
