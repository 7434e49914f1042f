/** Runs control-child.ts and speaks its line protocol: start, go, stop (see there). */
import { execa } from 'execa';
import type { ControlReport } from './proxy-control.js';

export interface ControlProcess {
  upstream: string;
  /** Starts pinging through the proxy listening on `port`; resolves once connected. */
  go(port: number): Promise<void>;
  stop(): Promise<ControlReport>;
}

export async function startControl(kind: 'tcp' | 'ws', intervalMs: number, boundMs: number): Promise<ControlProcess> {
  const child = execa(process.execPath, ['--import', 'tsx', new URL('./control-child.ts', import.meta.url).pathname, kind, String(intervalMs), String(boundMs)], {
    reject: false,
    stdin: 'pipe',
    buffer: false,
  });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      lines.push(out.slice(0, nl));
      out = out.slice(nl + 1);
    }
    for (const w of waiters.splice(0)) w();
  });
  let exited = false;
  void child.then(() => {
    exited = true;
    for (const w of waiters.splice(0)) w();
  });
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (lines.length > 0) resolve(lines.shift()!);
        else if (exited) reject(new Error('the control process exited'));
        else waiters.push(check);
      };
      check();
    });
  const { upstream } = JSON.parse(await nextLine()) as { upstream: string };
  return {
    upstream,
    async go(port) {
      child.stdin?.write(`go ${port}\n`);
      await nextLine();
    },
    async stop() {
      child.stdin?.write('stop\n');
      try {
        return JSON.parse(await nextLine()) as ControlReport;
      } finally {
        child.kill('SIGKILL');
        await child;
      }
    },
  };
}
