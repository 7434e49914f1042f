/** `faultline doctor`'s verdicts, pure: hand-made facts in, each check's ok, warn or fail out, with its fix. */
import { readFileSync } from 'node:fs';
import { FaultlineError } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { checkChromium, DEFAULT_CHROMIUM, type ChromiumFacts } from '../src/doctor/chromium.js';
import { diagnose, type DoctorFacts } from '../src/doctor/diagnose.js';
import { checkDocker, type CommandResult, type DockerFacts } from '../src/doctor/docker.js';
import { parseDoctorFlags } from '../src/doctor/flags.js';
import { checkLoopback } from '../src/doctor/loopback.js';
import { checkNode, type NodeFacts } from '../src/doctor/node-version.js';
import { checkOpenFiles, estimateOpenFiles, nodesThatFit, parseProcLimits, parseUlimit } from '../src/doctor/open-files.js';
import { checkPlatform } from '../src/doctor/platform.js';
import { checkPort, parseLsof, parseSs } from '../src/doctor/port.js';
import { parseVersion, satisfies } from '../src/doctor/semver.js';

const v = (text: string) => parseVersion(text)!;

describe('versions and engines ranges', () => {
  it('reads versions with or without v, partial, with a suffix', () => {
    expect(parseVersion('v20.19.1')).toEqual([20, 19, 1]);
    expect(parseVersion('22')).toEqual([22, 0, 0]);
    expect(parseVersion('v23.0.0-nightly2024')).toEqual([23, 0, 0]);
    expect(parseVersion('twenty')).toBeUndefined();
  });

  it('reads the ranges engines use, partial versions as semver does', () => {
    expect(satisfies(v('20.19.0'), '>=20.19')).toBe(true);
    expect(satisfies(v('20.18.3'), '>=20.19')).toBe(false);
    expect(satisfies(v('18.20.0'), '>= 20.19')).toBe(false);
    const vite = '^20.19.0 || >=22.12.0';
    expect([v('20.19.0'), v('21.7.0'), v('22.11.0'), v('22.12.0'), v('24.1.0')].map((x) => satisfies(x, vite))).toEqual([true, false, false, true, true]);
    expect(satisfies(v('20.99.0'), '>20')).toBe(false);
    expect(satisfies(v('21.0.0'), '>20')).toBe(true);
    expect(satisfies(v('20.19.9'), '<=20.19')).toBe(true);
    expect(satisfies(v('20.20.0'), '<=20.19')).toBe(false);
    expect(satisfies(v('20.5.0'), '~20.4 || 20.5')).toBe(true);
    expect(satisfies(v('20.19.0'), '>=18 <21')).toBe(true);
    expect(satisfies(v('20.19.0'), '1.0.0 - 2.0.0')).toBeUndefined();
  });
});

describe('node', () => {
  const facts = (version: string, tools: NodeFacts['tools'] = []): NodeFacts => ({ version, engines: '>=20.19', tools });
  const vite = { name: 'vite', range: '^20.19.0 || >=22.12.0', usedFor: 'the dashboard, npm test' };

  it('ok inside the engines range', () => {
    expect(checkNode(facts('v20.19.1', [vite]))).toEqual({ name: 'node', status: 'ok', detail: 'v20.19.1 (faultline needs >=20.19)' });
  });

  it('fails below it, with how to install a newer Node.js', () => {
    const f = checkNode(facts('v18.19.0'));
    expect(f).toMatchObject({ status: 'fail', detail: 'v18.19.0, but faultline needs >=20.19' });
    expect(f.fix).toContain('nvm install 22 && nvm use 22');
  });

  it('warns inside the engines range but outside a tool\'s (Node 22.5 and vite)', () => {
    const f = checkNode(facts('v22.5.1', [vite, { name: 'tsx', range: '>=18.0.0', usedFor: 'runs faultline' }]));
    expect(f).toMatchObject({ status: 'warn', detail: 'v22.5.1 fits >=20.19, not vite' });
    expect(f.fix?.split('\n')[0]).toBe('vite needs Node.js ^20.19.0 || >=22.12.0 (the dashboard, npm test)');
  });

  it('without a readable package.json, checks against the default range', () => {
    expect(checkNode({ version: 'v20.0.0', tools: [] })).toMatchObject({ status: 'fail', detail: 'v20.0.0, but faultline needs >=20.19' });
  });
});

describe('open files', () => {
  it('estimates the busiest process: the proxy, three sockets a directed link', () => {
    expect(estimateOpenFiles(10)).toEqual({ links: 90, proxy: 302, lab: 114, node: 50, need: 302, room: 604, suggest: 4096 });
    expect(estimateOpenFiles(3)).toMatchObject({ links: 6, proxy: 50, lab: 79, need: 79 });
    expect(estimateOpenFiles(50)).toMatchObject({ need: 3 * 50 * 49 + 32, suggest: 15360 });
    expect(nodesThatFit(256)).toBe(6);
    expect(nodesThatFit(20000)).toBe(50);
  });

  it('reads /proc/self/limits and ulimit', () => {
    const proc = 'Max cpu time              unlimited            unlimited            seconds\nMax open files            1024                 524288               files\n';
    expect(parseProcLimits(proc)).toEqual({ soft: 1024, hard: 524288 });
    expect(parseUlimit('256\nunlimited\n')).toEqual({ soft: 256, hard: 'unlimited' });
    expect(parseUlimit('')).toBeUndefined();
  });

  it('ok with room, warn with little, fail below the need', () => {
    expect(checkOpenFiles({ platform: 'linux', soft: 20000, hard: 20000 }, 10)).toEqual({
      name: 'open-files',
      status: 'ok',
      detail: '20000 per process; 10 nodes need ~302 (~604 with room)',
    });
    expect(checkOpenFiles({ platform: 'linux', soft: 400, hard: 400 }, 10)).toMatchObject({ status: 'warn' });
    const fail = checkOpenFiles({ platform: 'linux', soft: 256, hard: 256 }, 10);
    expect(fail).toMatchObject({ status: 'fail', detail: '256 per process, but 10 nodes need ~302' });
    // Node.js already runs at its hard limit: only raising that helps; or a smaller lab.
    expect(fail.fix).toContain('the hard limit (256) caps Node.js; only root raises it');
    expect(fail.fix).toContain('  * hard nofile 65536\nto /etc/security/limits.conf');
    expect(fail.fix).toContain('npx faultline up --nodes 6');
  });

  it('a soft limit under a roomy hard one: ulimit -n, and how to keep it', () => {
    const f = checkOpenFiles({ platform: 'darwin', soft: 256, hard: 10240 }, 10);
    expect(f.status).toBe('fail');
    expect(f.fix).toContain('ulimit -n 4096');
    expect(f.fix).toContain('~/.zshrc');
  });

  it('macOS at kern.maxfilesperproc: sysctl', () => {
    const f = checkOpenFiles({ platform: 'darwin', soft: 10240, hard: 'unlimited' }, 50);
    expect(f.status).toBe('warn');
    expect(f.fix).toContain('sudo sysctl -w kern.maxfiles=200000 kern.maxfilesperproc=65536');
  });

  it('unknown: warn; unlimited and Windows: ok', () => {
    expect(checkOpenFiles({ platform: 'freebsd', error: 'no /bin/sh' }, 10)).toMatchObject({ status: 'warn', detail: 'could not read the limit (no /bin/sh)' });
    expect(checkOpenFiles({ platform: 'linux', soft: 'unlimited', hard: 'unlimited' }, 10).status).toBe('ok');
    expect(checkOpenFiles({ platform: 'win32' }, 10).status).toBe('ok');
  });
});

describe('loopback and port', () => {
  it('loopback: ok, or fail with how to open it', () => {
    expect(checkLoopback({ ok: true, platform: 'linux' }).status).toBe('ok');
    const f = checkLoopback({ ok: false, error: 'listen EADDRNOTAVAIL', platform: 'linux' });
    expect(f).toMatchObject({ status: 'fail', detail: '127.0.0.1: listen EADDRNOTAVAIL' });
    expect(f.fix).toContain('sudo ip link set lo up');
  });

  it('a free port is ok', () => {
    expect(checkPort({ port: 4000, platform: 'linux', free: true })).toMatchObject({ status: 'ok', detail: '4000 is free (127.0.0.1 and all interfaces)' });
  });

  it('a busy port fails, naming who holds it and a free one', () => {
    const f = checkPort({ port: 4000, platform: 'linux', free: false, code: 'EADDRINUSE', holder: { command: 'beam.smp', pid: 4242 }, alternative: 4001 });
    expect(f).toEqual({
      name: 'port',
      status: 'fail',
      detail: '4000 is in use by beam.smp (pid 4242)',
      fix: 'stop beam.smp (pid 4242) if you do not need it\nor use another port: 4001 is free now\n(the lab in Docker: FAULTLINE_PORT=4001 docker compose up -d)',
    });
  });

  it('an unnamed holder: who often holds that port, and how to look', () => {
    const f = checkPort({ port: 5000, platform: 'darwin', free: false, code: 'EADDRINUSE', alternative: 5001 });
    expect(f.detail).toBe('5000 is in use');
    expect(f.fix).toContain('AirPlay Receiver');
    expect(f.fix).toContain('lsof -nP -iTCP:5000 -sTCP:LISTEN');
    expect(checkPort({ port: 80, platform: 'linux', free: false, code: 'EACCES' })).toMatchObject({ status: 'fail', fix: 'use a port above 1023, e.g. 4000' });
  });

  it('reads lsof and ss', () => {
    expect(parseLsof('p812\ncControlCe\nf9\n')).toEqual({ command: 'ControlCe', pid: 812 });
    expect(parseSs('LISTEN 0 511 0.0.0.0:4000 0.0.0.0:* users:(("node",pid=1234,fd=20))')).toEqual({ command: 'node', pid: 1234 });
    expect(parseLsof('')).toBeUndefined();
  });
});

describe('chromium: a warning at most', () => {
  const base: ChromiumFacts = { platform: 'linux', path: DEFAULT_CHROMIUM, fromEnv: false, exists: true, executable: true, found: [] };

  it('ok where the tests look', () => {
    expect(checkChromium(base)).toEqual({ name: 'chromium', status: 'ok', detail: '/usr/bin/chromium' });
  });

  it('absent on Linux: warn, with apt-get', () => {
    const f = checkChromium({ ...base, exists: false, executable: false });
    expect(f).toMatchObject({ status: 'warn', detail: 'no Chromium at /usr/bin/chromium' });
    expect(f.fix).toContain('sudo apt-get install chromium');
  });

  it('absent on macOS: FAULTLINE_CHROMIUM to Google Chrome, quoted for the shell', () => {
    const f = checkChromium({ ...base, platform: 'darwin', exists: false, executable: false, found: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'] });
    expect(f.status).toBe('warn');
    // Two lines, so that neither passes 80 columns; a command is never broken.
    expect(f.fix).toContain('use the one found here:\n  d="/Applications/Google Chrome.app/Contents/MacOS"\n  export FAULTLINE_CHROMIUM="$d/Google Chrome"\n');
    expect(f.fix).toContain('(to keep it, add those lines to ~/.zshrc or ~/.bashrc)');
  });

  it('a FAULTLINE_CHROMIUM that is not there, or not executable', () => {
    expect(checkChromium({ ...base, path: '/opt/chrome', fromEnv: true, exists: false, executable: false })).toMatchObject({ status: 'warn', detail: 'FAULTLINE_CHROMIUM=/opt/chrome: no such file' });
    expect(checkChromium({ ...base, executable: false })).toMatchObject({ status: 'warn', detail: '/usr/bin/chromium is not executable' });
  });

  it("the default is the browser tests' own", () => {
    const support = readFileSync(new URL('../../../tests/support/chromium.ts', import.meta.url), 'utf8');
    expect(support).toContain(`process.env.FAULTLINE_CHROMIUM ?? '${DEFAULT_CHROMIUM}'`);
  });
});

describe('docker: warn, or fail with --classroom', () => {
  const ran = (stdout: string, code = 0, stderr = ''): CommandResult => ({ found: true, code, stdout, stderr, timedOut: false, timeoutMs: 10_000 });
  const missing: CommandResult = { found: false, code: null, stdout: '', stderr: '', timedOut: false, timeoutMs: 10_000 };
  const healthy: DockerFacts = {
    platform: 'linux',
    client: ran('Docker version 28.2.2, build e6534b4\n'),
    info: ran('28.2.2\n'),
    composeV2: ran('2.29.1\n'),
    composeV1: missing,
  };

  it('ok: client, engine and compose', () => {
    expect(checkDocker(healthy, true)).toEqual({ name: 'docker', status: 'ok', detail: '28.2.2; engine 28.2.2; compose v2.29.1' });
    expect(checkDocker({ ...healthy, composeV2: ran('', 1, "docker: 'compose' is not a docker command."), composeV1: ran('1.29.2\n') }, true)).toMatchObject({
      status: 'ok',
      detail: '28.2.2; engine 28.2.2; docker-compose 1.29.2 (v1)',
    });
  });

  it('no client: warn, or fail for a classroom', () => {
    const facts = { ...healthy, client: missing, info: missing, composeV2: missing };
    expect(checkDocker(facts, false)).toMatchObject({ status: 'warn', detail: 'no docker on PATH' });
    const f = checkDocker({ ...facts, platform: 'darwin' }, true);
    expect(f).toMatchObject({ status: 'fail' });
    expect(f.fix).toBe('install Docker Desktop (docker.com/products/docker-desktop)');
  });

  it('the engine not running, not allowed, or hung', () => {
    const down = checkDocker({ ...healthy, info: ran('', 1, 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?') }, true);
    expect(down).toMatchObject({ status: 'fail', detail: '28.2.2; engine not running; compose v2.29.1' });
    expect(down.fix).toContain('sudo systemctl start docker');
    const denied = checkDocker({ ...healthy, info: ran('', 1, 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock') }, false);
    expect(denied).toMatchObject({ status: 'warn', detail: '28.2.2; engine: permission denied; compose v2.29.1' });
    expect(denied.fix).toContain('sudo usermod -aG docker $USER');
    const hung = checkDocker({ ...healthy, platform: 'darwin', info: { ...ran('', 0), code: null, timedOut: true } }, true);
    expect(hung).toMatchObject({ status: 'fail', detail: '28.2.2; engine: no answer in 10 s; compose v2.29.1' });
    expect(hung.fix).toContain('restart Docker Desktop');
  });

  it('no compose', () => {
    const f = checkDocker({ ...healthy, composeV2: ran('', 1), composeV1: missing }, true);
    expect(f).toMatchObject({ status: 'fail', detail: '28.2.2; engine 28.2.2; no compose' });
    expect(f.fix).toContain('docker-compose-v2');
  });
});

describe('platform', () => {
  it('Linux and macOS: ok; Windows: warn, pause is refused there', () => {
    expect(checkPlatform({ platform: 'darwin', arch: 'arm64' })).toMatchObject({ status: 'ok', detail: 'darwin arm64: every fault works (pause is SIGSTOP)' });
    const w = checkPlatform({ platform: 'win32', arch: 'x64' });
    expect(w).toMatchObject({ status: 'warn', detail: 'win32 x64: no SIGSTOP, so the lab refuses pause' });
    expect(w.fix).toContain('"unsupported"');
    expect(w.fix).toContain('WSL 2');
    expect(checkPlatform({ platform: 'freebsd', arch: 'x64' }).status).toBe('warn');
  });
});

describe('flags', () => {
  it('--nodes 1…50 (default 10), --port 1…65535, --classroom', () => {
    expect(parseDoctorFlags({ nodes: '10' })).toEqual({ nodes: 10, classroom: false });
    expect(parseDoctorFlags({})).toEqual({ nodes: 10, classroom: false });
    // A classroom: the compose file's lab (5 nodes) and the port it publishes, unless told otherwise.
    expect(parseDoctorFlags({ classroom: true })).toEqual({ nodes: 5, port: 4000, classroom: true });
    expect(parseDoctorFlags({ classroom: true }, { FAULTLINE_PORT: '4100' })).toEqual({ nodes: 5, port: 4100, classroom: true });
    expect(parseDoctorFlags({ nodes: '50', port: '4000', classroom: true })).toEqual({ nodes: 50, port: 4000, classroom: true });
  });

  it('anything else is bad usage naming the flag and what it got', () => {
    const bad = (raw: Parameters<typeof parseDoctorFlags>[0]): FaultlineError => {
      try {
        parseDoctorFlags(raw);
      } catch (err) {
        return err as FaultlineError;
      }
      throw new Error('accepted');
    };
    for (const nodes of ['abc', '0', '51', '2.5', '-1', '']) {
      expect(bad({ nodes })).toMatchObject({ code: 'bad-usage', message: `expected a number of nodes from 1 to 50 for --nodes, got "${nodes}"` });
    }
    expect(bad({ nodes: '3', port: '65536' })).toMatchObject({ code: 'bad-usage', message: 'expected a port from 1 to 65535 for --port, got "65536"' });
  });
});

describe('the report', () => {
  const facts: DoctorFacts = {
    node: { version: 'v20.19.1', engines: '>=20.19', tools: [] },
    openFiles: { platform: 'linux', soft: 1024, hard: 1024 },
    loopback: { ok: true, platform: 'linux' },
    chromium: { platform: 'linux', path: DEFAULT_CHROMIUM, fromEnv: false, exists: false, executable: false, found: [] },
    docker: { platform: 'linux', client: { found: false, code: null, stdout: '', stderr: '', timedOut: false, timeoutMs: 5000 }, info: { found: false, code: null, stdout: '', stderr: '', timedOut: false, timeoutMs: 10_000 }, composeV2: { found: false, code: null, stdout: '', stderr: '', timedOut: false, timeoutMs: 10_000 }, composeV1: { found: false, code: null, stdout: '', stderr: '', timedOut: false, timeoutMs: 10_000 } },
    platform: { platform: 'linux', arch: 'x64' },
  };

  it('warnings leave it ok; the port check only with --port; --classroom turns docker into a failure', () => {
    const r = diagnose(facts, { nodes: 10, classroom: false });
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([['node', 'ok'], ['open-files', 'ok'], ['loopback', 'ok'], ['chromium', 'warn'], ['docker', 'warn'], ['platform', 'ok']]);
    expect(diagnose(facts, { nodes: 10, classroom: true }).ok).toBe(false);
    const withPort = diagnose({ ...facts, port: { port: 4000, platform: 'linux', free: false, code: 'EADDRINUSE' } }, { nodes: 10, port: 4000, classroom: false });
    expect(withPort.checks.map((c) => c.name)).toContain('port');
    expect(withPort.ok).toBe(false);
  });

  it('the lab size matters: 1024 open files hold 10 nodes with room, not 20', () => {
    expect(diagnose(facts, { nodes: 20, classroom: false }).checks[1]).toMatchObject({ status: 'fail', detail: '1024 per process, but 20 nodes need ~1172' });
  });
});
