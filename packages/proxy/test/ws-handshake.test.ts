import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_HANDSHAKE_BYTES, sniffRequest, sniffResponse } from '../src/ws/handshake.js';
import { WS_RESPONSE, wsUpgradeRequest } from './support/ws-frames.js';

const WS_REQUEST = wsUpgradeRequest('/chat?room=1', true);
const WS_REQUEST_NO_EXT = wsUpgradeRequest('/chat?room=1', false);

// What a browser sends (Chrome): more headers, `Connection: keep-alive, Upgrade`.
const BROWSER_REQUEST =
  'GET /ws HTTP/1.1\r\n' +
  'Host: localhost:8080\r\n' +
  'Connection: keep-alive, Upgrade\r\n' +
  'Pragma: no-cache\r\n' +
  'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36\r\n' +
  'Upgrade: websocket\r\n' +
  'Origin: http://localhost:8080\r\n' +
  'Sec-WebSocket-Version: 13\r\n' +
  'Accept-Encoding: gzip, deflate, br\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
  'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n' +
  '\r\n';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('sniffRequest', () => {
  it('recognises a real ws upgrade and removes only the extensions line', () => {
    const frame = Buffer.from([0x81, 0x85, 1, 2, 3, 4, 0x69, 0x67, 0x6f, 0x68, 0x6e]);
    const r = sniffRequest(Buffer.concat([b(WS_REQUEST), frame]));
    expect(r.state).toBe('websocket');
    if (r.state !== 'websocket') return;
    expect(r.headerBytes.toString('latin1')).toBe(WS_REQUEST_NO_EXT);
    expect(r.rest.equals(frame)).toBe(true);
  });

  it('recognises a browser upgrade with a Connection list and the extensions line last', () => {
    const r = sniffRequest(b(BROWSER_REQUEST));
    expect(r.state).toBe('websocket');
    if (r.state !== 'websocket') return;
    expect(r.headerBytes.toString('latin1')).toBe(
      BROWSER_REQUEST.replace('Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n', ''),
    );
    expect(r.rest.length).toBe(0);
  });

  it('matches header names and values case-insensitively and removes every extensions line', () => {
    const req =
      'GET / HTTP/1.1\r\nhost: x\r\nUPGRADE: WebSocket\r\nconnection: UPGRADE\r\n' +
      'sec-websocket-extensions: permessage-deflate\r\nSEC-WEBSOCKET-EXTENSIONS: x-other\r\n\tfolded\r\nX-After: 1\r\n\r\n';
    const r = sniffRequest(b(req));
    expect(r.state === 'websocket' && r.headerBytes.toString('latin1')).toBe(
      'GET / HTTP/1.1\r\nhost: x\r\nUPGRADE: WebSocket\r\nconnection: UPGRADE\r\nX-After: 1\r\n\r\n',
    );
  });

  it('needs more until the blank line, whatever the split', () => {
    for (let i = 0; i < WS_REQUEST.length; i++) expect(sniffRequest(b(WS_REQUEST.slice(0, i))).state).toBe('need-more');
    expect(sniffRequest(b(WS_REQUEST)).state).toBe('websocket');
  });

  it.each([
    ['a plain GET', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a POST', 'POST / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'],
    ['HTTP/1.0', 'GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'],
    ['no Connection: upgrade', 'GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n\r\n'],
    ['an h2c upgrade', 'GET / HTTP/1.1\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n'],
  ])('says not-websocket for %s', (_name, text) => {
    expect(sniffRequest(b(text)).state).toBe('not-websocket');
  });

  it('says not-websocket from the first bytes of another protocol', () => {
    expect(sniffRequest(b('*3\r\n$3\r\nSET\r\n')).state).toBe('not-websocket');
    expect(sniffRequest(b('P')).state).toBe('not-websocket');
    expect(sniffRequest(b('GE')).state).toBe('need-more');
  });

  it('gives up after 16 KiB of header', () => {
    const long = b(`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(MAX_HANDSHAKE_BYTES)}\r\n\r\n`);
    expect(sniffRequest(long.subarray(0, MAX_HANDSHAKE_BYTES - 1)).state).toBe('need-more');
    expect(sniffRequest(long).state).toBe('not-websocket');
  });

  it('keeps every byte except the extensions line (any extra headers)', () => {
    const header = fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/), fc.stringMatching(/^[ -~]{0,30}$/));
    fc.assert(
      fc.property(fc.array(header, { maxLength: 8 }), fc.uint8Array({ maxLength: 20 }), (extra, tail) => {
        const lines = extra
          .filter(([name]) => !/^(sec-websocket-extensions|upgrade|connection)$/i.test(name))
          .map(([n, v]) => `${n}: ${v}\r\n`)
          .join('');
        const req = `GET /x HTTP/1.1\r\n${lines}Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n`;
        const r = sniffRequest(Buffer.concat([b(req), Buffer.from(tail)]));
        expect(r.state).toBe('websocket');
        if (r.state !== 'websocket') return;
        expect(r.headerBytes.toString('latin1')).toBe(req);
        expect(r.rest.equals(Buffer.from(tail))).toBe(true);
      }),
    );
  });
});

describe('sniffResponse', () => {
  it('recognises a real 101 response, bytes unchanged', () => {
    const frame = Buffer.from([0x81, 0x02, 0x68, 0x69]);
    const r = sniffResponse(Buffer.concat([b(WS_RESPONSE), frame]));
    expect(r.state).toBe('websocket');
    if (r.state !== 'websocket') return;
    expect(r.headerBytes.toString('latin1')).toBe(WS_RESPONSE);
    expect(r.rest.equals(frame)).toBe(true);
  });

  it('needs more until the blank line', () => {
    for (let i = 0; i < WS_RESPONSE.length; i++) expect(sniffResponse(b(WS_RESPONSE.slice(0, i))).state).toBe('need-more');
  });

  it('says not-websocket as soon as the status line differs', () => {
    expect(sniffResponse(b('HTTP/1.1 400 Bad Request\r\n')).state).toBe('not-websocket');
    expect(sniffResponse(b('HTTP/1.1 1010')).state).toBe('not-websocket');
    expect(sniffResponse(b('HTTP/1.0 101 x\r\n\r\n')).state).toBe('not-websocket');
    // A server that speaks first (a MySQL greeting) is never held back.
    expect(sniffResponse(Buffer.from([0x4a, 0, 0, 0, 0x0a, 0x38])).state).toBe('not-websocket');
  });
});
