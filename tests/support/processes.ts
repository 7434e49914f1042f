/** Is it still there? A PID that can be signalled, a port on 127.0.0.1 that accepts a connection. */
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
