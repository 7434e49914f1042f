/**
 * The dependency graph of the transactions (pure), Adya's, from each key's version order:
 * - ww: T1 appended an element and T2 the next one in the key's order;
 * - wr: T2 read a list whose last element T1 appended (T2 saw T1's write);
 * - rw: T1 read a list, and T2 appended the element that comes next (T1 did not see T2's write).
 * A cycle means no serial order explains what the transactions saw. Searched for in three
 * rounds, the first found reported: ww edges only (G0, dirty write), ww and wr (G1c, cyclic
 * information flow), then all three (G-single, read skew: a cycle with exactly one rw edge;
 * else G2, e.g. write skew). Transactions of unknown outcome take part through the appends that
 * reads saw (their own reads are unknown); failed ones never do.
 */
import type { KeyOrder } from './order.js';
import { txnName, type Anomaly, type Appenders, type Txn } from './txns.js';

type EdgeKind = 'ww' | 'wr' | 'rw';

interface Edge {
  readonly to: Txn;
  readonly kind: EdgeKind;
  readonly key: string;
}

export function dependencyEdges(orders: ReadonlyMap<string, KeyOrder>, appended: Appenders): Map<Txn, Edge[]> {
  const edges = new Map<Txn, Edge[]>();
  const seen = new Set<string>();
  const ids = new Map<Txn, number>();
  const idOf = (t: Txn): number => {
    let id = ids.get(t);
    if (id === undefined) ids.set(t, (id = ids.size));
    return id;
  };
  const add = (from: Txn | undefined, to: Txn | undefined, kind: EdgeKind, key: string): void => {
    if (!from || !to || from === to || from.op.type === 'fail' || to.op.type === 'fail') return;
    const id = `${idOf(from)} ${idOf(to)} ${kind}`;
    if (seen.has(id)) return;
    seen.add(id);
    edges.set(from, [...(edges.get(from) ?? []), { to, kind, key }]);
  };
  for (const [key, { order, reads }] of orders) {
    const writer = (element: string | undefined): Txn | undefined => (element === undefined ? undefined : appended.byKey.get(key)?.get(element)?.txn);
    for (let i = 0; i + 1 < order.length; i++) add(writer(order[i]), writer(order[i + 1]), 'ww', key);
    for (const { txn, list } of reads) {
      add(writer(list[list.length - 1]), txn, 'wr', key);
      add(txn, writer(order[list.length]), 'rw', key);
    }
  }
  return edges;
}

/** Strongly connected components with more than one transaction (Tarjan's, without recursion). */
function components(edges: ReadonlyMap<Txn, readonly Edge[]>, allowed: ReadonlySet<EdgeKind>): Txn[][] {
  const index = new Map<Txn, number>();
  const low = new Map<Txn, number>();
  const onStack = new Set<Txn>();
  const stack: Txn[] = [];
  const found: Txn[][] = [];
  const next = (t: Txn): Txn[] => (edges.get(t) ?? []).filter((e) => allowed.has(e.kind)).map((e) => e.to);
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: { t: Txn; succ: Txn[]; i: number }[] = [];
    const open = (t: Txn): void => {
      index.set(t, index.size);
      low.set(t, index.get(t)!);
      stack.push(t);
      onStack.add(t);
      work.push({ t, succ: next(t), i: 0 });
    };
    open(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.succ.length) {
        const w = frame.succ[frame.i++];
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(frame.t, Math.min(low.get(frame.t)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.t, Math.min(low.get(parent.t)!, low.get(frame.t)!));
      if (low.get(frame.t) === index.get(frame.t)) {
        const component: Txn[] = [];
        let w: Txn;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.t);
        if (component.length > 1) found.push(component);
      }
    }
  }
  return found;
}

/** The shortest path from `from` to `to` inside `within` over `allowed` edges (breadth-first), or undefined. */
function path(edges: ReadonlyMap<Txn, readonly Edge[]>, from: Txn, to: Txn, within: ReadonlySet<Txn>, allowed: ReadonlySet<EdgeKind>): { from: Txn; edge: Edge }[] | undefined {
  const came = new Map<Txn, { from: Txn; edge: Edge }>();
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const t = queue[head];
    for (const edge of edges.get(t) ?? []) {
      if (!allowed.has(edge.kind) || !within.has(edge.to) || came.has(edge.to) || edge.to === from) continue;
      came.set(edge.to, { from: t, edge });
      if (edge.to === to) {
        const steps: { from: Txn; edge: Edge }[] = [];
        for (let at: Txn = to; at !== from; at = came.get(at)!.from) steps.unshift(came.get(at)!);
        return steps;
      }
      queue.push(edge.to);
    }
  }
  return undefined;
}

const WW = new Set<EdgeKind>(['ww']);
const WWR = new Set<EdgeKind>(['ww', 'wr']);
const ALL = new Set<EdgeKind>(['ww', 'wr', 'rw']);

function cycleText(steps: readonly { from: Txn; edge: Edge }[], originMs: number): string {
  return steps
    .map(({ from, edge }) => {
      const a = txnName(from, originMs);
      const b = txnName(edge.to, originMs);
      if (edge.kind === 'ww') return `${a} appended to key ${edge.key} before ${b} did (ww)`;
      if (edge.kind === 'wr') return `${a}'s append to key ${edge.key} was seen by ${b} (wr)`;
      return `${a} read key ${edge.key} without the append of ${b} (rw)`;
    })
    .join('; ');
}

/** The first dependency cycle, as an anomaly (G0, G1c, G-single or G2), or undefined when there is none. */
export function cycleAnomaly(edges: ReadonlyMap<Txn, readonly Edge[]>, originMs: number): Anomaly | undefined {
  for (const [kind, allowed] of [['G0', WW], ['G1c', WWR]] as const) {
    const component = components(edges, allowed)[0];
    if (!component) continue;
    const within = new Set(component);
    const first = component[0];
    const back = (edges.get(first) ?? []).find((e) => allowed.has(e.kind) && within.has(e.to))!;
    const rest = path(edges, back.to, first, within, allowed) ?? [];
    const what = kind === 'G0' ? 'writes to the same keys in orders no serial order allows' : 'each saw, directly or through others, the writes of the other';
    return { kind, text: `transactions ${what}: ${cycleText([{ from: first, edge: back }, ...rest], originMs)}` };
  }
  const component = components(edges, ALL)[0];
  if (!component) return undefined;
  const within = new Set(component);
  for (const from of component) {
    for (const edge of edges.get(from) ?? []) {
      if (edge.kind !== 'rw' || !within.has(edge.to)) continue;
      const rest = path(edges, edge.to, from, within, WWR);
      if (rest) return { kind: 'G-single', text: `a transaction saw part of another's writes but not the rest: ${cycleText([{ from, edge }, ...rest], originMs)}` };
    }
  }
  const first = component[0];
  const back = (edges.get(first) ?? []).find((e) => within.has(e.to))!;
  const rest = path(edges, back.to, first, within, ALL) ?? [];
  return { kind: 'G2', text: `transactions each missed the other's writes (e.g. write skew): ${cycleText([{ from: first, edge: back }, ...rest], originMs)}` };
}
