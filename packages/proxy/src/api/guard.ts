/**
 * Who may use the HTTP API (a faultline extension; Toxiproxy has none of it). Pure: takes the
 * request's headers and the server's policy, returns the refusal or undefined.
 *
 * - No web page: a request whose `Origin` is not the API's own is refused (403), so a page in the
 *   user's browser cannot reconfigure toxics. The proxied listen ports stay transparent TCP; the
 *   nodes behind them refuse foreign Origins themselves.
 * - No DNS rebinding: bound to loopback, a `Host` that is not a loopback name is refused (403).
 * - A token when asked for (always when bound beyond loopback): `Authorization: Bearer <token>`,
 *   else 401.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { FaultlineError } from '@faultline/protocol';

export interface GuardPolicy {
  /** The port the API listens on. */
  port: number;
  /** Bound to a loopback address: Host must then name loopback too. */
  loopback: boolean;
  /** Required as `Authorization: Bearer <token>` when set. */
  token?: string;
}

export interface GuardHeaders {
  origin?: string;
  host?: string;
  authorization?: string;
}

/** 127.0.0.0/8, ::1, localhost (and IPv4-mapped loopback). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** `host[:port]` of a Host header or an origin's authority, split (IPv6 in brackets). */
function splitAuthority(authority: string): { host: string; port: string | undefined } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::([0-9]+))?$/.exec(authority);
  return m ? { host: m[1], port: m[2] } : undefined;
}

function originIsOwn(origin: string, policy: GuardPolicy): boolean {
  const m = /^http:\/\/([^/]+)$/.exec(origin);
  const authority = m ? splitAuthority(m[1]) : undefined;
  return authority !== undefined && authority.port === String(policy.port) && isLoopbackHost(authority.host);
}

const oneLine = (text: string): string => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]);
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export function refusal(headers: GuardHeaders, policy: GuardPolicy): FaultlineError | undefined {
  if (headers.origin !== undefined && !originIsOwn(headers.origin, policy)) {
    return new FaultlineError('forbidden', `requests from origin ${oneLine(headers.origin)} are refused: the proxy API answers tools, not web pages`);
  }
  if (policy.loopback && headers.host !== undefined) {
    const authority = splitAuthority(headers.host);
    if (!authority || !isLoopbackHost(authority.host)) {
      return new FaultlineError('forbidden', `requests for host ${oneLine(headers.host)} are refused: the proxy API is bound to loopback`);
    }
  }
  if (policy.token !== undefined && !tokenMatches(headers.authorization, policy.token)) {
    const why = headers.authorization === undefined ? 'missing token' : 'wrong token';
    return new FaultlineError('unauthorized', `${why}: send the token printed at start as "Authorization: Bearer <token>"`);
  }
  return undefined;
}
