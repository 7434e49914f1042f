/**
 * The `faultline-proxy` command: flags, the config file, bad input, and shutdown. Real processes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnProxy } from '@faultline/coordinator';
import { execa } from 'execa';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { tcpServer } from './support/tcp.js';

/** faultline-proxy bundled from its sources as the image has it (tests/support/global-setup.ts): no tsx at each start. */
const MAIN = join(inject('faultlineHome'), 'faultline-proxy.mjs');
const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  return execa(process.execPath, [MAIN, ...args], { reject: false, timeout: 20_000, stdin: 'ignore' });
}

describe('bad flags: exit 2 with one line naming the flag', () => {
  it.each<[string[], RegExp]>([
    [['--port', 'abc'], /--port.*expected a port number 0-65535, got "abc"/],
    [['--port', '70000'], /--port/],
    [['--seed', 'x1'], /--seed.*expected an integer seed, got "x1"/],
    [['--log-level', 'loud'], /--log-level.*got "loud"/],
    [['--busy-poll-us', '-3'], /--busy-poll-us/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
  ])('%j', async (args, pattern) => {
    const r = await run(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split('\n')[0]).toMatch(pattern);
  });

  it('exits 1 with a clear line when the API port is taken', async () => {
    const taken = await tcpServer();
    const r = await run(['--port', String(taken.port)]);
    await taken.close();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`cannot listen on 127.0.0.1:${taken.port}`);
  });
});

describe('--help and the start-up line', () => {
  it('--help lists every option', async () => {
    const r = await run(['--help']);
    expect(r.exitCode).toBe(0);
    for (const flag of ['--host', '--port', '--config', '--seed', '--log-level', '--json']) expect(r.stdout).toContain(flag);
  });

  it('prints the seed (given or drawn) so a run can be replayed', async () => {
    const p = await spawnProxy(['--seed', '-12345']);
    expect(p.seed).toBe('-12345');
    const caps = (await (await fetch(`${p.url}/capabilities`)).json()) as { seed: string };
    expect(caps.seed).toBe('-12345');
    await p.stop();
    const drawn = await spawnProxy();
    expect(drawn.seed).toMatch(/^-?[0-9]+$/);
    await drawn.stop();
  });
});

describe('--config', () => {
  it('populates the proxies of a Toxiproxy config file at start', async () => {
    const upstream = await tcpServer();
    const file = join(dir, 'good.json');
    writeFileSync(file, JSON.stringify([{ name: 'cfg', listen: '127.0.0.1:0', upstream: upstream.address }, { name: 'off', listen: '127.0.0.1:0', upstream: upstream.address, enabled: false }]));
    const p = await spawnProxy(['--config', file]);
    const all = (await (await fetch(`${p.url}/proxies`)).json()) as Record<string, { enabled: boolean }>;
    expect(Object.keys(all)).toEqual(['cfg', 'off']);
    expect(all.cfg.enabled).toBe(true);
    expect(all.off.enabled).toBe(false);
    await p.stop();
    await upstream.close();
  });

  it('a missing or malformed file is one clear error line, and the server still starts (as toxiproxy-server does)', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[{"name": "x", "upstream": 5}]');
    for (const [file, message] of [
      [join(dir, 'missing.json'), 'cannot read config file'],
      [bad, 'json: cannot unmarshal number into Go struct field .upstream of type string'],
    ]) {
      const p = await spawnProxy(['--config', file]);
      expect(await (await fetch(`${p.url}/proxies`)).text()).toBe('{}');
      await p.stop();
      expect(p.stderr()).toContain(message);
    }
  });
});

describe('shutdown', () => {
  it('SIGTERM closes the API and every proxy listener, then exits 0', async () => {
    const p = await spawnProxy();
    const res = await fetch(`${p.url}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'a', listen: '127.0.0.1:0', upstream: '127.0.0.1:1' }) });
    const port = Number(((await res.json()) as { listen: string }).listen.split(':').pop());
    await p.stop();
    expect(p.alive()).toBe(false);
    expect(p.exitCode()).toBe(0);
    for (const target of [port, Number(new URL(p.url).port)]) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = net.connect({ port: target, host: '127.0.0.1' });
        s.once('connect', () => { s.destroy(); resolve(false); });
        s.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    }
  });
});

describe('bad requests never crash the server', () => {
  it('refuses a body over 1 MiB with 413, and goes on serving', async () => {
    const p = await spawnProxy();
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), upstream: 'a:1' });
    const res = await fetch(`${p.url}/proxies`, { method: 'POST', body: big });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('{"error":"request body too large: the limit is 1048576 bytes","status":413}\n');
    // no Content-Length: the limit is found while reading
    const init = {
      method: 'POST',
      body: new ReadableStream({ start(c) { for (let i = 0; i < 40; i++) c.enqueue(new Uint8Array(64 * 1024).fill(32)); c.close(); } }),
      duplex: 'half' as const,
    };
    const chunked = await fetch(`${p.url}/populate`, init);
    expect(chunked.status).toBe(413);
    expect((await fetch(`${p.url}/version`)).status).toBe(200);
    expect(p.alive()).toBe(true);
    await p.stop();
  });

  it('survives garbage HTTP, half-sent requests and abrupt disconnects', async () => {
    const p = await spawnProxy();
    const { port } = new URL(p.url);
    for (const bytes of ['\x00\x01\x02garbage\r\n\r\n', 'POST /proxies HTTP/1.1\r\nContent-Length: 100\r\n\r\n{"na', 'GET /version HTTP/9.9\r\n\r\n']) {
      const s = net.connect({ port: Number(port), host: '127.0.0.1' });
      s.on('error', () => undefined);
      await new Promise<void>((r) => s.once('connect', r));
      s.write(bytes);
      await new Promise((r) => setTimeout(r, 50));
      s.resetAndDestroy();
    }
    expect((await fetch(`${p.url}/version`)).status).toBe(200);
    expect(p.alive()).toBe(true);
    await p.stop();
  });
});
