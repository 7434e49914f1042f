/**
 * `faultline-agent`: runs one node of a lab in this container (or pod), for the coordinator that
 * connects to it (`faultline up --agents n1:7070,…`):
 *   faultline-agent [--host 127.0.0.1] [--port 7070] [--node-file faultline-node.cjs]
 * In a container give `--host 0.0.0.0`: the coordinator is another host. The node's own output is
 * also written to this process's stderr (the container's log). Exit codes: 0 stopped (SIGTERM,
 * SIGINT), 1 could not listen, 2 bad usage.
 */
import { parseArgs } from 'node:util';
import { AGENT_DEFAULT_PORT, LISTEN_HOST } from '@faultline/protocol';
import { pino } from 'pino';
import { defaultNodeCommand, NODE_FLAGS } from '../launch/node-command.js';
import { startAgent, type RunningAgent } from './agent-server.js';

const USAGE = 'usage: faultline-agent [--host 127.0.0.1] [--port 7070] [--node-file FILE]';

function fail(message: string, code: number): never {
  process.stderr.write(`faultline-agent: ${message}\n`);
  process.exit(code);
}

let values: { host?: string; port?: string; 'node-file'?: string; help?: boolean };
try {
  ({ values } = parseArgs({ options: { host: { type: 'string' }, port: { type: 'string' }, 'node-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
} catch (err) {
  fail(`${(err as Error).message} (${USAGE})`, 2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\nruns one node of a faultline lab here, for the coordinator that connects to it\n`);
  process.exit(0);
}
const host = values.host ?? '127.0.0.1';
const portText = values.port ?? String(AGENT_DEFAULT_PORT);
if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) fail(`expected --port 0-65535, got "${portText}" (${USAGE})`, 2);
if (!LISTEN_HOST.test(host)) fail(`expected --host an address like 0.0.0.0, got "${host}" (${USAGE})`, 2);

const logger = pino({ name: 'faultline-agent', level: process.env.FAULTLINE_LOG_LEVEL ?? 'info' }, pino.destination(2));
const nodeFile = values['node-file'];

async function main(): Promise<void> {
  const command = nodeFile ? { file: process.execPath, args: [...NODE_FLAGS, nodeFile] } : await defaultNodeCommand();
  let agent: RunningAgent;
  try {
    agent = await startAgent({ host, port: Number(portText), command, logger, echo: (data) => process.stderr.write(data) });
  } catch (err) {
    fail(`cannot listen on ${host}:${portText}: ${(err as Error).message}`, 1);
  }
  // The one line a parent (or a test) waits for.
  process.stdout.write(`${JSON.stringify({ agent: `${host}:${agent.port}`, port: agent.port })}\n`);
  const stop = (): void => void agent.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
void main();
