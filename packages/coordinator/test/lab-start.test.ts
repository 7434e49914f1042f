import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { traceLineSchema } from '@faultline/protocol';
import { startLab } from '../src/index.js';
import { FaultlineError } from '@faultline/protocol';
import type { Lab } from '../src/lab.js';
import { childPids, discardRun, expectNothingLeft, expectValidTraceFile, logger, testConfig, withLab } from './support/lab.js';
import { heardAfter } from './support/heard.js';

describe('startLab', () => {
  it('brings up 3 nodes with every directed link connected, traced from run_start on', async () => {
    await withLab({ seed: '1234' }, async (lab) => {
      expect(lab.seed).toBe('1234');
      expect(lab.messageFaults).toBe(true);
      const first = lab.trace()[0];
      expect(first).toMatchObject({ seq: 1, kind: 'run_start', seed: '1234', config: { nodes: 3, seed: '1234' } });
      // Each sender reported every peer up.
      const ups = lab.trace({ kinds: ['peer_up'] }).map((l) => (l.kind === 'peer_up' ? `${l.node}-${l.peer}` : ''));
      expect(new Set(ups)).toEqual(new Set(lab.links.map((l) => l.name)));
      const status = await lab.status();
      expect(status.nodes.map((n) => [n.id, n.state])).toEqual([['n1', 'running'], ['n2', 'running'], ['n3', 'running']]);
      for (const n of status.nodes) {
        expect(n.status?.pid).toBe(n.pid);
        expect(Object.values(n.status?.peers ?? {}).every((p) => p.connected)).toBe(true);
      }
      expect(status.links).toHaveLength(6);
      // Heartbeats flow on every link, and an RPC gets its answer.
      for (const l of lab.links) await heardAfter(lab, l.to, l.from, first);
      const { result, trace } = await lab.rpc('n1', 'n3');
      expect(result.outcome).toBe('ok');
      expect(trace.map((l) => `${l.node} ${l.kind}`)).toEqual(['n1 send', 'n3 receive', 'n3 send', 'n1 receive']);
      for (const line of lab.trace()) expect(traceLineSchema.safeParse(line).success).toBe(true);
    });
  });

  it('supports await using, and checks ids and requests with stable error codes', async () => {
    let outside: { resources: { pids: number[]; ports: number[] }; traceFile: string; lab: Lab } | undefined;
    {
      await using lab = await startLab(testConfig({ nodes: 2 }), { logger });
      outside = { resources: lab.resources(), traceFile: lab.traceFile, lab };
      const code = async (p: Promise<unknown>): Promise<string> => p.then(() => 'none', (err: FaultlineError) => err.code);
      expect(await code(lab.kill('n7'))).toBe('unknown-node');
      expect(await code(lab.rpc('n1', 'n1'))).toBe('bad-request');
      expect(await code(lab.partition([['n1'], ['n1']]))).toBe('bad-request');
      expect(await code(lab.resume('n1'))).toBe('conflict');
      expect(await code(lab.revive('n2'))).toBe('conflict');
      expect(await code(lab.release('n1', 'n2'))).toBe('conflict');
      expect(await code(lab.clock('n1', {}))).toBe('bad-request');
      expect(await code(lab.link('n1', 'n2', {}))).toBe('bad-request');
      await expect(lab.kill('n9')).rejects.toThrow(/^no node n9 in this lab \(it has n1, n2\)$/);
    }
    await expectNothingLeft(outside.resources);
    expectValidTraceFile(outside.traceFile);
    discardRun(outside.lab);
  });

  it('refuses a bad config before starting anything', async () => {
    await expect(startLab({ nodes: 0 }, { logger })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/^config\.nodes: /) as string });
    await expect(startLab({ seed: '99999999999999999999' }, { logger })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('fails with a clear error, and leaves nothing, when a node cannot start', async () => {
    const config = testConfig({ nodes: 2 });
    const err = (await startLab(config, { logger, nodeCommand: { file: process.execPath, args: ['-e', 'process.exit(3)', '--'] } }).catch((e: unknown) => e)) as FaultlineError;
    expect(err).toBeInstanceOf(FaultlineError);
    expect(err.message).toMatch(/^the lab did not start: n[12] exited \(code 3\) before it said hello/);
    expect(await childPids()).toEqual([]);
    rmSync(config.runsDir!, { recursive: true });
  });

  it('names the links still down when they do not come up in time', async () => {
    const config = testConfig({ nodes: 2 });
    const err = (await startLab(config, { logger, linksTimeoutMs: 1 }).catch((e: unknown) => e)) as FaultlineError;
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/^the lab did not start: links still down after 1 ms: n[12]-n[12](, n[12]-n[12])? \(seed [0-9]+; logs in /);
    expect(await childPids()).toEqual([]);
    rmSync(config.runsDir!, { recursive: true });
  });
});
