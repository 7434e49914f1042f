/**
 * `host:port` addresses as Go's net package parses, resolves and prints them, with Go's error
 * messages (Toxiproxy returns them verbatim in 500 answers).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { FaultlineError } from '@faultline/protocol';

export interface HostPort { host: string; port: string }

/** Go's net.SplitHostPort. */
export function splitHostPort(addr: string): HostPort {
  const fail = (why: string): never => {
    throw new FaultlineError('proxy-internal', `address ${addr}: ${why}`);
  };
  const i = addr.lastIndexOf(':');
  if (i < 0) fail('missing port in address');
  let host: string;
  if (addr.startsWith('[')) {
    const end = addr.indexOf(']');
    if (end < 0) fail("missing ']' in address");
    if (end + 1 === addr.length) fail('missing port in address');
    if (end + 1 !== i) fail(addr[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = addr.slice(1, end);
    if (host.includes('[') || host.includes(']')) fail("unexpected '[' in address");
  } else {
    host = addr.slice(0, i);
    if (host.includes(':')) fail('too many colons in address');
    if (host.includes('[') || host.includes(']')) fail("unexpected '[' in address");
  }
  return { host, port: addr.slice(i + 1) };
}

/** The service names Go resolves without /etc/services (its built-in table), as ports. */
const SERVICES: Record<string, number> = { ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, gopher: 70, finger: 79, http: 80, pop3: 110, nntp: 119, imap: 143, https: 443 };

export function parsePort(port: string): number {
  if (port === '') return 0;
  if (/^[0-9]+$/.test(port)) {
    const n = Number(port);
    if (n > 65535) throw new FaultlineError('proxy-internal', `address ${port}: invalid port`);
    return n;
  }
  if (/^[+-][0-9]+$/.test(port)) {
    const n = Number(port);
    if (n < 0 || n > 65535) throw new FaultlineError('proxy-internal', `address ${port}: invalid port`);
    return n;
  }
  const known = SERVICES[port.toLowerCase()];
  if (known !== undefined) return known;
  throw new FaultlineError('proxy-internal', `lookup tcp/${port}: unknown port`);
}

export function formatHostPort(ip: string, port: number): string {
  return isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export interface Resolved { ip: string; port: number }

/** Go's net.ResolveTCPAddr: a literal IP as is, a name looked up (IPv4 first); '' → `defaultHost`. */
export async function resolveTcpAddr(addr: string, defaultHost: string): Promise<Resolved> {
  if (addr === '') return { ip: defaultHost, port: 0 };
  const { host, port: portText } = splitHostPort(addr);
  const port = parsePort(portText);
  if (host === '') return { ip: defaultHost, port };
  const literal = host.includes('%') ? host.slice(0, host.indexOf('%')) : host;
  if (isIP(literal)) return { ip: literal, port };
  try {
    const found = await lookup(host, { all: true });
    const pick = found.find((a) => a.family === 4) ?? found[0];
    if (!pick) throw new Error('no address');
    return { ip: pick.address, port };
  } catch {
    throw new FaultlineError('proxy-internal', `lookup ${host}: no such host`);
  }
}

/** `host:port` → [host, port] for dialing upstream; undefined if it cannot be parsed. */
export function parseDialAddress(addr: string): { host: string; port: number } | undefined {
  try {
    const { host, port } = splitHostPort(addr);
    if (!/^[0-9]+$/.test(port) || Number(port) > 65535 || Number(port) === 0) return undefined;
    return { host: host === '' ? '127.0.0.1' : host, port: Number(port) };
  } catch {
    return undefined;
  }
}
