/**
 * Check 5, Docker (for a classroom): a `docker` client on PATH, an engine that answers
 * (`docker info`), and compose (`docker compose`, the v2 plugin, or v1's `docker-compose`). The
 * shell runs the commands, each bounded in time; this reads their answers. A warning unless
 * `--classroom` asks for Docker, then a failure.
 */
import { finding, type Finding } from './finding.js';

/** What one external command did. */
export interface CommandResult {
  /** False when there is no such program (ENOENT). */
  found: boolean;
  /** Its exit code; null when it was killed (or never ran). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** It overstayed `timeoutMs` and was killed. */
  timedOut: boolean;
  timeoutMs: number;
}

export interface DockerFacts {
  platform: NodeJS.Platform;
  /** `docker --version` */
  client: CommandResult;
  /** `docker info --format {{.ServerVersion}}` */
  info: CommandResult;
  /** `docker compose version --short` */
  composeV2: CommandResult;
  /** `docker-compose version --short` */
  composeV1: CommandResult;
}

const firstLine = (text: string): string => text.trim().split('\n')[0]?.trim() ?? '';
const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;
const answered = (r: CommandResult): boolean => r.found && !r.timedOut && r.code === 0;

/** `Docker version 28.2.2, build e6534b4` → 28.2.2 */
function clientVersion(text: string): string | undefined {
  return /version\s+v?([0-9][^\s,]*)/i.exec(text)?.[1];
}

function installFix(platform: NodeJS.Platform): string[] {
  if (platform === 'linux') return ['install Docker: sudo apt-get install docker.io (Debian/Ubuntu)', 'or Docker Engine: https://docs.docker.com/engine/install/'];
  return ['install Docker Desktop (docker.com/products/docker-desktop)'];
}

interface Problem {
  detail: string;
  fix: string[];
}

function engineProblem(facts: DockerFacts): Problem | undefined {
  const info = facts.info;
  if (answered(info)) return undefined;
  const linux = facts.platform === 'linux';
  if (info.timedOut) {
    return {
      detail: `engine: no answer in ${seconds(info.timeoutMs)}`,
      fix: [linux ? 'restart it: sudo systemctl restart docker' : 'restart Docker Desktop (or wait: it may still be starting)'],
    };
  }
  const said = `${info.stderr}\n${info.stdout}`;
  if (/permission denied/i.test(said)) {
    return {
      detail: 'engine: permission denied',
      fix: ['add yourself to the docker group, then log out and in again:', '  sudo usermod -aG docker $USER', '(or, in this terminal only: newgrp docker)'],
    };
  }
  if (/cannot connect|is the docker daemon running|error during connect|no such file or directory|connection refused/i.test(said)) {
    return {
      detail: 'engine not running',
      fix: [linux ? 'start it: sudo systemctl start docker (enable it to start at boot)' : 'start Docker Desktop and wait until it says it is running'],
    };
  }
  return { detail: `engine: ${firstLine(said) || `docker info exit code ${String(info.code)}`}`, fix: [linux ? 'see: sudo systemctl status docker' : 'see Docker Desktop: Troubleshoot'] };
}

function compose(facts: DockerFacts): { detail: string; problem?: Problem } {
  if (answered(facts.composeV2)) return { detail: `compose ${firstLine(facts.composeV2.stdout).replace(/^v?/, 'v')}` };
  if (answered(facts.composeV1)) return { detail: `docker-compose ${firstLine(facts.composeV1.stdout).replace(/^v/, '')} (v1)` };
  return {
    detail: 'no compose',
    problem: {
      detail: 'no compose',
      fix: facts.platform === 'linux'
        ? ['install compose: sudo apt-get install docker-compose-v2 (Ubuntu)', "or docker-compose-plugin from Docker's own repository"]
        : ['Docker Desktop includes compose: update or reinstall it'],
    },
  };
}

export function checkDocker(facts: DockerFacts, classroom: boolean): Finding {
  const bad = classroom ? 'fail' : 'warn';
  const why = classroom ? [] : ['(a warning: only a classroom lab in Docker needs it)'];
  const client = facts.client;
  if (!client.found) return finding('docker', bad, 'no docker on PATH', [...installFix(facts.platform), ...why]);
  if (!answered(client)) {
    const said = client.timedOut ? `did not answer in ${seconds(client.timeoutMs)}` : firstLine(client.stderr) || `exit code ${String(client.code)}`;
    return finding('docker', bad, `docker --version: ${said}`, [...installFix(facts.platform), ...why]);
  }
  const version = clientVersion(client.stdout) ?? firstLine(client.stdout);
  const engine = engineProblem(facts);
  const c = compose(facts);
  const problems = [engine, c.problem].filter((p): p is Problem => p !== undefined);
  const engineDetail = engine ? engine.detail : `engine ${firstLine(facts.info.stdout)}`;
  const detail = `${version}; ${engineDetail}; ${c.detail}`;
  if (problems.length === 0) return finding('docker', 'ok', detail);
  return finding('docker', bad, detail, [...problems.flatMap((p) => p.fix), ...why]);
}
