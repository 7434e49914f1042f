/** `faultline doctor` as text: a line a check, each fix indented under its problem, nothing past 80 columns. */
import { describe, expect, it } from 'vitest';
import { checkChromium } from '../src/doctor/chromium.js';
import { checkDocker, type CommandResult } from '../src/doctor/docker.js';
import { report } from '../src/doctor/finding.js';
import { checkLoopback } from '../src/doctor/loopback.js';
import { checkNode } from '../src/doctor/node-version.js';
import { checkOpenFiles } from '../src/doctor/open-files.js';
import { checkPlatform } from '../src/doctor/platform.js';
import { checkPort } from '../src/doctor/port.js';
import { renderReport, shorten, wrap } from '../src/doctor/render.js';

describe('the text report', () => {
  const r = report([
    { name: 'node', status: 'ok', detail: 'v20.19.1 (faultline needs >=20.19)' },
    { name: 'open-files', status: 'fail', detail: '256 per process, but 10 nodes need ~302', fix: 'the hard limit (256) caps every Node.js process; only root raises it, so here is a line long enough to wrap\n  an indented line' },
    { name: 'chromium', status: 'warn', detail: `FAULTLINE_CHROMIUM=/Applications/Google Chrome.app/Contents/MacOS/Google Chrome: no such file`, fix: 'install Google Chrome' },
  ]);
  const lines = renderReport(r, { nodes: 10 });

  it('a header, a line a check, fixes under their problem, a summary', () => {
    expect(lines[0]).toBe('faultline doctor: this machine, for a lab of 10 nodes');
    expect(lines[1]).toBe('ok    node        v20.19.1 (faultline needs >=20.19)');
    expect(lines[2]).toBe('fail  open-files  256 per process, but 10 nodes need ~302');
    expect(lines[3]).toMatch(/^ {6}fix: the hard limit \(256\) caps/);
    expect(lines[4]).toMatch(/^ {13}\S/);
    expect(lines[5]).toBe('             an indented line');
    // Too long a detail is shortened in its middle (--json has it whole).
    expect(lines[6]).toBe('warn  chromium    FAULTLINE_CHROMIUM=/Application…OS/Google Chrome: no such file');
    expect(lines[7]).toBe('      fix: install Google Chrome');
    expect(lines.at(-1)).toBe('1 check failed, 1 warning');
  });

  it('fits 80 columns', () => {
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('says when every check passed, or only warned', () => {
    expect(renderReport(report([{ name: 'node', status: 'ok', detail: 'fine' }]), { nodes: 3 }).at(-1)).toBe('every check passed');
    expect(renderReport(report([{ name: 'x', status: 'warn', detail: 'meh' }, { name: 'y', status: 'warn', detail: 'meh' }]), { nodes: 3 }).at(-1)).toBe('no failures, 2 warnings');
  });

  it('colours only the status word', () => {
    const painted = renderReport(r, { nodes: 10, paint: (s, t) => `<${s}>${t}</${s}>` });
    expect(painted[2]).toBe('<fail>fail</fail>  open-files  256 per process, but 10 nodes need ~302');
  });

  it('shortens in the middle and wraps at words', () => {
    expect(shorten('abcdefghij', 5)).toBe('ab…ij');
    expect(shorten('abc', 5)).toBe('abc');
    expect(wrap('one two three four', 12, '> ', '  ')).toEqual(['> one two', '    three', '    four']);
    // A command (two spaces in) stays whole, to be copied as it is.
    expect(wrap('  export FAULTLINE_CHROMIUM=/a/long/path', 12, '> ', '  ')).toEqual(['>   export FAULTLINE_CHROMIUM=/a/long/path']);
  });
});

describe('every problem, rendered', () => {
  const ran = (stdout: string, code = 0, stderr = ''): CommandResult => ({ found: true, code, stdout, stderr, timedOut: false, timeoutMs: 10_000 });
  const missing: CommandResult = { found: false, code: null, stdout: '', stderr: '', timedOut: false, timeoutMs: 10_000 };
  const tools = [
    { name: 'vite', range: '^20.19.0 || >=22.12.0', usedFor: 'the dashboard, npm test' },
    { name: 'vitest', range: '^20.0.0 || ^22.0.0 || >=24.0.0', usedFor: 'npm test' },
    { name: 'eslint', range: '^20.19.0 || ^22.13.0 || >=24', usedFor: 'npm run lint' },
  ];
  const checks = [
    checkNode({ version: 'v18.19.0', engines: '>=20.19', tools }),
    checkNode({ version: 'v23.1.0', engines: '>=20.19', tools }),
    ...(['linux', 'darwin'] as const).flatMap((platform) => [
      checkOpenFiles({ platform, soft: 256, hard: 256 }, 50),
      checkOpenFiles({ platform, soft: 256, hard: 1048576 }, 50),
      checkOpenFiles({ platform, soft: 10240, hard: 'unlimited' }, 50),
      checkLoopback({ ok: false, error: 'listen EADDRNOTAVAIL 127.0.0.1', platform }),
      checkChromium({ platform, path: '/usr/bin/chromium', fromEnv: false, exists: false, executable: false, found: [] }),
      checkChromium({ platform, path: '/opt/x', fromEnv: true, exists: true, executable: false, found: ['/Applications/Chromium.app/Contents/MacOS/Chromium'] }),
      checkDocker({ platform, client: missing, info: missing, composeV2: missing, composeV1: missing }, false),
      checkDocker({ platform, client: ran('Docker version 28.2.2, build x'), info: ran('', 1, 'permission denied while trying to connect'), composeV2: ran('', 1), composeV1: missing }, true),
      checkDocker({ platform, client: ran('Docker version 28.2.2, build x'), info: { ...missing, found: true, timedOut: true }, composeV2: ran('v2.29.1'), composeV1: missing }, true),
    ]),
    ...[3000, 4000, 5000, 7000, 8080, 8474, 65535].map((port) => checkPort({ port, platform: 'darwin', free: false, code: 'EADDRINUSE', ...(port < 65535 ? { alternative: port + 1 } : {}) })),
    checkPort({ port: 4000, platform: 'win32', free: false, code: 'EADDRINUSE', alternative: 4001 }),
    checkPort({ port: 4000, platform: 'linux', free: false, code: 'EADDRINUSE', holder: { command: 'com.docker.backend', pid: 4194303 }, alternative: 4001 }),
    checkChromium({ platform: 'win32', path: '/usr/bin/chromium', fromEnv: false, exists: false, executable: false, found: ['C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'] }),
    checkPlatform({ platform: 'win32', arch: 'arm64' }),
    checkPlatform({ platform: 'freebsd', arch: 'x64' }),
  ];

  it('fits 80 columns without breaking a command', () => {
    const lines = renderReport(report(checks), { nodes: 50 });
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    // Prose wraps (its continuation two spaces further in); no command line does.
    const commands = checks.flatMap((c) => (c.fix ?? '').split('\n').filter((l) => l.startsWith('  ')));
    expect(commands.length).toBeGreaterThan(10);
    for (const command of commands) expect(lines).toContain(`           ${command}`);
  });
});
