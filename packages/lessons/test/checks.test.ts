/** The lesson checks on hand-made traces: each holds where it should and fails where it must, saying why. */
import { TraceBuilder, timedOut } from '@faultline/checkers/testing';
import { checkSchema, type RpcResult } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { CheckContext, compareLog, renderExplanation, runChecks, type RpcRecord } from '../src/index.js';

const rpc = (name: string, result: RpcResult, to = 'n2'): [string, RpcRecord] => [name, { name, from: 'n1', to, msgType: 'work', result }];

/** A dropped request A, a crash during B, a dropped reply to C; a counter that went to 2; a log. */
function run(): CheckContext {
  const t = new TraceBuilder()
    .send('n1', 'n2', 'a', 'work')
    .proxy('n1-n2', 'dropped', 'a')
    .timeout('n1', 'n2', 'a')
    .send('n1', 'n2', 'b', 'work')
    .receive('n2', 'n1', 'b', 'work')
    .lab('n2', { kind: 'crash', signal: 'SIGKILL' })
    .timeout('n1', 'n2', 'b')
    .send('n1', 'n2', 'c', 'work')
    .receive('n2', 'n1', 'c', 'work')
    .state('n2', 'processed', 1, 'c')
    .send('n2', 'n1', 'p', 'work_ok', 'c')
    .proxy('n2-n1', 'dropped', 'p')
    .timeout('n1', 'n2', 'c')
    .state('n3', 'counter', 1, 'x')
    .state('n3', 'counter', 2, 'y')
    .state('n2', 'append', 'a1')
    .state('n2', 'append', 'a3')
    .state('n2', 'append', 'a2')
    .state('n2', 'append', 'a2')
    .state('n3', 'append', 'a1')
    .state('n3', 'append', 'a2')
    .state('n3', 'append', 'a3');
  const ok: RpcResult = { outcome: 'ok', attempts: 2, requestIds: ['x', 'y'], elapsedMs: 230, reply: { id: 'n3-2', from: 'n3', to: 'n1', type: 'incr_ok', body: { value: 2 }, replyTo: 'y', lamport: 9, vc: { n3: 9 }, hlc: { wallMs: 1, logical: 0 }, sentWall: 1 } };
  const rpcs = new Map([rpc('A', timedOut(['a'])), rpc('B', timedOut(['b'])), rpc('C', timedOut(['c'])), rpc('K', ok, 'n3')]);
  const sent = new Map([['n1>n2', ['a1', 'a2', 'a3']], ['n1>n3', ['a1', 'a2', 'a3']]]);
  return new CheckContext(t.lines, rpcs, sent);
}

const held = (c: Record<string, unknown>): { held: boolean; evidence: string; value?: unknown } => {
  const [result] = runChecks(run(), [checkSchema.parse(c)]);
  return result;
};

describe('checks', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['rpc_outcome', { check: 'rpc_outcome', rpcs: ['A', 'B', 'C'], outcome: 'timeout' }, { check: 'rpc_outcome', rpcs: ['A', 'K'], outcome: 'timeout' }],
    ['same_sender_view', { check: 'same_sender_view', rpcs: ['A', 'B', 'C'] }, { check: 'same_sender_view', rpcs: ['A', 'K'] }],
    ['ground_truth', { check: 'ground_truth', rpc: 'B', is: 'crashed_before_processing' }, { check: 'ground_truth', rpc: 'B', is: 'crashed_after_processing' }],
    ['distinct_truths', { check: 'distinct_truths', rpcs: ['A', 'B', 'C'] }, { check: 'distinct_truths', rpcs: ['A', 'K'] }],
    ['rpc_reply', { check: 'rpc_reply', rpc: 'K', body: { value: 2 } }, { check: 'rpc_reply', rpc: 'K', body: { value: 1 } }],
    ['state', { check: 'state', node: 'n3', key: 'counter', equals: 2 }, { check: 'state', node: 'n3', key: 'counter', equals: 1 }],
    ['count', { check: 'count', where: { kind: 'proxy', action: 'dropped' }, equals: 2 }, { check: 'count', where: { kind: 'proxy', action: 'dropped', link: 'n1-n2' }, min: 2 }],
    ['log', { check: 'log', node: 'n3', from: 'n1', is: 'matches' }, { check: 'log', node: 'n2', from: 'n1', is: 'matches' }],
  ])('%s holds where it should and not where it must not', (_kind, good, bad) => {
    const yes = held(good);
    expect(yes.held, yes.evidence).toBe(true);
    const no = held(bad);
    expect(no.held, no.evidence).toBe(false);
    expect(no.evidence.length).toBeGreaterThan(10);
  });

  it('evidence carries the run’s figures', () => {
    expect(held({ check: 'same_sender_view', rpcs: ['A', 'B', 'C'] }).evidence).toBe('n1 saw A: timeout after 1s, 1 attempt; B: timeout after 1s, 1 attempt; C: timeout after 1s, 1 attempt (the same each time)');
    expect(held({ check: 'state', node: 'n3', key: 'counter', equals: 2 }).evidence).toBe("n3's service counter: 1 → 2");
    expect(held({ check: 'log', node: 'n2', from: 'n1', is: 'differs' })).toMatchObject({ held: true, evidence: "n2's log has 4 entries for the 3 items n1 sent: 1 duplicate, 1 out of order, 0 missing" });
    expect(held({ check: 'count', where: { kind: 'state', node: 'n2', key: 'append' }, min: 1, max: 3 })).toMatchObject({ held: false, value: 4 });
  });

  it('a check about a call never made does not hold, and says so', () => {
    const [r] = runChecks(run(), [checkSchema.parse({ check: 'rpc_outcome', rpcs: ['Z'], outcome: 'ok' })]);
    expect(r).toMatchObject({ held: false, evidence: 'could not be checked: no call named Z was made in this run', name: 'rpc_outcome 1' });
  });

  it('compareLog counts duplicates, items out of order and missing ones', () => {
    expect(compareLog(['a', 'b', 'c'], ['a', 'b', 'c'])).toEqual({ duplicates: 0, outOfOrder: 0, missing: 0, matches: true });
    expect(compareLog(['a', 'b', 'c'], ['c', 'a', 'a'])).toEqual({ duplicates: 1, outOfOrder: 1, missing: 1, matches: false });
    expect(compareLog(['a'], [])).toMatchObject({ missing: 1, matches: false });
  });

  it('the explanation gets this run’s figures', () => {
    const ctx = run();
    const checks = runChecks(ctx, [checkSchema.parse({ check: 'log', name: 'L', node: 'n2', from: 'n1', is: 'differs' }), checkSchema.parse({ check: 'count', name: 'drops', where: { kind: 'proxy' }, min: 1 })]);
    const text = renderExplanation('seed {{seed}}: A took {{rpc.A.elapsed}} ({{rpc.A.outcome}}, {{rpc.A.attempts}}); {{check.drops}} drops; {{check.L.duplicates}} dup; K said {{rpc.K.reply}}', { seed: '7', rpcs: ctx.rpcs, checks });
    expect(text).toBe('seed 7: A took 1s (timeout, 1); 2 drops; 1 dup; K said {"value":2}');
  });
});
