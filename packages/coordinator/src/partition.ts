/**
 * Partitions in Blockade's form (pure): the named groups, plus one more group of every node not
 * named; every directed link between two different groups is cut, links inside a group are not.
 */
import type { NodeId } from '@faultline/protocol';
import { FaultlineError } from '@faultline/protocol';
import { link, type Link } from './links.js';

/** The groups of a partition, completed with the group of nodes nobody named (if any). */
export function partitionGroups(all: readonly NodeId[], groups: readonly (readonly NodeId[])[]): NodeId[][] {
  const known = new Set(all);
  const seen = new Set<NodeId>();
  for (const group of groups) {
    if (group.length === 0) throw new FaultlineError('bad-request', 'expected every partition group to name at least one node, got an empty group');
    for (const node of group) {
      if (!known.has(node)) throw new FaultlineError('unknown-node', `partition names ${node}, but the lab has ${all.join(', ')}`);
      if (seen.has(node)) throw new FaultlineError('bad-request', `expected each node in at most one partition group, got ${node} twice`);
      seen.add(node);
    }
  }
  const rest = all.filter((n) => !seen.has(n));
  const full = groups.map((g) => [...g]);
  return rest.length > 0 ? [...full, rest] : full;
}

/** Every directed link from a node of one group to a node of another. */
export function cutLinks(groups: readonly (readonly NodeId[])[]): Link[] {
  const cut: Link[] = [];
  groups.forEach((fromGroup, i) =>
    groups.forEach((toGroup, j) => {
      if (i === j) return;
      for (const from of fromGroup) for (const to of toGroup) cut.push(link(from, to));
    }),
  );
  return cut.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/** The CLI's words for a partition: `partition n1,n2 n3`. */
export function describePartition(groups: readonly (readonly NodeId[])[]): string {
  return `partition ${groups.map((g) => g.join(',')).join(' ')}`;
}
