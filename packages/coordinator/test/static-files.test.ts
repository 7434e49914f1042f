/** The dashboard's files from the control API: only files of the page's folder, never a byte outside it. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../src/api/static-files.js';

const root = mkdtempSync(join(tmpdir(), 'faultline-static-'));
const page = join(root, 'page');
let server: Server;
let base: string;

beforeAll(async () => {
  mkdirSync(join(page, 'assets'), { recursive: true });
  writeFileSync(join(page, 'index.html'), '<!doctype html><title>page</title>');
  writeFileSync(join(page, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.js'), 'secret');
  mkdirSync(join(root, 'page-evil'));
  writeFileSync(join(root, 'page-evil', 'x.js'), 'evil');
  symlinkSync(join(root, 'secret.js'), join(page, 'assets', 'link.js'));
  server = createServer((req, res) => {
    void serveStatic(`${page}/`, new URL(req.url ?? '/', 'http://127.0.0.1').pathname, res).then((served) => {
      if (!served) res.writeHead(404).end('not found');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(root, { recursive: true, force: true });
});

describe('serveStatic', () => {
  it('serves the page at / and its files with their types and safety headers', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await (await fetch(`${base}/assets/app.js`)).text()).toBe('console.log(1)');
  });

  it.each(['/../secret.js', '/..%2fsecret.js', '/%2e%2e/secret.js', '/../page-evil/x.js', '/assets/app.js%00.html', '/%E0%A4%A', '/assets', '/nope.js', '/index.exe', '/assets/link.js'])('refuses %s', async (path) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('not found');
  });
});
