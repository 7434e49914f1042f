/**
 * The control link in a process of its own, so that what it measures is the proxy, not the
 * fuzzer's own busy event loop: it starts an echo upstream (TCP or WebSocket) and prints
 * `{"upstream": "127.0.0.1:PORT"}`; given `go PORT` on stdin it pings through the proxy listening
 * on PORT; given `stop` it prints its ControlReport as one JSON line and exits.
 *   node --import tsx control-child.ts tcp|ws INTERVAL_MS BOUND_MS
 */
import { createInterface } from 'node:readline';
import { tcpControl, wsControl, type ControlReport } from './proxy-control.js';
import { echoServer, wsEchoServer } from './proxy-upstreams.js';

const [kind, intervalText, boundText] = process.argv.slice(2);
const upstream = kind === 'ws' ? await wsEchoServer() : await echoServer();
process.stdout.write(`${JSON.stringify({ upstream: upstream.address })}\n`);
let control: { stop(): ControlReport } | undefined;
let startError: string | undefined;
for await (const line of createInterface({ input: process.stdin })) {
  const [command, arg] = line.trim().split(' ');
  if (command === 'go') {
    try {
      control = await (kind === 'ws' ? wsControl : tcpControl)(Number(arg), Number(intervalText), Number(boundText));
    } catch (err) {
      startError = `control link did not connect: ${(err as Error).message}`;
    }
    process.stdout.write('{"started":true}\n');
  } else if (command === 'stop') {
    const report = control?.stop() ?? { roundTrips: 0, medianRttMs: 0, maxRttMs: 0, affected: startError ?? 'control link never started' };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    await upstream.close();
    process.exit(0);
  }
}
// stdin closed: the fuzzer is gone.
process.exit(0);
