/**
 * One link must not stall the others: a slicer cutting a large transfer into 1-byte pieces on one
 * proxy, while another proxy's round trips and the HTTP API are measured. Event-ordered, so it
 * holds beside a CPU hog: every control round trip and API answer must come back while the sliced
 * transfer is still under way (the sink has not yet received every byte). Before the fix the
 * proxy wrote each 64 KiB read as 65,536 one-byte writes in one turn of its event loop, so each
 * round trip waited for a whole read to be written and the transfer ended first.
 */
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnProxy, type ProxyProcess } from '@faultline/coordinator';
import { tcpClient, tcpServer, within, type TestServer } from './support/tcp.js';

const TRANSFER_BYTES = 256 * 1024;
const ROUND_TRIPS = 20;

let server: ProxyProcess;
let echo: TestServer;
let sink: TestServer;
let received = 0;
let toxiproxy: Toxiproxy;

beforeAll(async () => {
  server = await spawnProxy(['--seed', '11']);
  echo = await tcpServer();
  sink = await tcpServer((socket) => socket.on('data', (b: Buffer) => (received += b.length)));
  toxiproxy = new Toxiproxy(server.url);
});

afterAll(async () => {
  await echo?.close();
  await sink?.close();
  await server?.stop();
});

const port = (listen: string): number => Number(listen.slice(listen.lastIndexOf(':') + 1));

describe('a slicer on one link does not stall the others', () => {
  for (const averageSize of [0, 1]) {
    it(`average_size ${averageSize}: 256 KiB sliced while another link and the API stay responsive`, async () => {
      received = 0;
      const sliced = await toxiproxy.createProxy({ name: `sliced${averageSize}`, listen: '127.0.0.1:0', upstream: sink.address });
      await sliced.addToxic({ name: 'sl', type: 'slicer', stream: 'upstream', toxicity: 1, attributes: { average_size: averageSize, size_variation: 0, delay: 0 } });
      const control = await toxiproxy.createProxy({ name: `control${averageSize}`, listen: '127.0.0.1:0', upstream: echo.address });
      const c = await tcpClient(port(control.listen));
      c.socket.write('warm');
      await c.waitFor(4);

      const s = await tcpClient(port(sliced.listen));
      s.socket.write(Buffer.alloc(TRANSFER_BYTES, 7));
      // The transfer has started once the sink sees its first byte.
      await within(
        new Promise<void>((resolve) => {
          const check = (): void => void (received > 0 ? resolve() : setImmediate(check));
          check();
        }),
        30_000,
      );

      const inProgress: boolean[] = [];
      const rtts: number[] = [];
      for (let i = 1; i <= ROUND_TRIPS; i++) {
        const t0 = performance.now();
        c.socket.write('ping');
        await within(c.waitFor(4 + 4 * i, 60_000), 60_000);
        inProgress.push(received < TRANSFER_BYTES);
        rtts.push(performance.now() - t0);
        const res = await within(fetch(`${server.url}/version`), 60_000);
        expect(res.status).toBe(200);
        await res.text();
        inProgress.push(received < TRANSFER_BYTES);
      }
      const answeredDuring = inProgress.filter(Boolean).length;
      if (process.env.FAULTLINE_DEBUG) console.log({ averageSize, maxRttMs: Math.max(...rtts), rtts: rtts.map(Math.round), received });
      expect(answeredDuring, `answers that came while the sliced transfer was still under way (sink at ${received} of ${TRANSFER_BYTES} bytes)`).toBe(2 * ROUND_TRIPS);

      // And the sliced bytes all arrive, in order, with the server alive.
      await within(
        new Promise<void>((resolve) => {
          const check = (): void => void (received >= TRANSFER_BYTES ? resolve() : setTimeout(check, 20));
          check();
        }),
        120_000,
      );
      expect(received).toBe(TRANSFER_BYTES);
      expect(server.alive()).toBe(true);
      c.close();
      s.close();
      await sliced.remove();
      await control.remove();
    }, 180_000);
  }
});
