import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FaultlineError } from '@faultline/protocol';
import { allLinks, nodeIds } from '../src/links.js';
import { cutLinks, describePartition, partitionGroups } from '../src/partition.js';

const names = (links: { name: string }[]): string[] => links.map((l) => l.name).sort();

describe('partitionGroups', () => {
  it('adds the nodes nobody named as one more group', () => {
    expect(partitionGroups(nodeIds(5), [['n1', 'n2'], ['n4']])).toEqual([['n1', 'n2'], ['n4'], ['n3', 'n5']]);
  });

  it('adds no empty group when every node is named', () => {
    expect(partitionGroups(nodeIds(3), [['n1'], ['n2', 'n3']])).toEqual([['n1'], ['n2', 'n3']]);
  });

  it('refuses unknown nodes, a node in two groups, and empty groups, with stable codes', () => {
    const code = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (err) {
        return (err as FaultlineError).code;
      }
      return undefined;
    };
    expect(code(() => partitionGroups(nodeIds(3), [['n1'], ['n9']]))).toBe('unknown-node');
    expect(code(() => partitionGroups(nodeIds(3), [['n1'], ['n1', 'n2']]))).toBe('bad-request');
    expect(code(() => partitionGroups(nodeIds(3), [[]]))).toBe('bad-request');
  });
});

describe('cutLinks', () => {
  it('one node against the rest cuts exactly its links, both ways', () => {
    const cut = cutLinks(partitionGroups(nodeIds(3), [['n1']]));
    expect(names(cut)).toEqual(['n1-n2', 'n1-n3', 'n2-n1', 'n3-n1']);
  });

  it('cuts nothing inside a group', () => {
    expect(cutLinks([nodeIds(4)])).toEqual([]);
  });

  it('describes a partition in the CLI words, unnamed group included', () => {
    expect(describePartition(partitionGroups(nodeIds(4), [['n1', 'n2']]))).toBe('partition n1,n2 n3,n4');
  });

  it('for any grouping: a link is cut exactly when its ends are in different groups', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }))),
        ([n, groupOf]) => {
          const ids = nodeIds(n);
          // Group 0 is "not named": those nodes must end up in the extra group.
          const named = [1, 2, 3].map((g) => ids.filter((_, i) => groupOf[i] === g)).filter((g) => g.length > 0);
          const groups = partitionGroups(ids, named);
          const groupIndex = new Map(groups.flatMap((g, i) => g.map((id) => [id, i] as const)));
          const cut = new Set(cutLinks(groups).map((l) => l.name));
          for (const l of allLinks(ids)) expect(cut.has(l.name)).toBe(groupIndex.get(l.from) !== groupIndex.get(l.to));
          expect(groups.flat().sort()).toEqual([...ids].sort());
        },
      ),
    );
  });
});
