/**
 * The lab's secret: who may talk to a node's peer port and to the coordinator's control channel.
 * The coordinator draws 32 random bytes per lab, hands them to each node in the environment (never
 * on the command line, which every local user can read), and every WebSocket handshake of the lab
 * (node → proxy → node, node → coordinator) carries them in a header. A server refuses a handshake
 * without the secret (401), and any handshake with an `Origin` header (403): only a browser sends
 * one, and no page, however it got the port, belongs in a lab.
 *
 * Node-only (a subpath of the protocol package, `@faultline/protocol/lab-secret`): the browser
 * never imports it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The environment variable a node reads its lab's secret from. */
export const LAB_SECRET_ENV = 'FAULTLINE_LAB_SECRET';
/** The handshake header that carries it (lower case, as Node gives headers). */
export const LAB_SECRET_HEADER = 'x-faultline-lab-secret';

/** A new lab's secret: 32 random bytes, base64url. */
export function newLabSecret(): string {
  return randomBytes(32).toString('base64url');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** A refused handshake: its HTTP status and why. */
export interface HandshakeRefusal {
  readonly status: 401 | 403;
  readonly reason: string;
}

/** Why a WebSocket handshake with these headers is refused, or null to let it in. */
export function handshakeRefusal(headers: Readonly<Record<string, string | string[] | undefined>>, secret: string): HandshakeRefusal | null {
  const origin = headers.origin;
  if (origin !== undefined) {
    const shown = JSON.stringify(String(origin).slice(0, 100));
    return { status: 403, reason: `an Origin header (${shown}): browsers are refused` };
  }
  const given = headers[LAB_SECRET_HEADER];
  if (typeof given !== 'string') return { status: 401, reason: `no ${LAB_SECRET_HEADER} header: the lab's secret is required` };
  // Compared as digests: equal lengths, in constant time.
  if (!timingSafeEqual(digest(given), digest(secret))) return { status: 401, reason: `a wrong ${LAB_SECRET_HEADER}` };
  return null;
}
