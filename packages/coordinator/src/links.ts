/** The lab's directed links: one proxy `nA-nB` for every ordered pair of nodes. */
import { linkName, type NodeId } from '@faultline/protocol';

export interface Link {
  /** The proxy's name, `from-to` (e.g. `n1-n2`). */
  readonly name: string;
  readonly from: NodeId;
  readonly to: NodeId;
}

export function link(from: NodeId, to: NodeId): Link {
  return { name: linkName(from, to), from, to };
}

/** `n1` … `nN`. */
export function nodeIds(count: number): NodeId[] {
  return Array.from({ length: count }, (_, i) => `n${i + 1}`);
}

/** Every directed link between distinct nodes, ordered by sender, then receiver. */
export function allLinks(ids: readonly NodeId[]): Link[] {
  return ids.flatMap((from) => ids.filter((to) => to !== from).map((to) => link(from, to)));
}

/** The links that touch `node`, in either direction. */
export function linksOf(links: readonly Link[], node: NodeId): Link[] {
  return links.filter((l) => l.from === node || l.to === node);
}
