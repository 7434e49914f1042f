/**
 * Lamport and vector clocks against the definition of happened-before, over random executions
 * (see support/execution.ts). The execution's own causal graph decides e → f; the clocks only
 * stamp events the way a real run does. Each check collects the pairs that break it, so a failure
 * names the events (and fast-check prints the seed and the shrunk command list to replay it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, happenedBefore } from '../src/index.js';
import { commandsArb, configArb, nodeName, runExecution, type ExecEvent } from './support/execution.js';

const executions = fc.record({
  config: configArb({ maxOffsetMs: 0, maxDriftPpm: 0 }),
  cmds: commandsArb(40),
});

const show = (e: ExecEvent): string => `#${e.id} ${e.kind}@${nodeName(e.process)}`;

describe('happened-before over random executions', () => {
  it('is a strict partial order (irreflexive, asymmetric, transitive), read off the vector clocks', () => {
    fc.assert(
      fc.property(executions, ({ config, cmds }) => {
        const events = runExecution(config, cmds).events;
        const before = events.map((e) => events.map((f) => happenedBefore(e.vc, f.vc)));
        const broken: string[] = [];
        for (const e of events) {
          if (before[e.id][e.id]) broken.push(`irreflexive: ${show(e)}`);
          for (const f of events) {
            if (!before[e.id][f.id]) continue;
            if (before[f.id][e.id]) broken.push(`asymmetric: ${show(e)}, ${show(f)}`);
            for (const g of events) {
              if (before[f.id][g.id] && !before[e.id][g.id]) broken.push(`transitive: ${show(e)}, ${show(f)}, ${show(g)}`);
            }
          }
        }
        expect(broken).toEqual([]);
      }),
    );
  });

  it('e → f (graph reachability) iff vc(e) < vc(f); otherwise the pair is concurrent', () => {
    fc.assert(
      fc.property(executions, ({ config, cmds }) => {
        const execution = runExecution(config, cmds);
        const hb = execution.happensBefore();
        const broken: string[] = [];
        for (const e of execution.events) {
          for (const f of execution.events) {
            const order = compare(e.vc, f.vc);
            const expected =
              e.id === f.id ? 'equal' : hb[e.id][f.id] ? 'before' : hb[f.id][e.id] ? 'after' : 'concurrent';
            if (order !== expected) broken.push(`${show(e)} vs ${show(f)}: vc says ${order}, graph says ${expected}`);
          }
        }
        expect(broken).toEqual([]);
      }),
    );
  });

  it('Lamport order extends happened-before: e → f ⇒ L(e) < L(f)', () => {
    fc.assert(
      fc.property(executions, ({ config, cmds }) => {
        const execution = runExecution(config, cmds);
        const hb = execution.happensBefore();
        const broken: string[] = [];
        for (const e of execution.events) {
          for (const f of execution.events) {
            if (hb[e.id][f.id] && !(e.lamport < f.lamport)) {
              broken.push(`${show(e)} → ${show(f)} but L = ${e.lamport}, ${f.lamport}`);
            }
          }
        }
        expect(broken).toEqual([]);
      }),
    );
  });

  it('generates executions with messages delivered, reordered and concurrent events', () => {
    // Guard against a generator that silently produces only trivial runs.
    const samples = fc.sample(executions, { numRuns: 200, seed: 42 }).map(({ config, cmds }) => runExecution(config, cmds));
    const events = samples.flatMap((x) => x.events);
    const withConcurrency = samples.filter((x) =>
      x.events.some((e) => x.events.some((f) => compare(e.vc, f.vc) === 'concurrent')),
    ).length;
    const reordered = samples.filter((x) =>
      x.events.some((r) => x.events.some((q) => r.sendId !== undefined && q.sendId !== undefined && r.process === q.process && r.id < q.id && r.sendId > q.sendId)),
    ).length;
    expect(events.filter((e) => e.kind === 'receive').length).toBeGreaterThan(400);
    expect(Math.max(...samples.map((x) => x.events.length))).toBeGreaterThanOrEqual(30);
    expect(withConcurrency).toBeGreaterThan(100);
    expect(reordered).toBeGreaterThan(10);
  });
});
