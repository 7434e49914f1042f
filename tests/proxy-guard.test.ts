/**
 * Safe by default: the proxy's HTTP API listens on 127.0.0.1, refuses web pages (a foreign
 * Origin) and DNS rebinding (a foreign Host) on every route, and wants a token when bound beyond
 * loopback (generated and printed if none is given) or when given one. Every refusal is one line
 * of JSON, `{"error": ..., "status": ...}`, as Toxiproxy's API errors are.
 */
import http from 'node:http';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnProxy, type ProxyProcess } from '@faultline/coordinator';
import { tcpServer, type TestServer } from './support/tcp.js';

let echo: TestServer;
beforeAll(async () => {
  echo = await tcpServer();
});
afterAll(async () => {
  await echo?.close();
});

interface Answer { status: number; body: string; headers: http.IncomingHttpHeaders }

/** A raw request (fetch will not send a foreign Host). */
function request(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function expectOneLineError(a: Answer, status: number, pattern: RegExp): void {
  expect(a.status).toBe(status);
  expect(a.body.endsWith('\n') && a.body.indexOf('\n') === a.body.length - 1, a.body).toBe(true);
  const json = JSON.parse(a.body) as { error: string; status: number };
  expect(json.status).toBe(status);
  expect(json.error).toMatch(pattern);
}

const routes: Array<[string, string, string?]> = [
  ['GET', '/version'],
  ['GET', '/proxies'],
  ['POST', '/proxies', '{"name":"evil","upstream":"127.0.0.1:1"}'],
  ['POST', '/proxies/p/toxics', '{"type":"timeout","attributes":{"timeout":0}}'],
  ['DELETE', '/proxies/p'],
  ['POST', '/reset'],
  ['GET', '/events'],
  ['GET', '/nope'],
];

describe('on loopback, with no token (the default)', () => {
  let proxy: ProxyProcess;
  beforeAll(async () => {
    proxy = await spawnProxy(['--seed', '5']);
    expect((await request(proxy.url, 'POST', '/proxies', {}, JSON.stringify({ name: 'p', listen: '127.0.0.1:0', upstream: echo.address }))).status).toBe(201);
  });
  afterAll(async () => {
    await proxy?.stop();
  });

  it('listens on 127.0.0.1 and answers tools', async () => {
    expect(new URL(proxy.url).hostname).toBe('127.0.0.1');
    expect((await request(proxy.url, 'GET', '/version')).status).toBe(200);
    expect((await request(proxy.url, 'GET', '/version', { Origin: proxy.url })).status).toBe(200);
  });

  it('refuses a foreign Origin on every route, and changes nothing', async () => {
    for (const [method, path, body] of routes) {
      const a = await request(proxy.url, method, path, { Origin: 'http://evil.example', 'Content-Type': 'text/plain' }, body);
      expectOneLineError(a, 403, /^requests from origin "http:\/\/evil\.example" are refused/);
    }
    const p = JSON.parse((await request(proxy.url, 'GET', '/proxies/p')).body) as { toxics: unknown[] };
    expect(p.toxics).toEqual([]);
    expect(Object.keys(JSON.parse((await request(proxy.url, 'GET', '/proxies')).body) as object)).toEqual(['p']);
  });

  it('refuses a foreign Host (DNS rebinding) on every route', async () => {
    for (const [method, path, body] of routes) {
      expectOneLineError(await request(proxy.url, method, path, { Host: `evil.example:${new URL(proxy.url).port}` }, body), 403, /^requests for host /);
    }
  });
});

describe('bound beyond loopback', () => {
  let proxy: ProxyProcess;
  beforeAll(async () => {
    proxy = await spawnProxy(['--host', '0.0.0.0', '--seed', '5']);
  });
  afterAll(async () => {
    await proxy?.stop();
  });

  it('wants a token on every route (the one generated is checked below)', async () => {
    for (const [method, path, body] of routes) {
      const a = await request(proxy.url, method, path, {}, body);
      expectOneLineError(a, 401, /^missing token: send the token printed at start as "Authorization: Bearer <token>"$/);
      expect(a.headers['www-authenticate']).toMatch(/^Bearer /);
    }
    expectOneLineError(await request(proxy.url, 'GET', '/version', { Authorization: 'Bearer wrong-token' }), 401, /^wrong token: /);
  });
});

const main = (args: string[]) =>
  execa(process.execPath, ['--import', 'tsx', 'packages/proxy/src/main.ts', '--port', '0', '--log-level', 'warn', ...args], {
    reject: false,
    cwd: new URL('..', import.meta.url),
    env: { FAULTLINE_PROXY_TOKEN: '' },
    timeout: 30_000,
  });

describe('the token, as the command gives it', () => {
  it('--host 0.0.0.0 without a token: one is generated, printed, and works', async () => {
    const child = main(['--host', '0.0.0.0', '--json']);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (b: Buffer) => {
          out += b.toString();
          if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
        });
        void child.then(() => reject(new Error('exited before start')));
      });
      const start = JSON.parse(line) as { url: string; token: string };
      expect(start.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect((await request(start.url, 'GET', '/proxies', { Authorization: `Bearer ${start.token}` })).status).toBe(200);
      expect((await request(start.url, 'GET', '/proxies')).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await child;
    }
  });

  it('--token on loopback is required too; $FAULTLINE_PROXY_TOKEN is read', async () => {
    const given = await spawnProxy(['--token', 'classroom-42']);
    try {
      expect((await request(given.url, 'GET', '/version')).status).toBe(401);
      expect((await request(given.url, 'GET', '/version', { Authorization: 'Bearer classroom-42' })).status).toBe(200);
    } finally {
      await given.stop();
    }
    const before = process.env.FAULTLINE_PROXY_TOKEN;
    process.env.FAULTLINE_PROXY_TOKEN = 'from-the-env';
    try {
      const fromEnv = await spawnProxy([]);
      try {
        expect((await request(fromEnv.url, 'GET', '/version')).status).toBe(401);
        expect((await request(fromEnv.url, 'GET', '/version', { Authorization: 'Bearer from-the-env' })).status).toBe(200);
      } finally {
        await fromEnv.stop();
      }
    } finally {
      if (before === undefined) delete process.env.FAULTLINE_PROXY_TOKEN;
      else process.env.FAULTLINE_PROXY_TOKEN = before;
    }
  });

  it('refuses a bad token with one line and exit code 2', async () => {
    const bad = await main(['--token', 'short']);
    expect(bad.exitCode).toBe(2);
    expect(String(bad.stderr).split('\n')[0]).toBe("error: option '--token <token>' argument 'short' is invalid. expected a token of 8-200 printable characters without spaces, got 5 characters");
    const badEnv = await execa(process.execPath, ['--import', 'tsx', 'packages/proxy/src/main.ts', '--port', '0'], { reject: false, cwd: new URL('..', import.meta.url), env: { FAULTLINE_PROXY_TOKEN: 'has space' }, timeout: 30_000 });
    expect(badEnv.exitCode).toBe(2);
    expect(String(badEnv.stderr)).toBe('faultline-proxy: FAULTLINE_PROXY_TOKEN: expected a token of 8-200 printable characters without spaces, got 9 characters');
  });
});
