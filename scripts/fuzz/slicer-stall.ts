/**
 * Measures what a slicer on one link costs the others (issue 10): a real faultline-proxy, one
 * proxy pushing BYTES through a slicer of `average_size` SIZE, and a control proxy whose echo
 * round trips are timed from a process of its own (so the figures are the proxy's). Prints one
 * JSON line: the transfer's duration, and the control link's round trips before and during it.
 *   npx tsx scripts/fuzz/slicer-stall.ts [BYTES=1048576] [SIZE=0] [CONNECTIONS=1]
 */
import net from 'node:net';
import { spawnProxy } from '@faultline/coordinator';
import { startControl } from './control-process.js';

const bytes = Number(process.argv[2] ?? 1024 * 1024);
const averageSize = Number(process.argv[3] ?? 0);
const connections = Number(process.argv[4] ?? 1);
// FAULTLINE_PROXY_URL: measure a proxy started by hand (e.g. under --cpu-prof) instead.
const given = process.env.FAULTLINE_PROXY_URL;
const proxy = given ? { url: given, stop: () => Promise.resolve() } : await spawnProxy(['--seed', '1']);
const post = async (path: string, body: unknown): Promise<{ listen: string }> => (await fetch(proxy.url + path, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<{ listen: string }>;
const port = (listen: string): number => Number(listen.split(':').pop());

let received = 0;
let done: () => void = () => undefined;
const finished = new Promise<void>((r) => (done = r));
const sink = net.createServer((s) => s.on('data', (b: Buffer) => (received += b.length) >= bytes * connections && done()));
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
const sliced = await post('/proxies', { name: 'sliced', listen: '127.0.0.1:0', upstream: `127.0.0.1:${(sink.address() as net.AddressInfo).port}` });
await post('/proxies/sliced/toxics', { type: 'slicer', stream: 'upstream', attributes: { average_size: averageSize, size_variation: 0, delay: 0 } });

const baseline = await startControl('tcp', 20, 60_000);
await baseline.go(port((await post('/proxies', { name: 'c1', listen: '127.0.0.1:0', upstream: baseline.upstream })).listen));
await new Promise((r) => setTimeout(r, 1_000));
const before = await baseline.stop();

const control = await startControl('tcp', 20, 60_000);
await control.go(port((await post('/proxies', { name: 'c2', listen: '127.0.0.1:0', upstream: control.upstream })).listen));
const clients = Array.from({ length: connections }, () => net.connect(port(sliced.listen), '127.0.0.1'));
const t0 = performance.now();
for (const client of clients) client.write(Buffer.alloc(bytes, 1));
await finished;
const transferMs = Math.round(performance.now() - t0);
const during = await control.stop();
process.stdout.write(`${JSON.stringify({ bytes, averageSize, connections, transferMs, before, during })}\n`);
for (const client of clients) client.destroy();
sink.close();
await proxy.stop();
