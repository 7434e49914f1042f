/**
 * The pure parts together, as the shell will drive them: a workload's generator, a program
 * (here an in-memory stand-in answering each request at once), the replies made into a history,
 * then the workload's checker. A correct stand-in passes every workload; a deliberately wrong one
 * fails it, for the reason it was made wrong.
 */
import type { MaelstromBody, MaelstromHistoryEvent, MaelstromWorkloadName } from '@faultline/protocol';
import { createRng } from '@faultline/random';
import { describe, expect, it } from 'vitest';
import { completion, invocation } from '../src/history/complete.js';
import { linKvService } from '../src/services/lin-kv.js';
import { lwwKvService } from '../src/services/lww-kv.js';
import { WORKLOADS } from '../src/workloads/registry.js';
import type { RequestBody } from '../src/workloads/workload.js';

type Program = (node: string, body: RequestBody & { msg_id: number }) => MaelstromBody;
const NODES = ['n1', 'n2', 'n3'];

function simulate(name: MaelstromWorkloadName, program: Program, seed = 1, count = 300): MaelstromHistoryEvent[] {
  const workload = WORKLOADS[name];
  const gen = workload.generator({ rng: createRng(seed, `maelstrom:${name}`), nodeIds: NODES });
  const history: MaelstromHistoryEvent[] = [];
  let t = 0;
  let msgId = 0;
  const one = (op: ReturnType<typeof gen.next>, process: number): void => {
    const inv = invocation(op, process, (t += 1));
    history.push(inv);
    const done = completion(workload, inv, { kind: 'reply', body: program(op.node, { ...op.body, msg_id: ++msgId }) }, (t += 1));
    history.push(done);
    gen.observe?.(process, done);
  };
  for (let i = 0; i < count; i++) one(gen.next(i % 6), i % 6);
  gen.final().forEach((op, i) => one(op, 100 + i));
  return history;
}

const ok = (body: { msg_id: number }, type: string, fields: Record<string, unknown> = {}): MaelstromBody => ({ type, in_reply_to: body.msg_id, ...fields });

/** A set or counter shared by all nodes (right), or one per node with no gossip (wrong). */
function setProgram(shared: boolean, readField: 'messages' | 'value', addField: 'message' | 'element'): Program {
  const sets = new Map<string, unknown[]>();
  return (node, body) => {
    const set = sets.get(shared ? '' : node) ?? [];
    sets.set(shared ? '' : node, set);
    if (body.type === 'read') return ok(body, 'read_ok', { [readField]: [...set] });
    set.push(body[addField]);
    return ok(body, `${body.type}_ok`);
  };
}

function counterProgram(shared: boolean): Program {
  const sums = new Map<string, number>();
  return (node, body) => {
    const key = shared ? '' : node;
    if (body.type === 'read') return ok(body, 'read_ok', { value: sums.get(key) ?? 0 });
    sums.set(key, (sums.get(key) ?? 0) + (body.delta as number));
    return ok(body, 'add_ok');
  };
}

function serviceProgram(service: typeof linKvService | typeof lwwKvService): Program {
  let state: unknown = service.init({ replicas: 3 });
  const rng = createRng(9, 'service');
  return (node, body) => {
    const h = (service.handle as (s: unknown, m: unknown, c: unknown) => { state: unknown; reply: MaelstromBody })(state, { src: node, dest: 'svc', body }, { rng });
    state = h.state;
    return h.reply;
  };
}

/** A serial list-append store; `drop` loses every appended element it says to. */
function txnProgram(drop: (element: number) => boolean): Program {
  const lists = new Map<number, number[]>();
  return (_node, body) => {
    const txn = (body.txn as [string, number, number | null][]).map(([f, k, v]): [string, number, unknown] => {
      if (f === 'r') return ['r', k, lists.has(k) ? [...lists.get(k)!] : null];
      if (!drop(v!)) lists.set(k, [...(lists.get(k) ?? []), v!]);
      return ['append', k, v];
    });
    return ok(body, 'txn_ok', { txn });
  };
}

/**
 * A multi-value register, one copy shared by every node: each value kept with an id, a read's
 * context the ids it answered, a write drops those (right); or a register that keeps only the
 * last write, whatever the context (wrong: last writer wins).
 */
function mvRegisterProgram(lastWriterWins: boolean): Program {
  const keys = new Map<unknown, { id: number; value: unknown }[]>();
  let ids = 0;
  return (_node, body) => {
    const held = keys.get(body.key) ?? [];
    if (body.type === 'read') return ok(body, 'read_ok', { values: held.map((h) => h.value), context: held.map((h) => h.id) });
    const seen = new Set((body.context as number[] | undefined) ?? []);
    keys.set(body.key, [...(lastWriterWins ? [] : held.filter((h) => !seen.has(h.id))), { id: ++ids, value: body.value }]);
    return ok(body, 'write_ok');
  };
}

describe('a simulated run of each workload', () => {
  it('echo: right passes; a program that changes the payload fails', () => {
    expect(WORKLOADS.echo.check(simulate('echo', (_n, b) => ok(b, 'echo_ok', { echo: b.echo })))).toMatchObject({ valid: true });
    expect(WORKLOADS.echo.check(simulate('echo', (_n, b) => ok(b, 'echo_ok', { echo: `${String(b.echo)}!` }))).valid).toBe(false);
  });

  it('unique-ids: node and counter passes; a per-node counter alone fails', () => {
    const counters = new Map<string, number>();
    const next = (node: string) => {
      counters.set(node, (counters.get(node) ?? 0) + 1);
      return counters.get(node)!;
    };
    expect(WORKLOADS['unique-ids'].check(simulate('unique-ids', (n, b) => ok(b, 'generate_ok', { id: `${n}-${next(n)}` }))).valid).toBe(true);
    const wrong = WORKLOADS['unique-ids'].check(simulate('unique-ids', (n, b) => ok(b, 'generate_ok', { id: next(`${n}'`) })));
    expect(wrong.valid).toBe(false);
    expect(wrong.reason).toMatch(/^id \d+ was handed out twice/);
  });

  it('broadcast and g-set: a shared set passes; nodes that never gossip lose messages', () => {
    for (const [name, read, add] of [['broadcast', 'messages', 'message'], ['g-set', 'value', 'element']] as const) {
      expect(WORKLOADS[name].check(simulate(name, setProgram(true, read, add))).valid).toBe(true);
      const wrong = WORKLOADS[name].check(simulate(name, setProgram(false, read, add)));
      expect(wrong.valid).toBe(false);
      expect(wrong.reason).toMatch(/was acknowledged by .* but the final read on n\d does not have it/);
    }
  });

  it('g-counter and pn-counter: a shared sum passes; per-node sums are too low', () => {
    for (const name of ['g-counter', 'pn-counter'] as const) {
      expect(WORKLOADS[name].check(simulate(name, counterProgram(true))).valid).toBe(true);
      expect(WORKLOADS[name].check(simulate(name, counterProgram(false))).valid).toBe(false);
    }
  });

  it('lin-kv: the lin-kv service as the program passes; the lww-kv service (stale replicas) is not linearizable', () => {
    expect(WORKLOADS['lin-kv'].check(simulate('lin-kv', serviceProgram(linKvService)))).toMatchObject({ valid: true });
    const wrong = WORKLOADS['lin-kv'].check(simulate('lin-kv', serviceProgram(lwwKvService)));
    expect(wrong.valid).toBe(false);
    expect(wrong.reason).toMatch(/^not linearizable: /);
  });

  it('mv-register: siblings kept until a write has seen them passes; last writer wins loses concurrent writes', () => {
    const right = WORKLOADS['mv-register'].check(simulate('mv-register', mvRegisterProgram(false)));
    expect(right.valid, right.reason).toBe(true);
    expect(right.stats).toMatchObject({ maxSiblings: expect.any(Number) as number });
    expect((right.stats as { maxSiblings: number }).maxSiblings).toBeGreaterThan(1);
    const wrong = WORKLOADS['mv-register'].check(simulate('mv-register', mvRegisterProgram(true)));
    expect(wrong.valid).toBe(false);
    expect(wrong.reason).toMatch(/^the write of \d+ \(c\d on n\d, acknowledged\) is lost: no write saw it, yet the final read on every node is \[\d+\]: two concurrent writes must both be kept/);
  });

  it('txn-list-append: a serial store passes; one that drops some appends loses them', () => {
    expect(WORKLOADS['txn-list-append'].check(simulate('txn-list-append', txnProgram(() => false)))).toMatchObject({ valid: true });
    const wrong = WORKLOADS['txn-list-append'].check(simulate('txn-list-append', txnProgram((e) => e === 3)));
    expect(wrong.valid).toBe(false);
    expect(wrong.stats).toMatchObject({ anomalies: { 'lost-append': expect.any(Number) as number } });
  });
});
