import { describe, expect, it } from 'vitest';
import { checkEcho } from '../../src/checkers/echo.js';
import { checkUniqueIds } from '../../src/checkers/unique-ids.js';
import { history } from '../support/history.js';

describe('the echo checker', () => {
  it('passes when every answered echo came back unchanged (errors and timeouts are only counted)', () => {
    const v = checkEcho(
      history(
        [0, 'echo', 0, 5, { node: 'n1', value: 'Please echo 3' }],
        [1, 'echo', 1, 4, { node: 'n2', value: { a: 1, b: [2] }, out: { b: [2], a: 1 } }],
        [2, 'echo', 2, 9, { node: 'n3', value: 'Please echo 9', type: 'info', error: { name: 'timeout', code: 0 } }],
      ),
    );
    expect(v).toMatchObject({ valid: true, stats: { operations: 3, ok: 2, info: 1, wrong: 0 } });
    expect(v.stats.availability).toBeCloseTo(2 / 3);
    expect(v.stats.latencyMs).toEqual({ p50: 3, p95: 5, p99: 5, max: 5 });
  });

  it('fails an echo that came back different, naming the node and both payloads', () => {
    const v = checkEcho(history([0, 'echo', 0, 5, { node: 'n1', value: 'Please echo 3' }], [1, 'echo', 1000, 1500, { node: 'n2', value: 'Please echo 4', out: 'Please echo 5' }]));
    expect(v.valid).toBe(false);
    expect(v.reason).toBe('n2 (client 1) was sent "Please echo 4" at 1.000 s and echoed "Please echo 5"');
  });

  it('fails when no echo was ever answered, and cannot say anything of an empty history', () => {
    expect(checkEcho(history([0, 'echo', 0, null, { value: 'x' }])).valid).toBe(false);
    expect(checkEcho([])).toMatchObject({ valid: 'unknown', reason: 'the history has no operations: nothing was tested' });
  });

  it('fails a reply the protocol does not allow', () => {
    const v = checkEcho(history([0, 'echo', 0, 1, { node: 'n1', value: 'x', type: 'info', error: { name: 'malformed-reply', text: 'echo_ok.echo: expected a value (any JSON), got nothing' } }]));
    expect(v).toMatchObject({ valid: false, reason: 'n1 (client 0) answered a echo with a reply the protocol does not allow: echo_ok.echo: expected a value (any JSON), got nothing' });
  });
});

describe('the unique-ids checker', () => {
  it('passes distinct ids of any type, across nodes', () => {
    const v = checkUniqueIds(
      history(
        [0, 'generate', 0, 1, { node: 'n1', out: 'n1-1' }],
        [1, 'generate', 0, 2, { node: 'n2', out: 'n2-1' }],
        [2, 'generate', 0, 3, { node: 'n3', out: 7 }],
        [3, 'generate', 0, 4, { node: 'n1', out: [1, 2] }],
        [4, 'generate', 0, 5, { node: 'n2', type: 'info', error: { name: 'crash', code: 13 } }],
      ),
    );
    expect(v).toMatchObject({ valid: true, stats: { ids: 4, distinct: 4, duplicated: 0, info: 1 } });
  });

  it('fails an id handed out twice, by two nodes (objects compared by content)', () => {
    const v = checkUniqueIds(
      history(
        [0, 'generate', 0, 1000, { node: 'n1', out: { node: 1, seq: 4 } }],
        [1, 'generate', 0, 2500, { node: 'n2', out: { seq: 4, node: 1 } }],
        [2, 'generate', 0, 3000, { node: 'n3', out: 9 }],
      ),
    );
    expect(v.valid).toBe(false);
    expect(v.reason).toBe('id {"node":1,"seq":4} was handed out twice: by n1 (client 0) at 1.000 s and by n2 (client 1) at 2.500 s');
    expect(v.stats).toMatchObject({ ids: 3, distinct: 2, duplicated: 1 });
  });
});
