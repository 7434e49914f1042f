/**
 * `faultline doctor` as a student runs it, from any folder and with no lab running: one JSON
 * document with --json (Node's check ok on this machine), a busy --port fails (exit 1), a bad flag
 * is one line and exit 2, and the text fits 80 columns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, CLI_ENV } from './support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-doctor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const faultline = (...args: string[]) => execa(process.execPath, [...CLI, ...args], { cwd: dir, reject: false, timeout: 60_000, env: CLI_ENV });

interface Doc {
  ok: boolean;
  checks: { name: string; status: string; detail: string; fix?: string }[];
}

function expectShape(doc: Doc): void {
  expect(Object.keys(doc).sort()).toEqual(['checks', 'ok']);
  expect(typeof doc.ok).toBe('boolean');
  for (const check of doc.checks) {
    expect(Object.keys(check).every((k) => ['name', 'status', 'detail', 'fix'].includes(k)), JSON.stringify(check)).toBe(true);
    expect(['ok', 'warn', 'fail']).toContain(check.status);
    expect(check.detail.length).toBeGreaterThan(0);
    // A fix comes with a problem, and only then.
    if (check.status === 'ok') expect(check.fix).toBeUndefined();
    else expect(typeof check.fix).toBe('string');
  }
  expect(doc.ok).toBe(doc.checks.every((c) => c.status !== 'fail'));
}

/** Resolves with a server listening on 127.0.0.1 on a port the system picked. */
function listening(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('faultline doctor', () => {
  it('--json: one document, every check, Node.js ok here; exit 0 unless a check failed', async () => {
    const r = await faultline('doctor', '--json');
    const doc = JSON.parse(r.stdout) as Doc;
    expectShape(doc);
    expect(doc.checks.map((c) => c.name)).toEqual(['node', 'open-files', 'loopback', 'chromium', 'docker', 'platform']);
    expect(doc.checks[0]).toMatchObject({ name: 'node', status: 'ok' });
    expect(doc.checks[0].detail).toContain(process.version);
    expect(doc.checks.find((c) => c.name === 'loopback')?.status).toBe('ok');
    expect(r.exitCode, r.stderr).toBe(doc.ok ? 0 : 1);
  });

  it('--port: a port held here fails, naming a free one; exit 1', async () => {
    const server = await listening();
    try {
      const port = (server.address() as { port: number }).port;
      const r = await faultline('doctor', '--port', String(port), '--nodes', '3', '--json');
      const doc = JSON.parse(r.stdout) as Doc;
      expectShape(doc);
      expect(doc.checks.find((c) => c.name === 'port')).toMatchObject({ status: 'fail', detail: expect.stringMatching(new RegExp(`^${port} is in use`)) as unknown });
      expect(doc.ok).toBe(false);
      expect(r.exitCode).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('text: a header, a line a check, a summary; within 80 columns', async () => {
    const r = await faultline('doctor', '--nodes', '5');
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('faultline doctor: this machine, for a lab of 5 nodes');
    expect(lines.filter((l) => /^(ok|warn|fail) +\S/.test(l)).map((l) => l.split(/ +/)[1])).toEqual(['node', 'open-files', 'loopback', 'chromium', 'docker', 'platform']);
    expect(lines.at(-1)).toMatch(/^(every check passed|no failures, \d+ warnings?|\d+ checks? failed, \d+ warnings?)$/);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('a bad flag: one line naming the flag and what it got, exit 2', async () => {
    const cases = [
      [['doctor', '--nodes', 'abc'], 'faultline: expected a number of nodes from 1 to 50 for --nodes, got "abc"'],
      [['doctor', '--nodes', '51', '--json'], 'faultline: expected a number of nodes from 1 to 50 for --nodes, got "51"'],
      [['doctor', '--port', 'http'], 'faultline: expected a port from 1 to 65535 for --port, got "http"'],
    ] as const;
    const [unknown, ...results] = await Promise.all([faultline('doctor', '--frobnicate'), ...cases.map(([args]) => faultline(...args))]);
    results.forEach((r, i) => {
      expect(r.exitCode, cases[i][0].join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([cases[i][1]]);
    });
    // An unknown flag: commander's line, then the program's pointer to --help (as for every command).
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr.trim().split('\n')[0]).toBe("error: unknown option '--frobnicate'");
  });
});
