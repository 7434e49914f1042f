/**
 * `faultline-node`: one node of a faultline lab, one OS process. Normally started by the
 * coordinator, which it dials back on the control channel:
 *   faultline-node --id n1 --control ws://127.0.0.1:PORT/ [--heartbeat-ms 500] [--incarnation 1] [--seed N]
 *     [--log-level warn] [--lab-nodes n1,n2,n3]
 * The lab's secret comes in $FAULTLINE_LAB_SECRET (never on the command line); without it the node
 * does not start (exit 2).
 * Logs are JSON lines (pino's format, `shell/logger.ts`) on stderr; stdout stays empty. Exit codes:
 * 0 stopped normally (the coordinator closed the control channel, SIGTERM, SIGINT, the lab's process
 * is gone: `@faultline/protocol/parent-link`), 1 the control channel failed, 2 bad usage.
 */
import { exitWithParent } from '@faultline/protocol/parent-link';
import { drawSeed, HELP, parseNodeArgs, USAGE_HINT, type NodeArgs } from './cli-options.js';
import { FaultlineError } from '@faultline/protocol';
import { LAB_SECRET_ENV } from '@faultline/protocol/lab-secret';
import { createLogger } from './shell/logger.js';
import { startNode, type RunningNode } from './shell/node-process.js';

let args: NodeArgs;
try {
  args = parseNodeArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof FaultlineError && err.code === 'bad-usage')) throw err;
  process.stderr.write(`${err.message} ${USAGE_HINT}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const opts = args.flags;
const secret = process.env[LAB_SECRET_ENV] ?? '';
if (secret === '') {
  process.stderr.write(`faultline-node: expected the lab's secret in $${LAB_SECRET_ENV}, got none (a lab sets it) ${USAGE_HINT}\n`);
  process.exit(2);
}
// Nothing this process starts inherits it.
delete process.env[LAB_SECRET_ENV];

const seed = opts.seed ?? drawSeed();
const logger = createLogger({ level: opts.logLevel, base: { node: opts.id, pid: process.pid } });

let node: RunningNode | undefined;
const stop = (why: string): void => {
  logger.info({ why }, 'stopping');
  // Before the node is up there is nothing to close but what the process's end closes anyway.
  if (node) void node.stop(0);
  else process.exit(0);
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop(signal));
// Started by a lab: stop when the lab's process is gone, however it died.
exitWithParent(() => stop('the parent process is gone'));

logger.info({ seed: seed.toString() }, `starting (replay with --seed ${seed})`);
process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception (the node keeps running)'));
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection (the node keeps running)'));

// No top-level await: the lab runs this file bundled as CommonJS (see launch/node-command.ts in the coordinator).
async function run(): Promise<never> {
  try {
    node = await startNode({ id: opts.id, controlUrl: opts.control, heartbeatMs: opts.heartbeatMs, incarnation: opts.incarnation, seed, secret, labNodes: opts.labNodes, listen: opts.listen, ...(opts.program ? { program: opts.program } : {}) }, logger);
  } catch (err) {
    process.stderr.write(`faultline-node: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.exit(await node.done);
}
void run();
