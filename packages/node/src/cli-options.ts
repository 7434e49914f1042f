/**
 * The flags of `faultline-node`, checked one by one; each error names what was expected and what
 * came (commander prefixes the flag), and the command exits 2.
 */
import { randomBytes } from 'node:crypto';
import { nodeIdSchema, type NodeId } from '@faultline/protocol';
import { InvalidArgumentError } from 'commander';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function parseNodeId(value: string): NodeId {
  if (!nodeIdSchema.safeParse(value).success) throw new InvalidArgumentError(`expected a node id like n1, got "${value}"`);
  return value;
}

export function parseControlUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`expected a ws:// URL like ws://127.0.0.1:7000/, got "${value}"`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new InvalidArgumentError(`expected a ws:// URL like ws://127.0.0.1:7000/, got "${value}"`);
  return url.toString();
}

export function parseHeartbeatMs(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) > 60_000) throw new InvalidArgumentError(`expected milliseconds 0-60000 (0: no heartbeats), got "${value}"`);
  return Number(value);
}

export function parseSeed(value: string): bigint {
  if (!/^-?[0-9]+$/.test(value)) throw new InvalidArgumentError(`expected an integer seed, got "${value}"`);
  const seed = BigInt(value);
  if (seed < -(2n ** 63n) || seed >= 2n ** 63n) throw new InvalidArgumentError(`expected a 64-bit integer seed, got "${value}"`);
  return seed;
}

export function parseLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === value);
  if (level === undefined) throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  return level;
}

/** A seed for a run that was given none (logged, so the run can be replayed). */
export function drawSeed(): bigint {
  return randomBytes(8).readBigInt64BE();
}
