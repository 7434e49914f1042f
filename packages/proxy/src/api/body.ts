import type { IncomingMessage } from 'node:http';
import { ErrBodyTooLarge, MAX_BODY_BYTES } from './api-error.js';

/** Reads a request body, refusing (413, a faultline extension) anything over MAX_BODY_BYTES. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(ErrBodyTooLarge);
      req.resume(); // discard it, so the client can finish sending and read the answer
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(ErrBodyTooLarge);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
