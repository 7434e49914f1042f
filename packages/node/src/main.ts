/**
 * `faultline-node`: one node of a faultline lab, one OS process. Normally started by the
 * coordinator, which it dials back on the control channel:
 *   faultline-node --id n1 --control ws://127.0.0.1:PORT/ [--heartbeat-ms 500] [--seed N] [--log-level warn]
 * Logs are JSON lines (pino) on stderr; stdout stays empty. Exit codes: 0 stopped normally (the
 * coordinator closed the control channel, SIGTERM, SIGINT), 1 the control channel failed, 2 bad usage.
 */
import { Command } from 'commander';
import { pino } from 'pino';
import { drawSeed, LOG_LEVELS, parseControlUrl, parseHeartbeatMs, parseLogLevel, parseNodeId, parseSeed, type LogLevel } from './cli-options.js';
import { startNode, type RunningNode } from './shell/node-process.js';

const program = new Command()
  .name('faultline-node')
  .description('one node of a faultline lab: peer WebSocket transport, clocks, RPC, heartbeats, behaviours, trace reporting')
  .requiredOption('--id <id>', 'this node\'s id (n1, n2, …)', parseNodeId)
  .requiredOption('--control <url>', 'ws:// URL of the coordinator\'s control channel (not through a proxy)', parseControlUrl)
  .option('--heartbeat-ms <ms>', 'interval of heartbeats to every connected peer (0: none)', parseHeartbeatMs, 500)
  .option('--seed <n>', 'seed of the node\'s randomness (reconnect jitter); drawn and logged if absent', parseSeed)
  .option('--log-level <level>', `log level on stderr: ${LOG_LEVELS.join(', ')}`, parseLogLevel, 'warn' as LogLevel)
  .configureOutput({ outputError: (str, write) => write(`${str.split('\n')[0]} (faultline-node --help shows the flags)\n`) })
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program.parse();
const opts = program.opts<{ id: string; control: string; heartbeatMs: number; seed?: bigint; logLevel: LogLevel }>();

const seed = opts.seed ?? drawSeed();
const logger = pino({ level: opts.logLevel, base: { node: opts.id, pid: process.pid } }, pino.destination({ dest: 2, sync: true }));

let node: RunningNode | undefined;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    logger.info({ signal }, 'stopping');
    // Before the node is up there is nothing to close but what the process's end closes anyway.
    if (node) void node.stop(0);
    else process.exit(0);
  });
}

logger.info({ seed: seed.toString() }, `starting (replay with --seed ${seed})`);
process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception (the node keeps running)'));
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection (the node keeps running)'));

// No top-level await: the lab runs this file bundled as CommonJS (see node-command.ts in the coordinator).
async function run(): Promise<never> {
  try {
    node = await startNode({ id: opts.id, controlUrl: opts.control, heartbeatMs: opts.heartbeatMs, seed }, logger);
  } catch (err) {
    process.stderr.write(`faultline-node: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.exit(await node.done);
}
void run();
