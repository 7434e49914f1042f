import { merge, tick, type VectorTimestamp } from '@faultline/clock';
import type { ClockStamp, NodeTraceEvent, TraceLine } from '@faultline/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CausalBuffer, type CausalItem } from '../src/causal-buffer.js';
import { checkTraceOrder } from '../src/trace-order.js';

interface Ev {
  readonly node: string;
  readonly clocks: ClockStamp;
  readonly event: NodeTraceEvent;
}

const stamp = (vc: VectorTimestamp, lamport: number): ClockStamp => ({ trueMs: 0, wallMs: 0, lamport, vc, hlc: { wallMs: 0, logical: lamport } });

/** Runs a causal history: `steps` pick a node and an action (local, send to a peer, receive the oldest message for it). */
function history(nodes: number, steps: readonly [number, number, number][]): Map<string, Ev[]> {
  const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  const vc = new Map(ids.map((id) => [id, {}]));
  const lamport = new Map(ids.map((id) => [id, 0]));
  const out = new Map(ids.map((id) => [id, [] as Ev[]]));
  const inFlight: { to: string; from: string; msg: string; vc: VectorTimestamp; lamport: number }[] = [];
  let counter = 0;
  for (const [who, action, peer] of steps) {
    const node = ids[who % nodes];
    const record = (event: NodeTraceEvent) => out.get(node)!.push({ node, clocks: stamp(vc.get(node)!, lamport.get(node)!), event });
    const waiting = inFlight.findIndex((m) => m.to === node);
    if (action % 3 === 2 && waiting >= 0) {
      const [m] = inFlight.splice(waiting, 1);
      vc.set(node, tick(merge(vc.get(node)!, m.vc), node));
      lamport.set(node, Math.max(lamport.get(node)!, m.lamport) + 1);
      record({ kind: 'receive', from: m.from, msg: m.msg, msgType: 'x', size: 1, sentWall: 0 });
      continue;
    }
    vc.set(node, tick(vc.get(node)!, node));
    lamport.set(node, lamport.get(node)! + 1);
    const to = ids[(who + 1 + (peer % (nodes - 1))) % nodes];
    if (action % 3 === 1) {
      const msg = `${node}-${++counter}`;
      record({ kind: 'send', to, msg, msgType: 'x', size: 1 });
      inFlight.push({ to, from: node, msg, vc: vc.get(node)!, lamport: lamport.get(node)! });
    } else record({ kind: 'local', label: 'x' });
  }
  return out;
}

const item = (e: Ev): CausalItem<Ev> => ({
  value: e,
  node: e.node,
  vc: e.clocks.vc,
  ...(e.event.kind === 'receive' ? { after: { node: e.event.from, msg: e.event.msg } } : {}),
  ...(e.event.kind === 'send' ? { sends: e.event.msg } : {}),
});

const asLines = (evs: readonly Ev[]): TraceLine[] => evs.map((e, i) => ({ seq: i + 1, trueMs: 0, node: e.node, clocks: e.clocks, ...e.event }));

const histories = fc.record({
  nodes: fc.integer({ min: 2, max: 4 }),
  steps: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 60 }),
  arrival: fc.array(fc.nat(), { maxLength: 200 }),
  batch: fc.integer({ min: 1, max: 4 }),
});

/** Each node's events arrive in its order, batches of nodes interleaved as `arrival` says. */
function arrive(byNode: Map<string, Ev[]>, arrival: readonly number[], batch: number, push: (items: Ev[]) => void): void {
  const queues = [...byNode.values()].map((q) => [...q]);
  let i = 0;
  while (queues.some((q) => q.length > 0)) {
    const open = queues.filter((q) => q.length > 0);
    const q = open[(arrival[i++] ?? 0) % open.length];
    push(q.splice(0, batch));
  }
}

describe('CausalBuffer: whatever order the nodes are heard in, the trace is causal', () => {
  it('any arrival interleaving of a causal history comes out as a linear extension of happened-before', () => {
    fc.assert(
      fc.property(histories, ({ nodes, steps, arrival, batch }) => {
        const byNode = history(nodes, steps);
        const out: Ev[] = [];
        const buffer = new CausalBuffer<Ev>((e, forced) => {
          expect(forced).toBe(false);
          out.push(e);
        });
        arrive(byNode, arrival, batch, (evs) => buffer.push(evs.map(item), 0));
        expect(buffer.size).toBe(0);
        expect(out).toHaveLength([...byNode.values()].reduce((n, q) => n + q.length, 0));
        expect(checkTraceOrder(asLines(out))).toEqual([]);
      }),
    );
  });

  it('a receive waits for its send; a lab line about the receiver waits behind it; one about no node does not', () => {
    const out: string[] = [];
    const buffer = new CausalBuffer<string>((v) => out.push(v));
    buffer.push([{ value: 'n2 receives n1-1', node: 'n2', vc: { n1: 1, n2: 1 }, after: { node: 'n1', msg: 'n1-1' } }], 0);
    buffer.push([{ value: 'crash n2', node: 'n2' }, { value: 'fault' }], 0);
    expect(out).toEqual(['fault']);
    buffer.push([{ value: 'n1 sends n1-1', node: 'n1', vc: { n1: 1 }, sends: 'n1-1' }], 1);
    expect(out).toEqual(['fault', 'n1 sends n1-1', 'n2 receives n1-1', 'crash n2']);
  });

  it('waits for what a vector clock has seen of another node, not only for the send', () => {
    const out: string[] = [];
    const buffer = new CausalBuffer<string>((v) => out.push(v));
    // n3 heard of n1's second event through n2 (whose lines are not in yet).
    buffer.push([{ value: 'n3 local', node: 'n3', vc: { n1: 2, n3: 1 } }], 0);
    buffer.push([{ value: 'n1 a', node: 'n1', vc: { n1: 1 } }], 0);
    expect(out).toEqual(['n1 a']);
    buffer.push([{ value: 'n1 b', node: 'n1', vc: { n1: 2 } }], 0);
    expect(out).toEqual(['n1 a', 'n1 b', 'n3 local']);
  });

  it('a sender whose channel closed is not waited for; nor is anything held past maxHoldMs (forced)', () => {
    const out: string[] = [];
    const buffer = new CausalBuffer<string>((v, forced) => out.push(forced ? `${v} (forced)` : v), 2_000);
    buffer.push([{ value: 'n2 receives n1-9', node: 'n2', vc: { n1: 9, n2: 1 }, after: { node: 'n1', msg: 'n1-9' } }], 0);
    buffer.closed('n1', 5);
    expect(out).toEqual(['n2 receives n1-9']);
    buffer.opened('n1');
    buffer.push([{ value: 'n3 receives n1-10', node: 'n3', vc: { n1: 10, n3: 1 }, after: { node: 'n1', msg: 'n1-10' } }], 10);
    expect(buffer.nextDeadline()).toBe(2_010);
    buffer.flush(2_009);
    expect(out).toHaveLength(1);
    buffer.flush(2_010);
    expect(out).toEqual(['n2 receives n1-9', 'n3 receives n1-10 (forced)']);
    expect(buffer.nextDeadline()).toBeUndefined();
  });

  it('whenSettled runs once every line of the node so far has left', () => {
    const out: string[] = [];
    const buffer = new CausalBuffer<string>((v) => out.push(v));
    buffer.whenSettled('n2', () => out.push('settled at once'));
    buffer.push([{ value: 'n2 receives n1-1', node: 'n2', vc: { n1: 1, n2: 1 }, after: { node: 'n1', msg: 'n1-1' } }], 0);
    buffer.whenSettled('n2', () => out.push('n2 settled'));
    expect(out).toEqual(['settled at once']);
    buffer.push([{ value: 'n1 sends n1-1', node: 'n1', vc: { n1: 1 }, sends: 'n1-1' }], 0);
    expect(out).toEqual(['settled at once', 'n1 sends n1-1', 'n2 receives n1-1', 'n2 settled']);
  });
});

describe('checkTraceOrder', () => {
  const ev = (seq: number, node: string, vc: VectorTimestamp, lamport: number, event: NodeTraceEvent): TraceLine => ({ seq, trueMs: 0, node, clocks: stamp(vc, lamport), ...event });
  const send = ev(1, 'n1', { n1: 1 }, 1, { kind: 'send', to: 'n2', msg: 'n1-1', msgType: 'x', size: 1 });
  const receive = (seq: number) => ev(seq, 'n2', { n1: 1, n2: 1 }, 2, { kind: 'receive', from: 'n1', msg: 'n1-1', msgType: 'x', size: 1, sentWall: 0 });

  it('accepts a send then its receive; flags the receive first, a gap in seq, and a clock that went back', () => {
    expect(checkTraceOrder([send, receive(2)])).toEqual([]);
    const swapped = checkTraceOrder([{ ...receive(1) }, { ...send, seq: 2 }]).map((v) => v.problem);
    expect(swapped).toContain("n2 received n1-1 before n1's send of it");
    expect(swapped).toContain('n2 has seen 1 events of n1, but only 0 are before it');
    expect(checkTraceOrder([send, receive(3)]).map((v) => v.problem)).toEqual(['line 2 of the file has seq 3']);
    const back = ev(2, 'n1', { n1: 1 }, 1, { kind: 'local', label: 'x' });
    expect(checkTraceOrder([send, back]).map((v) => v.problem)).toEqual(["n1's Lamport clock went from 1 (#1) to 1", "n1's vector clock did not move forward after #1"]);
  });

  it('a receive whose sender was killed before reporting the send is not a violation; from a live sender it is', () => {
    const crash: TraceLine = { seq: 2, trueMs: 0, node: 'n1', kind: 'crash', signal: 'SIGKILL' };
    expect(checkTraceOrder([{ ...receive(1) }, crash])).toEqual([]);
    expect(checkTraceOrder([{ ...receive(1) }]).map((v) => v.problem)).toContain('n2 received n1-1, but n1, still alive, never sent it');
  });
});
