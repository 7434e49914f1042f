import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridTopology, lineTopology, topology, TOPOLOGIES, totalTopology, treeTopology } from '../../src/workloads/topology.js';
import { WORKLOADS } from '../../src/workloads/registry.js';

const nodes = (n: number) => Array.from({ length: n }, (_, i) => `n${i + 1}`);

describe("broadcast's topologies", () => {
  it('line, grid, tree4 and total for five nodes, as Maelstrom lays them out', () => {
    expect(lineTopology(nodes(5))).toEqual({ n1: ['n2'], n2: ['n1', 'n3'], n3: ['n2', 'n4'], n4: ['n3', 'n5'], n5: ['n4'] });
    // A 3-wide grid: n1 n2 n3 / n4 n5.
    expect(gridTopology(nodes(5))).toEqual({ n1: ['n4', 'n2'], n2: ['n5', 'n3', 'n1'], n3: ['n2'], n4: ['n1', 'n5'], n5: ['n2', 'n4'] });
    expect(treeTopology(nodes(7), 4)).toEqual({ n1: ['n2', 'n3', 'n4', 'n5'], n2: ['n1', 'n6', 'n7'], n3: ['n1'], n4: ['n1'], n5: ['n1'], n6: ['n2'], n7: ['n2'] });
    expect(topology('tree', nodes(4))).toEqual(treeTopology(nodes(4), 2));
    expect(totalTopology(nodes(3))).toEqual({ n1: ['n2', 'n3'], n2: ['n1', 'n3'], n3: ['n1', 'n2'] });
    expect(lineTopology(['n1'])).toEqual({ n1: [] });
  });

  it('gives every node an entry, never itself, neighbours both ways, and connects everyone (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.constantFrom(...TOPOLOGIES), (n, name) => {
        const ids = nodes(n);
        const topo = topology(name, ids);
        expect(Object.keys(topo).sort()).toEqual([...ids].sort());
        for (const [node, neighbours] of Object.entries(topo)) {
          expect(neighbours).not.toContain(node);
          for (const other of neighbours) expect(topo[other]).toContain(node);
        }
        const reached = new Set(['n1']);
        const queue = ['n1'];
        while (queue.length > 0) for (const next of topo[queue.shift()!]) if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
        expect(reached.size).toBe(n);
        if (name.startsWith('tree')) expect(Object.values(topo).flat().length).toBe(2 * (n - 1));
      }),
    );
  });

  it('is sent to every node once by the broadcast workload, the whole map to each (grid by default)', () => {
    const setup = WORKLOADS.broadcast.setup({ nodeIds: nodes(3) });
    expect(setup).toEqual(nodes(3).map((node) => ({ node, body: { type: 'topology', topology: gridTopology(nodes(3)) } })));
    expect(WORKLOADS.broadcast.setup({ nodeIds: nodes(3), topology: 'line' })[0].body.topology).toEqual(lineTopology(nodes(3)));
    expect(WORKLOADS.echo.setup({ nodeIds: nodes(3) })).toEqual([]);
  });
});
