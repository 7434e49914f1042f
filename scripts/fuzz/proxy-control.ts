/**
 * The control link of a fuzz run: steady echo traffic through a proxy of its own while the fuzzer
 * works on the others. Every round trip must come back whole and in time; one that does not (or
 * the connection closing) marks the run as having affected another link.
 */
import net from 'node:net';
import { WebSocket } from 'ws';

export interface ControlReport {
  roundTrips: number;
  medianRttMs: number;
  maxRttMs: number;
  /** Why the link was affected, or undefined. */
  affected?: string;
}

interface Pinger {
  send(payload: string): void;
  onReply(fn: (payload: string) => void): void;
  onClose(fn: () => void): void;
  close(): void;
}

/** Sends a numbered ping every `intervalMs`, one at a time; a reply later than `boundMs` is a failure. */
function runPinger(p: Pinger, intervalMs: number, boundMs: number): { stop(): ControlReport } {
  const rtts: number[] = [];
  let affected: string | undefined;
  let n = 0;
  let sentAt = 0;
  let waiting: string | undefined;
  let buffer = '';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const next = (): void => {
    if (stopped) return;
    waiting = `ping-${++n};`;
    sentAt = performance.now();
    p.send(waiting);
    timer = setTimeout(() => {
      affected ??= `control round trip ${n} not answered within ${boundMs} ms`;
    }, boundMs);
  };
  p.onReply((payload) => {
    buffer += payload;
    if (waiting === undefined || buffer.length < waiting.length) return;
    if (!buffer.startsWith(waiting)) affected ??= `control link answered ${JSON.stringify(buffer.slice(0, 40))} to ${waiting}`;
    buffer = buffer.slice(waiting.length);
    waiting = undefined;
    clearTimeout(timer);
    rtts.push(performance.now() - sentAt);
    setTimeout(next, intervalMs);
  });
  p.onClose(() => {
    if (!stopped) affected ??= 'control link closed';
  });
  next();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      p.close();
      if (waiting !== undefined && performance.now() - sentAt > boundMs) affected ??= `control round trip ${n} not answered within ${boundMs} ms`;
      const sorted = [...rtts].sort((a, b) => a - b);
      return {
        roundTrips: rtts.length,
        medianRttMs: round(sorted[Math.floor(sorted.length / 2)] ?? 0),
        maxRttMs: round(sorted.at(-1) ?? 0),
        ...(affected !== undefined ? { affected } : {}),
      };
    },
  };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** TCP echo round trips through the proxy listening on `port`. */
export async function tcpControl(port: number, intervalMs: number, boundMs: number): Promise<{ stop(): ControlReport }> {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return runPinger(
    {
      send: (s) => socket.write(s),
      onReply: (fn) => socket.on('data', (b: Buffer) => fn(b.toString('latin1'))),
      onClose: (fn) => socket.once('close', fn),
      close: () => socket.destroy(),
    },
    intervalMs,
    boundMs,
  );
}

/** WebSocket echo round trips (one message each) through the proxy listening on `port`. */
export async function wsControl(port: number, intervalMs: number, boundMs: number): Promise<{ stop(): ControlReport }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return runPinger(
    {
      send: (s) => ws.send(s),
      onReply: (fn) => ws.on('message', (data: Buffer) => fn(data.toString())),
      onClose: (fn) => ws.once('close', fn),
      close: () => ws.terminate(),
    },
    intervalMs,
    boundMs,
  );
}
