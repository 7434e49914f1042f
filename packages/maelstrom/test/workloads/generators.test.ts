import { MAELSTROM_RPCS, MAELSTROM_WORKLOAD_RPCS, MAELSTROM_WORKLOADS, parseWith } from '@faultline/protocol';
import { createRng } from '@faultline/random';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WORKLOADS } from '../../src/workloads/registry.js';
import type { PlannedOp } from '../../src/workloads/workload.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];

function run(name: keyof typeof WORKLOADS, seed: number, count = 200, options = {}): PlannedOp[] {
  const gen = WORKLOADS[name].generator({ rng: createRng(seed, `maelstrom:${name}`), nodeIds: NODES, ...options });
  return Array.from({ length: count }, (_, i) => gen.next(i % 7));
}

describe("every workload's client generator", () => {
  it('is the same for the same seed, for every workload (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(...MAELSTROM_WORKLOADS), (seed, name) => {
        expect(run(name, seed, 50)).toEqual(run(name, seed, 50));
      }),
      { numRuns: 40 },
    );
    expect(run('echo', 1)).not.toEqual(run('echo', 2));
  });

  it("sends each client's operations to node process mod n, with bodies the workload's request schemas accept", () => {
    for (const name of MAELSTROM_WORKLOADS) {
      const rpcs = MAELSTROM_WORKLOAD_RPCS[name].map((rpc) => MAELSTROM_RPCS[rpc]);
      run(name, 7).forEach((op, i) => {
        expect(op.node).toBe(NODES[(i % 7) % NODES.length]);
        const schemas = rpcs.filter((rpc) => rpc.type === op.body.type);
        expect(schemas.length, `${name}: ${op.body.type}`).toBeGreaterThan(0);
        expect(schemas.some((rpc) => parseWith(rpc.request, { ...op.body, msg_id: i }, 'request').ok), `${name}: ${JSON.stringify(op.body)}`).toBe(true);
      });
    }
  });

  it('ends with one final read per node where the workload has a final phase', () => {
    for (const name of ['broadcast', 'g-set', 'g-counter', 'pn-counter', 'mv-register'] as const) {
      const final = WORKLOADS[name].generator({ rng: createRng(1), nodeIds: NODES }).final();
      expect(final.map((op) => [op.node, op.f, op.final])).toEqual(NODES.map((n) => [n, 'read', true]));
    }
    for (const name of ['echo', 'unique-ids', 'lin-kv', 'txn-list-append'] as const) expect(WORKLOADS[name].generator({ rng: createRng(1), nodeIds: NODES }).final()).toEqual([]);
  });

  it('broadcasts and adds each value once, 0, 1, 2 …; g-counter deltas are 0 … 4, pn-counter −5 … 4', () => {
    for (const name of ['broadcast', 'g-set'] as const) {
      const values = run(name, 3).filter((op) => op.f !== 'read').map((op) => op.value);
      expect(values).toEqual(values.map((_, i) => i));
    }
    const deltas = (name: 'g-counter' | 'pn-counter') => new Set(run(name, 3, 2000).filter((op) => op.f === 'add').map((op) => op.value as number));
    expect([...deltas('g-counter')].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...deltas('pn-counter')].sort((a, b) => a - b)).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4]);
  });

  it('lin-kv keeps keyCount keys in play and retires each after opsPerKey operations', () => {
    const ops = run('lin-kv', 5, 300, { keyCount: 2, opsPerKey: 10 });
    const perKey = new Map<unknown, number>();
    for (const op of ops) perKey.set(op.key, (perKey.get(op.key) ?? 0) + 1);
    expect([...perKey.values()].every((n) => n <= 10)).toBe(true);
    expect(perKey.size).toBeGreaterThanOrEqual(30);
    expect(new Set(ops.slice(0, 5).map((op) => op.key)).size).toBeLessThanOrEqual(2);
    expect(new Set(ops.map((op) => op.f))).toEqual(new Set(['read', 'write', 'cas']));
  });

  it('txn-list-append appends each element once per key, at most maxWritesPerKey per key, in txns of 1 … maxTxnLength', () => {
    const ops = run('txn-list-append', 9, 500, { maxTxnLength: 3, maxWritesPerKey: 5 });
    const appended = new Map<number, number[]>();
    for (const op of ops) {
      const txn = op.value as [string, number, number | null][];
      expect(txn.length).toBeGreaterThanOrEqual(1);
      expect(txn.length).toBeLessThanOrEqual(3);
      for (const [f, k, v] of txn) if (f === 'append') appended.set(k, [...(appended.get(k) ?? []), v!]);
    }
    for (const elements of appended.values()) {
      expect(elements).toEqual(elements.map((_, i) => i + 1));
      expect(elements.length).toBeLessThanOrEqual(5);
    }
  });

  it('mv-register: a client writes on the context of its last read (read-modify-write), else now and then blind; values 1, 2, 3 … once', () => {
    const gen = WORKLOADS['mv-register'].generator({ rng: createRng(4, 'maelstrom:mv-register'), nodeIds: NODES });
    const ops: PlannedOp[] = [];
    for (let i = 0; i < 300; i++) {
      const process = i % 3;
      const op = gen.next(process);
      ops.push(op);
      if (op.f === 'read') gen.observe?.(process, { process, type: 'ok', f: 'read', key: op.key, time: i, value: { values: [i], context: { at: i } } });
      else if (op.body.context !== undefined) {
        const before = ops.filter((o, j) => j < ops.length - 1 && o.node === op.node).at(-1)!;
        expect(before.f).toBe('read');
        expect(op.body.context).toEqual({ at: ops.lastIndexOf(before) });
        expect(op.value).toEqual({ value: op.body.value, seen: [ops.lastIndexOf(before)] });
      } else expect(op.value).toEqual({ value: op.body.value, seen: [] });
    }
    const writes = ops.filter((op) => op.f === 'write');
    expect(writes.map((op) => op.body.value)).toEqual(writes.map((_, i) => i + 1));
    const blind = writes.filter((op) => op.body.context === undefined).length;
    expect(blind).toBeGreaterThan(10);
    expect(blind).toBeLessThan(writes.length / 3);
    // A read that failed (or a final one) is not written on.
    const again = WORKLOADS['mv-register'].generator({ rng: createRng(1, 'maelstrom:mv-register'), nodeIds: NODES });
    const first = again.next(0);
    expect(first.f).toBe('read');
    again.observe?.(0, { process: 0, type: 'fail', f: 'read', key: first.key, time: 1 });
    expect(again.next(0).body.context).toBeUndefined();
    again.observe?.(0, { process: 0, type: 'ok', f: 'read', key: first.key, time: 2, final: true, value: { values: [], context: 1 } });
    expect(again.next(0).body.context).toBeUndefined();
  });
});
