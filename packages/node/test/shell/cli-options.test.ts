import { describe, expect, it } from 'vitest';
import { HELP, parseControlUrl, parseHeartbeatMs, parseIncarnation, parseLogLevel, parseNodeArgs, parseNodeId, parseSeed } from '../../src/cli-options.js';
import { FaultlineError } from '@faultline/protocol';

describe('faultline-node flags', () => {
  it('accept good values', () => {
    expect(parseNodeId('n12')).toBe('n12');
    expect(parseControlUrl('ws://127.0.0.1:7000')).toBe('ws://127.0.0.1:7000/');
    expect(parseHeartbeatMs('0')).toBe(0);
    expect(parseSeed('-9223372036854775808')).toBe(-(2n ** 63n));
    expect(parseLogLevel('debug')).toBe('debug');
    expect(parseIncarnation('3')).toBe(3);
  });

  it.each<[string, (v: string) => unknown, string, RegExp]>([
    ['--id', parseNodeId, 'n0', /expected a node id like n1, got "n0"/],
    ['--control', parseControlUrl, '127.0.0.1:7000', /expected a ws:\/\/ URL/],
    ['--control', parseControlUrl, 'http://127.0.0.1:7000/', /expected a ws:\/\/ URL/],
    ['--heartbeat-ms', parseHeartbeatMs, '-1', /got "-1"/],
    ['--heartbeat-ms', parseHeartbeatMs, '60001', /got "60001"/],
    ['--seed', parseSeed, '9223372036854775808', /64-bit/],
    ['--log-level', parseLogLevel, 'verbose', /got "verbose"/],
    ['--incarnation', parseIncarnation, '0', /expected a whole number 1-999999, got "0"/],
    ['--incarnation', parseIncarnation, '1.5', /got "1.5"/],
  ])('%s rejects %j', (_flag, parse, value, pattern) => {
    expect(() => parse(value)).toThrow(FaultlineError);
    expect(() => parse(value)).toThrow(pattern);
  });
});

describe('faultline-node command line', () => {
  const C = ['--control', 'ws://127.0.0.1:1'];

  it('reads every flag, with defaults for the optional ones', () => {
    expect(parseNodeArgs(['--id', 'n1', ...C])).toEqual({ help: false, flags: { id: 'n1', control: 'ws://127.0.0.1:1/', heartbeatMs: 500, incarnation: 1, logLevel: 'warn', listen: '127.0.0.1' } });
    expect(parseNodeArgs(['--id=n2', '--control=ws://h:2/', '--heartbeat-ms', '0', '--seed', '-5', '--log-level', 'debug', '--incarnation', '2', '--listen', '0.0.0.0'])).toEqual({
      help: false,
      flags: { id: 'n2', control: 'ws://h:2/', heartbeatMs: 0, incarnation: 2, seed: -5n, logLevel: 'debug', listen: '0.0.0.0' },
    });
    // The last of a repeated flag wins.
    expect(parseNodeArgs(['--id', 'n1', '--id', 'n3', ...C])).toMatchObject({ flags: { id: 'n3' } });
  });

  it.each<[string[]]>([[['--help']], [['-h']], [['--id', 'n1', '--frobnicate', '--help']], [['stray', '--help']], [['--frob', '--', '--help']]])('%j asks for the help', (args) => {
    expect(parseNodeArgs(args)).toEqual({ help: true });
  });

  it('the help lists every flag', () => {
    for (const flag of ['--id <id>', '--control <url>', '--heartbeat-ms <ms>', '--incarnation <n>', '--seed <n>', '--log-level <level>', '--listen <host>', '-h, --help']) expect(HELP).toContain(flag);
  });

  // The lines commander wrote for the same arguments.
  it.each<[string[], string]>([
    [[], "error: required option '--id <id>' not specified"],
    [['-x'], "error: required option '--id <id>' not specified"],
    [['--id', 'n1'], "error: required option '--control <url>' not specified"],
    [['--id', 'node1', ...C], `error: option '--id <id>' argument 'node1' is invalid. expected a node id like n1, got "node1"`],
    [['--id', 'bad', '--help'], `error: option '--id <id>' argument 'bad' is invalid. expected a node id like n1, got "bad"`],
    [['--id', 'n1', ...C, '--seed', '--log-level', 'info'], `error: option '--seed <n>' argument '--log-level' is invalid. expected an integer seed, got "--log-level"`],
    [['--id', 'n1', ...C, '--heartbeat-ms='], `error: option '--heartbeat-ms <ms>' argument '' is invalid. expected milliseconds 0-60000 (0: no heartbeats), got ""`],
    [['--id', 'n1', ...C, '--log-level'], "error: option '--log-level <level>' argument missing"],
    [['--id', 'n1', ...C, '--frobnicate', 'stray'], "error: unknown option '--frobnicate'"],
    [['--id', 'n1', ...C, 'stray', '-h5'], "error: unknown option '-h5'"],
    [['--id', 'n1', ...C, '--help=3'], "error: unknown option '--help=3'"],
    [['--id', 'n1', ...C, 'stray'], 'error: too many arguments. Expected 0 arguments but got 1.'],
    [['--id', 'n1', ...C, '--', '--seed', '5'], 'error: too many arguments. Expected 0 arguments but got 2.'],
  ])('%j: %s', (args, line) => {
    expect(() => parseNodeArgs(args)).toThrow(FaultlineError);
    expect(() => parseNodeArgs(args)).toThrow(line);
    try {
      parseNodeArgs(args);
    } catch (err) {
      expect((err as FaultlineError).code).toBe('bad-usage');
      expect((err as FaultlineError).message).toBe(line);
    }
  });
});
