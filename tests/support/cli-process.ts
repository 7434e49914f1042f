/**
 * The `faultline` command as a test runs it, in a folder of its own: to its end (`faultline`), or
 * started and read as it comes (`started`: `until(re)` resolves when its stdout matches).
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { inject } from 'vitest';

const HOME = inject('faultlineHome');
/**
 * `faultline` as the tests run it: `node $FAULTLINE_HOME/faultline.mjs`, the bundle the global
 * setup built from the sources (support/global-setup.ts), with the lab's prebuilt processes beside
 * it. Spread into execa's arguments after `process.execPath`.
 */
export const CLI: readonly string[] = [join(HOME, 'faultline.mjs')];
/** Its environment: where its files are, no colours, 80 columns (what a plain terminal shows). */
export const CLI_ENV = { FAULTLINE_HOME: HOME, NO_COLOR: '1', COLUMNS: '80' } as const;
const ENV = CLI_ENV;

export function cliIn(dir: string, options: { timeoutMs?: number } = {}) {
  const faultline = (...args: string[]) => execa(process.execPath, [...CLI, ...args], { cwd: dir, reject: false, timeout: options.timeoutMs ?? 90_000, env: ENV });

  /** A CLI process whose output is read as it comes: `until(re)` resolves when its stdout matches. */
  const started = (args: string[], how: { tty?: boolean; detached?: boolean } = {}) => {
    const argv = [process.execPath, ...CLI, ...args];
    // On a terminal: script(1) gives the CLI a pseudo-terminal and passes our stdin to it as typing.
    const [file, ...rest] = how.tty ? ['script', '-qfec', argv.map((a) => `'${a}'`).join(' '), '/dev/null'] : argv;
    const child = execa(file, rest, { cwd: dir, reject: false, buffer: false, detached: how.detached === true, env: ENV });
    let out = '';
    let err = '';
    const waiting: (() => void)[] = [];
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      for (const w of waiting.splice(0)) w();
    });
    child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    const until = (re: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} in ${timeoutMs} ms: ${out}${err}`)), timeoutMs);
        const check = (): void => {
          const m = re.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else waiting.push(check);
        };
        void child.then(() => {
          clearTimeout(timer);
          const m = re.exec(out);
          if (m) resolve(m);
          else reject(new Error(`exited without ${re}: ${out}${err}`));
        });
        check();
      });
    return { child, until, out: () => out, err: () => err };
  };

  return { faultline, started };
}
