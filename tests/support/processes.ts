/** Is it still there? A PID that can be signalled, a port on 127.0.0.1 that accepts a connection. */
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** What is left of `resources`: the PIDs still alive and the ports still accepting. */
export async function leftOver(resources: { pids: number[]; ports: number[] }): Promise<{ pids: number[]; ports: number[] }> {
  const ports = await Promise.all(resources.ports.map(async (p) => ((await accepts(p)) ? p : undefined)));
  return { pids: resources.pids.filter(alive), ports: ports.filter((p): p is number => p !== undefined) };
}

/** The PIDs of `pid`'s children (e.g. the program a node hosts). */
export function childrenOf(pid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).trim();
  return out === '' ? [] : out.split('\n').map((l) => Number(l.trim()));
}

/** Its state as ps shows it (`S` sleeping, `T` stopped …), or undefined once it is gone. */
export function stateOf(pid: number): string | undefined {
  try {
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().charAt(0) || undefined;
  } catch {
    return undefined;
  }
}
