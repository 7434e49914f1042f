import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from '../../src/shell/logger.js';

function capture(level: LogLevel) {
  const lines: string[] = [];
  const logger = createLogger({ level, base: { node: 'n1', pid: 42 }, write: (line) => lines.push(line) });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the node logger', () => {
  it('writes one pino-style JSON line per call: level, time, base fields, the call fields, msg', () => {
    const { logger, lines, parsed } = capture('debug');
    const before = Date.now();
    logger.info({ seed: '7' }, 'starting');
    logger.debug({ peer: 'n2' }, 'link up');
    expect(lines.every((l) => l.endsWith('}\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const [info, debug] = parsed();
    expect(Object.keys(info)).toEqual(['level', 'time', 'node', 'pid', 'seed', 'msg']);
    expect(info).toMatchObject({ level: 30, node: 'n1', pid: 42, seed: '7', msg: 'starting' });
    expect(info.time).toBeGreaterThanOrEqual(before);
    expect(debug).toMatchObject({ level: 20, peer: 'n2', msg: 'link up' });
  });

  it.each<[LogLevel, number[]]>([
    ['debug', [50, 40, 30, 20]],
    ['info', [50, 40, 30]],
    ['warn', [50, 40]],
    ['error', [50]],
    ['fatal', []],
    ['silent', []],
  ])('at level %s it writes the levels %j', (level, written) => {
    const { logger, parsed } = capture(level);
    logger.error({}, 'e');
    logger.warn({}, 'w');
    logger.info({}, 'i');
    logger.debug({}, 'd');
    expect(parsed().map((l) => l.level)).toEqual(written);
  });

  it('writes an Error in err as type, message and stack (causes appended) and its own fields', () => {
    const { logger, parsed } = capture('info');
    const cause = new Error('socket hang up');
    const err = Object.assign(new TypeError('bad frame', { cause }), { code: 'E_FRAME' });
    logger.error({ err }, 'uncaught exception');
    const [line] = parsed();
    expect(line.err).toEqual({ type: 'TypeError', message: 'bad frame: socket hang up', stack: `${err.stack}\ncaused by: ${cause.stack}`, code: 'E_FRAME' });
    logger.error({ err: 'not an error' }, 'unhandled rejection');
    expect(parsed()[1].err).toBe('not an error');
  });

  it('a BigInt is written as its decimal string; a circular object still gives a line', () => {
    const { logger, parsed } = capture('info');
    logger.info({ seed: -(2n ** 63n) }, 'seed');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    logger.info({ loop }, 'circular');
    const [seed, circular] = parsed();
    expect(seed.seed).toBe('-9223372036854775808');
    expect(circular).toMatchObject({ level: 30, node: 'n1', msg: 'circular' });
  });
});
