/**
 * The order a diagram's rows go down in (pure): true time, as far as causality allows. The trace
 * is in causal order, but lines that wait for their causes are written later than others that
 * happened after them in true time, so the trace's order alone would make time run backwards on
 * the page; true time alone could put a receive above its send (each process reads the machine's
 * clock itself, to the millisecond). So: among the lines whose causes are already placed (the
 * earlier lines of the same node, the send of a message received), the earliest in true time goes
 * next, ties by seq. Whatever comes out is still a linear extension of happened-before.
 */
import type { TraceLine } from '@faultline/protocol';

export function diagramOrder(lines: readonly TraceLine[]): TraceLine[] {
  // One chain a node (and one for lines about no node), each in the order given.
  const chains = new Map<string, TraceLine[]>();
  for (const line of lines) {
    const key = line.node ?? '';
    const chain = chains.get(key) ?? [];
    chain.push(line);
    chains.set(key, chain);
  }
  const sendKey = (node: string, msg: string): string => `${node}\u0000${msg}`;
  const unplacedSends = new Map<string, number>();
  for (const line of lines) if (line.kind === 'send' && line.node !== undefined) unplacedSends.set(sendKey(line.node, line.msg), (unplacedSends.get(sendKey(line.node, line.msg)) ?? 0) + 1);
  const heads = [...chains.values()].map((chain) => ({ chain, at: 0 }));
  const out: TraceLine[] = [];
  const earlier = (a: TraceLine, b: TraceLine): boolean => a.trueMs < b.trueMs || (a.trueMs === b.trueMs && a.seq < b.seq);
  while (out.length < lines.length) {
    let best: { chain: TraceLine[]; at: number } | undefined;
    let fallback: { chain: TraceLine[]; at: number } | undefined;
    for (const head of heads) {
      const line = head.chain[head.at];
      if (line === undefined) continue;
      if (!fallback || line.seq < fallback.chain[fallback.at].seq) fallback = head;
      const waits = line.kind === 'receive' && (unplacedSends.get(sendKey(line.from, line.msg)) ?? 0) > 0;
      if (!waits && (!best || earlier(line, best.chain[best.at]))) best = head;
    }
    // Only a trace that is not causal (a line written without its cause) leaves nothing ready.
    const next = best ?? fallback!;
    const line = next.chain[next.at++];
    if (line.kind === 'send' && line.node !== undefined) unplacedSends.set(sendKey(line.node, line.msg), unplacedSends.get(sendKey(line.node, line.msg))! - 1);
    out.push(line);
  }
  return out;
}
