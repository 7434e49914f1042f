/**
 * Starts the real `faultline-proxy` as a child process on a free API port and stops it by its PID
 * (SIGTERM, then SIGKILL after 5 s); it stops by itself when this process dies. Used by the
 * coordinator, the tests and the benchmark.
 */
import { parentLinkSpawnOptions } from '@faultline/protocol/parent-link';
import { execa } from 'execa';
import { bundleEntry } from './bundle-entry.js';
import { installed } from './install-home.js';
import { resolveEntry } from './resolve-entry.js';

export interface ProxyProcess {
  url: string;
  seed: string;
  pid: number;
  /** Everything the process wrote to stderr so far (its pino logs). */
  stderr: () => string;
  alive: () => boolean;
  /** The exit code once the process has exited. */
  exitCode: () => number | undefined;
  stop: () => Promise<void>;
}

export async function spawnProxy(args: string[] = []): Promise<ProxyProcess> {
  const file = installed('faultline-proxy.mjs') ?? await bundleEntry(resolveEntry('@faultline/proxy/main', 'faultline-proxy', 'or pass the toxiproxyUrl of a running one'), 'faultline-proxy');
  // The lifeline (fd 3): the proxy stops by itself when this process dies, SIGKILL included.
  const child = execa(process.execPath, [file, '--port', '0', '--json', '--log-level', 'warn', ...args], {
    reject: false,
    buffer: false,
    ...parentLinkSpawnOptions(),
  });
  let err = '';
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  let exited = false;
  let code: number | undefined;
  void child.then((r) => {
    exited = true;
    code = r.exitCode;
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`faultline-proxy did not start in 20 s: ${err}`)), 20_000);
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    void child.then(() => {
      clearTimeout(timer);
      reject(new Error(`faultline-proxy exited before start: ${err}`));
    });
  });
  const info = JSON.parse(line) as { url: string; seed: string };
  return {
    url: info.url,
    seed: info.seed,
    pid: child.pid!,
    stderr: () => err,
    alive: () => !exited,
    exitCode: () => code,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await child;
      clearTimeout(timer);
    },
  };
}
