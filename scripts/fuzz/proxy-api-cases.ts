/**
 * Seeded cases for the proxy's HTTP API: requests with random methods, paths (traversal, odd
 * encodings, long ones), headers (foreign Origin and Host, browser User-Agents, tokens) and bodies
 * (good ones, wrong types, huge numbers, deep nesting, bad JSON, bad UTF-8, huge bodies), raw
 * malformed HTTP, and bursts of traffic through the proxies the fuzzer created. Pure: a case is a
 * function of the Rng it is drawn from.
 */
import type { Rng } from '@faultline/random';
import { messageToxics, standardToxics } from '@faultline/proxy';

export type ApiCase =
  | { kind: 'http'; method: string; path: string; headers: Record<string, string>; body?: Buffer; refusal?: 'origin' | 'host' }
  | { kind: 'raw'; label: string; bytes: Buffer }
  | { kind: 'traffic'; bytes: number };

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)];
const chance = (rng: Rng, p: number): boolean => rng.next() < p;

const TOXICS = [...standardToxics, ...messageToxics].map((t) => ({ type: t.type, attributes: Object.keys(t.attributes) }));
const NAMES = ['p1', 'p2', 'p3', 'redis', 'a', 'n1-n2', 'ü', 'x y', '..', '.', 'a/b', '%2e', '<script>', 'null', '0', ''];
const TOXIC_NAMES = ['t1', 't2', 'latency_downstream', 'slicer_upstream', 'timeout_upstream', 'x', '..', ''];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789-_.~%/\\?#';

function randomName(rng: Rng): string {
  if (chance(rng, 0.85)) return pick(rng, NAMES);
  if (chance(rng, 0.1)) return 'n'.repeat(1 + rng.int(5000));
  return Array.from({ length: 1 + rng.int(12) }, () => ALPHABET[rng.int(ALPHABET.length)]).join('');
}

/** A JSON value as text: raw literals let huge and odd numbers through unchanged. */
function weird(rng: Rng): string {
  return pick(rng, [
    '0', '1', '-1', '2147483647', '2147483648', '-2147483649', '9007199254740993', '9223372036854775807',
    '9223372036854775808', '-9223372036854775809', '1e400', '-1e400', '1e-400', '-0', '0.5', '1.5e3', '1E2',
    '"str"', '""', 'null', 'true', 'false', '[]', '{}', '[1,2]', '{"a":1}', '"\\u0000"', '"\\ud800"',
    `"${'z'.repeat(10_000)}"`, '100000000000000000000000000000000000000',
  ]);
}

function intText(rng: Rng): string {
  return chance(rng, 0.8) ? String(rng.int(chance(rng, 0.5) ? 10 : 2000)) : weird(rng);
}

function listen(rng: Rng): string {
  return pick(rng, ['127.0.0.1:0', '127.0.0.1:0', 'localhost:0', ':0', '', '[::1]:0', 'abc', '127.0.0.1', '127.0.0.1:99999', '999.1.1.1:0', '127.0.0.1:-1', 'a:b:c']);
}

function objectText(fields: Array<[string, string]>): string {
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

function proxyBody(rng: Rng, echo: string): string {
  const fields: Array<[string, string]> = [];
  if (chance(rng, 0.9)) fields.push(['name', chance(rng, 0.9) ? JSON.stringify(randomName(rng)) : weird(rng)]);
  if (chance(rng, 0.8)) fields.push(['listen', chance(rng, 0.9) ? JSON.stringify(listen(rng)) : weird(rng)]);
  if (chance(rng, 0.9)) fields.push(['upstream', chance(rng, 0.9) ? JSON.stringify(pick(rng, [echo, echo, '127.0.0.1:1', 'nowhere', ''])) : weird(rng)]);
  if (chance(rng, 0.5)) fields.push(['enabled', chance(rng, 0.8) ? pick(rng, ['true', 'false']) : weird(rng)]);
  if (chance(rng, 0.1)) fields.push([randomName(rng), weird(rng)]);
  return objectText(fields);
}

function toxicBody(rng: Rng): string {
  const toxic = chance(rng, 0.9) ? pick(rng, TOXICS) : { type: randomName(rng), attributes: ['x'] };
  const fields: Array<[string, string]> = [];
  if (chance(rng, 0.95)) fields.push(['type', chance(rng, 0.95) ? JSON.stringify(toxic.type) : weird(rng)]);
  if (chance(rng, 0.5)) fields.push(['name', JSON.stringify(pick(rng, TOXIC_NAMES))]);
  if (chance(rng, 0.7)) fields.push(['stream', chance(rng, 0.9) ? JSON.stringify(pick(rng, ['upstream', 'downstream', 'UpStream', '', 'sideways'])) : weird(rng)]);
  if (chance(rng, 0.6)) fields.push(['toxicity', chance(rng, 0.8) ? String(rng.next()) : weird(rng)]);
  if (chance(rng, 0.9)) {
    const attrs = toxic.attributes.filter(() => chance(rng, 0.8)).map((k): [string, string] => [k, intText(rng)]);
    if (chance(rng, 0.05)) attrs.push([randomName(rng), weird(rng)]);
    fields.push(['attributes', chance(rng, 0.95) ? objectText(attrs) : weird(rng)]);
  }
  return objectText(fields);
}

function malformed(rng: Rng, good: string): Buffer {
  switch (rng.int(9)) {
    case 0: return Buffer.from(good.slice(0, rng.int(good.length + 1)));
    case 1: return Buffer.from('['.repeat(pick(rng, [100, 1_000, 10_000, 100_000, 1_000_000])));
    case 2: return Buffer.from('{"a":'.repeat(pick(rng, [100, 1_000, 10_000, 100_000])));
    case 3: return Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256)));
    case 4: return Buffer.concat([Buffer.from(good.slice(0, 10)), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from(good.slice(10))]);
    case 5: return Buffer.from(pick(rng, ['{"name":"a",}', "{'name':'a'}", '{"name":NaN}', '{"a":1}{"b":2}', '{"name":"a"} trailing', '/*c*/{}', '\ufeff{}', '{"name":"a","name":"b","upstream":"x"}']));
    case 6: return Buffer.from(`[${Array.from({ length: 1 + rng.int(3_000) }, () => good).join(',')}]`.slice(0, 1_000_000));
    case 7: return Buffer.alloc(MAX_HUGE, 0x20);
    default: return Buffer.alloc(0);
  }
}

/** Just over the proxy's 1 MiB body limit. */
const MAX_HUGE = 1024 * 1024 + 1;

function path(rng: Rng): string {
  const enc = (s: string): string => (chance(rng, 0.8) ? encodeURIComponent(s) : s);
  const n = enc(randomName(rng));
  const t = enc(pick(rng, TOXIC_NAMES));
  return pick(rng, [
    '/proxies', '/proxies', '/proxies', `/proxies/${n}`, `/proxies/${n}`, `/proxies/${n}/toxics`, `/proxies/${n}/toxics`,
    `/proxies/${n}/toxics/${t}`, '/reset', '/populate', '/populate', '/version', '/capabilities',
    `/events?since=${intText(rng)}&proxy=${n}`, '/../../etc/passwd', '/proxies/../../../etc/passwd',
    '/proxies/%2e%2e/%2e%2e/etc/passwd', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '//etc/passwd', '/proxies/..%5c..%5cwin.ini',
    '/static/../../package.json', '/%', '/%zz', '/%00', `/${'a/'.repeat(2_000)}`, '/proxies?x=%ff', '/proxies/', '/proxies//toxics',
    `/proxies/${n}/toxics/${t}/extra`, '/PROXIES', '/proxies;x', '/?', '/#frag',
  ]);
}

export function apiCase(rng: Rng, echo: string): ApiCase {
  const roll = rng.next();
  if (roll < 0.02) return { kind: 'traffic', bytes: pick(rng, [1, 100, 4_096, 65_536, 300_000]) };
  if (roll < 0.07) return rawCase(rng);
  const method = pick(rng, ['GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'POST', 'PATCH', 'DELETE', 'DELETE', 'PUT', 'HEAD', 'OPTIONS', 'FOO']);
  const p = path(rng);
  const headers: Record<string, string> = {};
  let refusal: 'origin' | 'host' | undefined;
  const h = rng.next();
  if (h < 0.04) {
    headers.Origin = pick(rng, ['http://evil.example', 'null', 'https://127.0.0.1', 'http://127.0.0.1:1', 'file://']);
    refusal = 'origin';
  } else if (h < 0.06) {
    headers.Host = pick(rng, ['evil.example', 'evil.example:8474', '10.0.0.1', 'localhost.evil.example']);
    refusal = 'host';
  } else if (h < 0.08) {
    headers['User-Agent'] = 'Mozilla/5.0 (X11; Linux x86_64)';
  } else if (h < 0.1) {
    headers.Authorization = pick(rng, ['Bearer x', 'Basic Zm9vOmJhcg==', 'Bearer ' + 'a'.repeat(10_000)]);
  }
  if (chance(rng, 0.3)) headers['Content-Type'] = pick(rng, ['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']);
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD' && chance(rng, 0.9)) {
    const good = p === '/populate' ? `[${Array.from({ length: rng.int(4) }, () => proxyBody(rng, echo)).join(',')}]` : p.includes('/toxics') ? toxicBody(rng) : proxyBody(rng, echo);
    body = chance(rng, 0.7) ? Buffer.from(good) : chance(rng, 0.03) ? malformed(rng, good) : malformed(rng, good).subarray(0, 200_000);
  }
  return { kind: 'http', method, path: p, headers, ...(body ? { body } : {}), ...(refusal ? { refusal } : {}) };
}

function rawCase(rng: Rng): ApiCase {
  const req = (line: string, headers = 'Host: 127.0.0.1\r\n', body = ''): Buffer => Buffer.from(`${line}\r\n${headers}\r\n${body}`, 'latin1');
  const cases: Array<[string, () => Buffer]> = [
    ['garbage', () => Buffer.from(Array.from({ length: 1 + rng.int(300) }, () => rng.int(256)))],
    ['flipped', () => {
      const b = req('GET /version HTTP/1.1');
      b[rng.int(b.length)] = rng.int(256);
      return b;
    }],
    ['no version', () => req('GET /version')],
    ['http/0.9', () => Buffer.from('GET /version\r\n')],
    ['http/2 preface', () => Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')],
    ['no host', () => req('GET /version HTTP/1.1', '')],
    ['bad header', () => req('GET /version HTTP/1.1', 'Host: 127.0.0.1\r\nno colon here\r\n')],
    ['header injection', () => req('GET /version HTTP/1.1', 'Host: 127.0.0.1\r\nX: a\rb\r\n')],
    ['nul in path', () => req('GET /prox\0ies HTTP/1.1')],
    ['space in path', () => req('GET /proxies/a b HTTP/1.1')],
    ['traversal', () => req(`GET ${pick(rng, ['/../../etc/passwd', '/proxies/../../../../etc/shadow', '/..%2f..%2fetc/passwd', '\\..\\..\\win.ini'])} HTTP/1.1`)],
    ['short body', () => req('POST /proxies HTTP/1.1', 'Host: 127.0.0.1\r\nContent-Length: 100\r\n', '{"name":')],
    ['bad chunked', () => req('POST /proxies HTTP/1.1', 'Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n', 'zz\r\nabc\r\n0\r\n\r\n')],
    ['cl and te', () => req('POST /proxies HTTP/1.1', 'Host: 127.0.0.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n')],
    ['negative length', () => req('POST /proxies HTTP/1.1', 'Host: 127.0.0.1\r\nContent-Length: -1\r\n', '{}')],
    ['huge length', () => req('POST /proxies HTTP/1.1', 'Host: 127.0.0.1\r\nContent-Length: 99999999999999999999\r\n', '{}')],
    ['many headers', () => req('GET /version HTTP/1.1', `Host: 127.0.0.1\r\n${'X-A: b\r\n'.repeat(pick(rng, [100, 3_000]))}`)],
    ['header overflow', () => req('GET /version HTTP/1.1', `Host: 127.0.0.1\r\nX-Big: ${'a'.repeat(1_100_000)}\r\n`)],
    ['pipelined', () => Buffer.concat([req('GET /version HTTP/1.1'), req('GET /proxies HTTP/1.1'), req('BAD')])],
    ['connect', () => req('CONNECT 127.0.0.1:22 HTTP/1.1')],
    ['absolute uri', () => req('GET http://evil.example/proxies HTTP/1.1')],
    ['asterisk', () => req('OPTIONS * HTTP/1.1')],
    ['upgrade', () => req('GET /events HTTP/1.1', 'Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n')],
    ['half request', () => Buffer.from('GET /versi')],
  ];
  const weights = cases.map(([label]) => (label === 'header overflow' ? 0.05 : 1));
  let r = rng.next() * weights.reduce((a, b) => a + b, 0);
  let i = 0;
  while (r >= weights[i] && i < cases.length - 1) r -= weights[i++];
  const [label, make] = cases[i];
  return { kind: 'raw', label, bytes: make() };
}
