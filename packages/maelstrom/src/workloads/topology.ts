/**
 * Broadcast's topologies (pure): for each node, the neighbours it is told to gossip with, as
 * Maelstrom computes them from the node list in order. Every node has an entry (a lone node's
 * is empty), and a node is never its own neighbour.
 *
 * - line: each node's neighbours are the nodes before and after it.
 * - grid (Maelstrom's default): nodes fill a ⌈√n⌉-wide square row by row; neighbours are the
 *   nodes below, above, right and left of it (at most 4).
 * - tree2, tree3, tree4: nodes fill a tree breadth-first, each with up to b children;
 *   neighbours are the parent (first) and the children. `tree` is tree2, as in Maelstrom.
 * - total: everyone else.
 */
export const TOPOLOGIES = ['line', 'grid', 'tree', 'tree2', 'tree3', 'tree4', 'total'] as const;
export type TopologyName = (typeof TOPOLOGIES)[number];
export type Topology = Record<string, string[]>;

export function lineTopology(nodes: readonly string[]): Topology {
  return Object.fromEntries(nodes.map((node, i) => [node, [nodes[i - 1], nodes[i + 1]].filter((n): n is string => n !== undefined)]));
}

export function gridTopology(nodes: readonly string[]): Topology {
  const side = Math.ceil(Math.sqrt(nodes.length));
  const at = (i: number, j: number): string | undefined => (i >= 0 && j >= 0 && j < side ? nodes[i * side + j] : undefined);
  return Object.fromEntries(
    nodes.map((node, k) => {
      const i = Math.floor(k / side);
      const j = k % side;
      return [node, [at(i + 1, j), at(i - 1, j), at(i, j + 1), at(i, j - 1)].filter((n): n is string => n !== undefined)];
    }),
  );
}

/** Breadth-first, b children each: node k's parent is ⌊(k−1)/b⌋, its children k·b+1 … k·b+b. */
export function treeTopology(nodes: readonly string[], branching: number): Topology {
  return Object.fromEntries(
    nodes.map((node, k) => {
      const parent = k === 0 ? [] : [nodes[Math.floor((k - 1) / branching)]];
      const children = Array.from({ length: branching }, (_, c) => nodes[k * branching + 1 + c]).filter((n): n is string => n !== undefined);
      return [node, [...parent, ...children]];
    }),
  );
}

export function totalTopology(nodes: readonly string[]): Topology {
  return Object.fromEntries(nodes.map((node) => [node, nodes.filter((n) => n !== node)]));
}

export function topology(name: TopologyName, nodes: readonly string[]): Topology {
  switch (name) {
    case 'line':
      return lineTopology(nodes);
    case 'grid':
      return gridTopology(nodes);
    case 'tree':
    case 'tree2':
      return treeTopology(nodes, 2);
    case 'tree3':
      return treeTopology(nodes, 3);
    case 'tree4':
      return treeTopology(nodes, 4);
    case 'total':
      return totalTopology(nodes);
  }
}
