import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseControlUrl, parseHeartbeatMs, parseLogLevel, parseNodeId, parseSeed } from '../../src/cli-options.js';

describe('faultline-node flags', () => {
  it('accept good values', () => {
    expect(parseNodeId('n12')).toBe('n12');
    expect(parseControlUrl('ws://127.0.0.1:7000')).toBe('ws://127.0.0.1:7000/');
    expect(parseHeartbeatMs('0')).toBe(0);
    expect(parseSeed('-9223372036854775808')).toBe(-(2n ** 63n));
    expect(parseLogLevel('debug')).toBe('debug');
  });

  it.each<[string, (v: string) => unknown, string, RegExp]>([
    ['--id', parseNodeId, 'n0', /expected a node id like n1, got "n0"/],
    ['--control', parseControlUrl, '127.0.0.1:7000', /expected a ws:\/\/ URL/],
    ['--control', parseControlUrl, 'http://127.0.0.1:7000/', /expected a ws:\/\/ URL/],
    ['--heartbeat-ms', parseHeartbeatMs, '-1', /got "-1"/],
    ['--heartbeat-ms', parseHeartbeatMs, '60001', /got "60001"/],
    ['--seed', parseSeed, '9223372036854775808', /64-bit/],
    ['--log-level', parseLogLevel, 'verbose', /got "verbose"/],
  ])('%s rejects %j', (_flag, parse, value, pattern) => {
    expect(() => parse(value)).toThrow(InvalidArgumentError);
    expect(() => parse(value)).toThrow(pattern);
  });
});
