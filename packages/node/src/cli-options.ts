/**
 * The flags of `faultline-node`, read with Node's `util.parseArgs` and checked one by one. The
 * rules and the error lines are those of commander, which the node used before: a flag's value
 * is the next argument even if it starts with a dash (`--seed -5`), or follows `=`; the last of a
 * repeated flag wins; each error names what was expected and what came, prefixed by the flag, and
 * the command exits 2. The checks come in commander's order: each value as it is read, then
 * `-h`/`--help` (anywhere but as a value, or after `--`), then the required flags, then unknown
 * flags, then stray arguments.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { FaultlineError, incarnationSchema, LISTEN_HOST, nodeIdSchema, type NodeId } from '@faultline/protocol';
import { LOG_LEVELS, type LogLevel } from './shell/logger.js';

export interface NodeFlags {
  readonly id: NodeId;
  readonly control: string;
  readonly heartbeatMs: number;
  /** Which life of this node the process is (1, then one more at every revive): part of its message ids. */
  readonly incarnation: number;
  /** Absent: draw one (`drawSeed`). */
  readonly seed?: bigint;
  readonly logLevel: LogLevel;
  /** The lab's node ids; absent: this node and the peers the coordinator names. */
  readonly labNodes?: readonly NodeId[];
  /** Where the peer port listens (default 127.0.0.1; 0.0.0.0 in a container, reached by its host name). */
  readonly listen: string;
  /** A program speaking Maelstrom's protocol that this node hosts: its command and arguments. */
  readonly program?: readonly string[];
}

/** What the command line asks for: the help text, or a node with these flags. */
export type NodeArgs = { readonly help: true } | { readonly help: false; readonly flags: NodeFlags };

/** `faultline-node --help` (on stdout; exit 0). */
export const HELP = `Usage: faultline-node [options]

one node of a faultline lab: peer WebSocket transport, clocks, RPC, heartbeats,
behaviours, trace reporting

Options:
  --id <id>            this node's id (n1, n2, …)
  --control <url>      ws:// URL of the coordinator's control channel (not
                       through a proxy)
  --heartbeat-ms <ms>  interval of heartbeats to every connected peer (0: none)
                       (default: 500)
  --incarnation <n>    which life of this node the process is: 1 at first, one
                       more at every revive; its message ids are n2-1, n2-2, …
                       in the first, n2.2-1, … in the second (default: 1)
  --seed <n>           seed of the node's randomness (reconnect jitter); drawn
                       and logged if absent
  --log-level <level>  log level on stderr: fatal, error, warn, info, debug,
                       trace, silent (default: "warn")
  --lab-nodes <ids>    the lab's node ids, e.g. n1,n2,n3: a peer's message is
                       refused unless its sender and vector clock are over them
                       (default: this node and the peers the lab names)
  --listen <host>      address of the peer port (default: "127.0.0.1"; in a
                       container 0.0.0.0, so the proxy can reach it)
  --program <json>     host a program speaking Maelstrom's protocol, its command
                       as a JSON array, e.g. '["python3","echo.py"]'
  -h, --help           display help for command
`;

/** The line that follows every usage error on stderr. */
export const USAGE_HINT = '(faultline-node --help shows the flags)';

function badUsage(message: string): FaultlineError {
  return new FaultlineError('bad-usage', message);
}

export function parseNodeId(value: string): NodeId {
  if (!nodeIdSchema.safeParse(value).success) throw badUsage(`expected a node id like n1, got "${value}"`);
  return value;
}

export function parseControlUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badUsage(`expected a ws:// URL like ws://127.0.0.1:7000/, got "${value}"`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw badUsage(`expected a ws:// URL like ws://127.0.0.1:7000/, got "${value}"`);
  return url.toString();
}

export function parseHeartbeatMs(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) > 60_000) throw badUsage(`expected milliseconds 0-60000 (0: no heartbeats), got "${value}"`);
  return Number(value);
}

export function parseIncarnation(value: string): number {
  if (!/^[0-9]+$/.test(value) || !incarnationSchema.safeParse(Number(value)).success) throw badUsage(`expected a whole number 1-999999, got "${value}"`);
  return Number(value);
}

export function parseSeed(value: string): bigint {
  if (!/^-?[0-9]+$/.test(value)) throw badUsage(`expected an integer seed, got "${value}"`);
  const seed = BigInt(value);
  if (seed < -(2n ** 63n) || seed >= 2n ** 63n) throw badUsage(`expected a 64-bit integer seed, got "${value}"`);
  return seed;
}

export function parseLabNodes(value: string): NodeId[] {
  const ids = value.split(',');
  if (ids.length > 1000 || ids.some((id) => !nodeIdSchema.safeParse(id).success)) throw badUsage(`expected node ids like n1,n2,n3, got "${value}"`);
  return ids;
}

/** A program's command line as a JSON array of strings: `["python3","echo.py"]`. */
export function parseProgram(value: string): string[] {
  let argv: unknown;
  try {
    argv = JSON.parse(value);
  } catch {
    argv = undefined;
  }
  if (!Array.isArray(argv) || argv.length === 0 || argv.length > 200 || argv.some((a) => typeof a !== 'string') || (argv[0] as string) === '') {
    throw badUsage(`expected a command as a JSON array of strings, like ["python3","echo.py"], got ${JSON.stringify(value.slice(0, 200))}`);
  }
  return argv as string[];
}

/** An address to listen on: an IPv4 or IPv6 address, or a host name. */
export function parseListenHost(value: string): string {
  if (!LISTEN_HOST.test(value)) throw badUsage(`expected an address like 127.0.0.1 or 0.0.0.0, got "${value}"`);
  return value;
}

export function parseLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === value);
  if (level === undefined) throw badUsage(`expected one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  return level;
}

interface Flag {
  /** As the help and the errors write it. */
  readonly usage: string;
  readonly key: keyof NodeFlags;
  readonly parse: (value: string) => NodeFlags[keyof NodeFlags];
  readonly required: boolean;
}

const FLAGS: Readonly<Record<string, Flag>> = {
  id: { usage: '--id <id>', key: 'id', parse: parseNodeId, required: true },
  control: { usage: '--control <url>', key: 'control', parse: parseControlUrl, required: true },
  'heartbeat-ms': { usage: '--heartbeat-ms <ms>', key: 'heartbeatMs', parse: parseHeartbeatMs, required: false },
  incarnation: { usage: '--incarnation <n>', key: 'incarnation', parse: parseIncarnation, required: false },
  seed: { usage: '--seed <n>', key: 'seed', parse: parseSeed, required: false },
  'log-level': { usage: '--log-level <level>', key: 'logLevel', parse: parseLogLevel, required: false },
  'lab-nodes': { usage: '--lab-nodes <ids>', key: 'labNodes', parse: parseLabNodes, required: false },
  listen: { usage: '--listen <host>', key: 'listen', parse: parseListenHost, required: false },
  program: { usage: '--program <json>', key: 'program', parse: parseProgram, required: false },
};

/**
 * Reads the command line (`process.argv.slice(2)`). Throws a `bad-usage` FaultlineError whose message
 * is the error line without its hint, e.g. `error: required option '--id <id>' not specified`.
 */
export function parseNodeArgs(args: readonly string[]): NodeArgs {
  // Not strict: parseArgs would refuse `--seed -5` (a value that looks like a flag) and stop at the
  // first unknown flag; the checks below are commander's instead.
  const options = Object.fromEntries(Object.keys(FLAGS).map((name) => [name, { type: 'string' as const }]));
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const values: Partial<Record<keyof NodeFlags, unknown>> = {};
  /** Unknown flags, and (as in commander) every argument after the first of them. */
  const unknown: string[] = [];
  const operands: string[] = [];
  let previousIndex = -1;
  for (const token of tokens) {
    const flag = token.kind === 'option' && Object.hasOwn(FLAGS, token.name) ? FLAGS[token.name] : undefined;
    if (flag && token.kind === 'option') {
      if (token.value === undefined) throw badUsage(`error: option '${flag.usage}' argument missing`);
      try {
        values[flag.key] = flag.parse(token.value);
      } catch (err) {
        throw badUsage(`error: option '${flag.usage}' argument '${token.value}' is invalid. ${(err as Error).message}`);
      }
      continue;
    }
    // parseArgs splits `-ab` into -a and -b, both at the same index: it is one unknown flag.
    if (token.index === previousIndex) continue;
    previousIndex = token.index;
    if (token.kind === 'option') unknown.push(args[token.index]);
    else if (token.kind === 'option-terminator') {
      if (unknown.length > 0) unknown.push('--');
    } else (unknown.length > 0 ? unknown : operands).push(token.value);
  }
  if (unknown.some((arg) => arg === '-h' || arg === '--help')) return { help: true };
  for (const flag of Object.values(FLAGS)) {
    if (flag.required && values[flag.key] === undefined) throw badUsage(`error: required option '${flag.usage}' not specified`);
  }
  if (unknown.length > 0) throw badUsage(`error: unknown option '${unknown[0]}'`);
  if (operands.length > 0) throw badUsage(`error: too many arguments. Expected 0 arguments but got ${operands.length}.`);
  const flags = { heartbeatMs: 500, incarnation: 1, logLevel: 'warn', listen: '127.0.0.1', ...values } as NodeFlags;
  return { help: false, flags };
}

/** A seed for a run that was given none (logged, so the run can be replayed). */
export function drawSeed(): bigint {
  return randomBytes(8).readBigInt64BE();
}
