import { describe, expect, it } from 'vitest';
import { completion, invocation } from '../../src/history/complete.js';
import { pairOps } from '../../src/history/pair.js';
import { WORKLOADS } from '../../src/workloads/registry.js';

const { 'lin-kv': linKv, broadcast, echo, 'failure-detector': failureDetector } = WORKLOADS;

describe('a request and what came back, as history events', () => {
  const read = invocation({ node: 'n2', f: 'read', key: 3, body: { type: 'read', key: 3 } }, 4, 100);
  const write = invocation({ node: 'n2', f: 'write', key: 3, value: 1, body: { type: 'write', key: 3, value: 1 } }, 5, 100);
  const cas = invocation({ node: 'n1', f: 'cas', key: 3, value: [1, 2], body: { type: 'cas', key: 3, from: 1, to: 2 } }, 6, 100);

  it('records the invocation with its node, key and value', () => {
    expect(cas).toEqual({ process: 6, type: 'invoke', f: 'cas', key: 3, value: [1, 2], time: 100, node: 'n1' });
  });

  it('an _ok reply is ok, with the value the workload reads from it', () => {
    expect(completion(linKv, read, { kind: 'reply', body: { type: 'read_ok', in_reply_to: 1, value: 4 } }, 150)).toEqual({ process: 4, f: 'read', key: 3, time: 150, node: 'n2', type: 'ok', value: 4 });
    expect(completion(linKv, cas, { kind: 'reply', body: { type: 'cas_ok', in_reply_to: 1 } }, 150)).toMatchObject({ type: 'ok', value: [1, 2] });
  });

  it('a definite error is a fail; an indefinite or custom one, or a timeout, is info, except on a read', () => {
    const err = (code: number, text?: string) => ({ kind: 'reply' as const, body: { type: 'error', in_reply_to: 1, code, ...(text ? { text } : {}) } });
    expect(completion(linKv, cas, err(22, 'current value 3 is not 1'), 150)).toMatchObject({ type: 'fail', value: [1, 2], error: { name: 'precondition-failed', code: 22, text: 'current value 3 is not 1' } });
    expect(completion(linKv, write, err(13), 150)).toMatchObject({ type: 'info', error: { name: 'crash', code: 13 } });
    expect(completion(linKv, write, err(1001), 150)).toMatchObject({ type: 'info', error: { name: 'error-1001', code: 1001 } });
    expect(completion(linKv, write, { kind: 'timeout' }, 150)).toMatchObject({ type: 'info', error: { name: 'timeout', code: 0 } });
    expect(completion(linKv, read, { kind: 'timeout' }, 150)).toMatchObject({ type: 'fail', error: { name: 'timeout' } });
    expect(completion(linKv, read, err(13), 150)).toMatchObject({ type: 'fail', error: { name: 'crash' } });
  });

  it('failure-detector: suspects_ok is ok with the nodes suspected; a timeout or a bad list fails (a poll changes nothing)', () => {
    const poll = invocation({ node: 'n1', f: 'suspects', body: { type: 'suspects' } }, 0, 100);
    expect(completion(failureDetector, poll, { kind: 'reply', body: { type: 'suspects_ok', in_reply_to: 1, suspects: ['n2'] } }, 110)).toEqual({ process: 0, f: 'suspects', time: 110, node: 'n1', type: 'ok', value: ['n2'] });
    expect(completion(failureDetector, poll, { kind: 'timeout' }, 1100)).toMatchObject({ type: 'fail', error: { name: 'timeout' } });
    expect(completion(failureDetector, poll, { kind: 'reply', body: { type: 'suspects_ok', in_reply_to: 1, suspects: 'n2' } }, 110)).toMatchObject({ type: 'fail', error: { name: 'malformed-reply' } });
  });

  it('lin-kv reads a missing key (error 20) as ok null', () => {
    expect(completion(linKv, read, { kind: 'reply', body: { type: 'error', in_reply_to: 1, code: 20 } }, 150)).toEqual({ process: 4, f: 'read', key: 3, time: 150, node: 'n2', type: 'ok', value: null });
  });

  it('a reply of the wrong shape is info (fail on a read), its error naming the field', () => {
    expect(completion(linKv, write, { kind: 'reply', body: { type: 'write_ok' } }, 150)).toMatchObject({ type: 'info', error: { name: 'malformed-reply', text: 'write_ok.in_reply_to: expected number, got nothing' } });
    const bcastRead = invocation({ node: 'n1', f: 'read', body: { type: 'read' } }, 0, 0);
    expect(completion(broadcast, bcastRead, { kind: 'reply', body: { type: 'read_ok', in_reply_to: 1, value: [1] } }, 1)).toMatchObject({ type: 'fail', error: { name: 'malformed-reply', text: 'read_ok.messages: expected array, got nothing' } });
    expect(completion(echo, invocation({ node: 'n1', f: 'echo', value: 'x', body: { type: 'echo', echo: 'x' } }, 0, 0), { kind: 'reply', body: { type: 'error', in_reply_to: 1 } }, 1)).toMatchObject({
      type: 'info',
      error: { name: 'malformed-reply', text: 'error.code: expected number, got nothing' },
    });
  });

  it('pairs invocations with completions by process; one never completed is info', () => {
    const events = [write, read, completion(linKv, read, { kind: 'timeout' }, 120)];
    const { ops, unpaired } = pairOps(events);
    expect(unpaired).toBe(0);
    expect(ops.map((op) => [op.process, op.type, op.endMs])).toEqual([[5, 'info', null], [4, 'fail', 120]]);
  });
});
