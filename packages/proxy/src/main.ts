/**
 * `faultline-proxy`: the Toxiproxy-compatible server in the foreground.
 *   faultline-proxy [--host 127.0.0.1] [--port 8474] [--token T] [--config FILE] [--seed N] [--log-level info] [--json]
 *
 * Bound beyond loopback (`--host 0.0.0.0`), the API requires a token: `--token`, else
 * $FAULTLINE_PROXY_TOKEN, else one generated and printed at start.
 */
import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { exitWithParent } from '@faultline/protocol/parent-link';
import { pino } from 'pino';
import { isLoopbackHost } from './api/guard.js';
import { DEFAULT_BUSY_POLL_US, ProxyServer } from './server.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parsePort(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError(`expected a port number 0-65535, got "${value}"`);
  return Number(value);
}

function parseSeed(value: string): bigint {
  if (!/^-?[0-9]+$/.test(value)) throw new InvalidArgumentError(`expected an integer seed, got "${value}"`);
  const seed = BigInt(value);
  if (seed < -(2n ** 63n) || seed >= 2n ** 63n) throw new InvalidArgumentError(`expected a 64-bit integer seed, got "${value}"`);
  return seed;
}

function parseMicros(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) > 1_000_000) throw new InvalidArgumentError(`expected microseconds 0-1000000, got "${value}"`);
  return Number(value);
}

function parseToken(value: string): string {
  if (!/^[\x21-\x7e]{8,200}$/.test(value)) throw new InvalidArgumentError(`expected a token of 8-200 printable characters without spaces, got ${value.length} characters`);
  return value;
}

function parseLevel(value: string): string {
  if (!LEVELS.includes(value)) throw new InvalidArgumentError(`expected one of ${LEVELS.join(', ')}, got "${value}"`);
  return value;
}

const program = new Command()
  .name('faultline-proxy')
  .description("faultline's Toxiproxy-compatible proxy server, with message-aware WebSocket toxics")
  .option('--host <host>', 'address of the HTTP API', '127.0.0.1')
  .option('--port <port>', 'port of the HTTP API', parsePort, 8474)
  .option('--token <token>', 'require "Authorization: Bearer <token>" on the API (default: $FAULTLINE_PROXY_TOKEN; generated when --host is not loopback)', parseToken)
  .option('--config <file>', 'populate proxies from this JSON file at start (like toxiproxy-server -config)')
  .option('--seed <n>', 'seed for all randomness (toxicity, jitter, slicer, message toxics); printed at start', parseSeed)
  .option('--log-level <level>', `log level on stderr: ${LEVELS.join(', ')}`, parseLevel, 'info')
  .option('--busy-poll-us <us>', 'keep polling this long after socket activity instead of sleeping (0: off)', parseMicros, DEFAULT_BUSY_POLL_US)
  .option('--json', 'print the start-up line as JSON on stdout')
  .showHelpAfterError('(run faultline-proxy --help for usage)')
  .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') })
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program.parse();
const opts = program.opts<{ host: string; port: number; token?: string; config?: string; seed?: bigint; logLevel: string; busyPollUs: number; json?: boolean }>();

let token = opts.token;
const envToken = process.env.FAULTLINE_PROXY_TOKEN;
if (token === undefined && envToken !== undefined && envToken !== '') {
  try {
    token = parseToken(envToken);
  } catch (err) {
    process.stderr.write(`faultline-proxy: FAULTLINE_PROXY_TOKEN: ${(err as Error).message}\n`);
    process.exit(2);
  }
}
const generatedToken = token === undefined && !isLoopbackHost(opts.host) ? randomBytes(24).toString('base64url') : undefined;
token ??= generatedToken;

const logger = pino({ level: opts.logLevel }, pino.destination(2));
process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception (the server keeps running)'));
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection (the server keeps running)'));

let server: ProxyServer;
try {
  server = await ProxyServer.start({ host: opts.host, port: opts.port, seed: opts.seed, token, configFile: opts.config, busyPollUs: opts.busyPollUs, logger });
} catch (err) {
  process.stderr.write(`faultline-proxy: cannot listen on ${opts.host}:${opts.port}: ${(err as Error).message}\n`);
  process.exit(1);
}

if (server.configResult && !server.configResult.ok) {
  process.stderr.write(`faultline-proxy: ${server.configResult.message} (GET /proxies shows what was created)\n`);
}

if (opts.json) {
  const start: Record<string, unknown> = { url: server.url, seed: server.seed.toString(), proxies: server.proxies.size };
  if (generatedToken !== undefined) start.token = generatedToken;
  process.stdout.write(`${JSON.stringify(start)}\n`);
} else {
  const auth = token === undefined ? '' : ` -H "Authorization: Bearer ${generatedToken ?? '<token>'}"`;
  process.stdout.write(
    [
      `faultline-proxy listening on ${server.url}  (Toxiproxy 2.12 API; seed ${server.seed}, replay with --seed ${server.seed})`,
      ...(generatedToken !== undefined ? [`token (bound beyond loopback, so the API requires it): ${generatedToken}`] : []),
      '',
      'next: create a proxy, then add a toxic to it:',
      `  curl -s${auth} -X POST ${server.url}/proxies -d '{"name":"demo","listen":"127.0.0.1:26379","upstream":"127.0.0.1:6379"}'`,
      `  curl -s${auth} -X POST ${server.url}/proxies/demo/toxics -d '{"type":"latency","attributes":{"latency":500}}'`,
      `  curl -s${auth} ${server.url}/capabilities    # what faultline adds: ws_drop, ws_duplicate, ws_reorder, ws_hold, GET /events`,
      '',
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
}

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// Started by a lab: stop when the lab's process is gone, however it died (SIGKILL included).
exitWithParent(() => stop('the parent process is gone'));
