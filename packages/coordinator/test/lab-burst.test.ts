/**
 * A burst through the real proxy: at that rate nodes report in batches and the trace is written a
 * batch at a time, and still every send and every receive is in the trace, with its clocks, in each
 * node's order, and on disk by the time the lab acts on what the node answered.
 */
import { readFileSync } from 'node:fs';
import { checkCausality } from '@faultline/checkers';
import { traceLineSchema, type TraceLine } from '@faultline/protocol';
import { expect, it } from 'vitest';
import { withLab } from './support/lab.js';

const COUNT = 3_000;

const onDisk = (file: string): TraceLine[] =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => traceLineSchema.parse(JSON.parse(l)));

it('a burst: every send and receive traced once, in order, on disk before the lab goes on', async () => {
  await withLab({ nodes: 2 }, async (lab) => {
    const since = lab.trace().at(-1)!.seq;
    let received = 0;
    let resolveAll: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    const unsubscribe = lab.subscribe((l) => {
      if (l.kind === 'receive' && l.node === 'n2' && l.msgType === 'burst' && ++received === COUNT) resolveAll();
    });
    expect(await lab.burst('n1', 'n2', COUNT)).toEqual({ sent: COUNT, failed: 0 });

    // n1 reports its sends before it answers, and the coordinator records what came before a reply
    // before it acts on the reply: the sends are all in the trace, and in the file, already.
    const sends = lab.trace({ node: 'n1', kinds: ['send'], since }).filter((l) => l.kind === 'send' && l.msgType === 'burst');
    expect(sends).toHaveLength(COUNT);
    const fileSeqs = new Set(onDisk(lab.traceFile).map((l) => l.seq));
    expect(sends.every((l) => fileSeqs.has(l.seq))).toBe(true);
    // In n1's order: ids n1-k count up with seq (a heartbeat may come between two parts of the
    // burst), every clock strictly forward.
    const counters = sends.map((l) => (l.kind === 'send' ? Number(l.msg.split('-')[1]) : NaN));
    expect(counters.every((c, i) => i === 0 || c > counters[i - 1])).toBe(true);
    expect(sends.every((l, i) => i === 0 || l.clocks!.lamport > sends[i - 1].clocks!.lamport)).toBe(true);

    await Promise.race([all, new Promise((_, reject) => setTimeout(() => reject(new Error(`${received} of ${COUNT} received`)), 20_000))]);
    unsubscribe();
    const trace = lab.trace({ since });
    const receives = trace.filter((l) => l.kind === 'receive' && l.node === 'n2' && l.msgType === 'burst');
    expect(new Set(receives.map((l) => (l.kind === 'receive' ? l.msg : ''))).size).toBe(COUNT);
    // a burst expects no reply: n2 answers none of them (no `error`, not supported)
    expect(trace.filter((l) => l.kind === 'send' && l.node === 'n2' && l.msgType !== 'heartbeat')).toEqual([]);
    // While the lab runs, a heartbeat's receive (from n2's channel) can reach the lab before its
    // send (from n1's): the whole trace is checked once the lab has stopped and every report is in.
    await lab.stop();
    expect(checkCausality(lab.trace())).toEqual([]);
    // The file has exactly the lines the lab has, in the same order.
    expect(onDisk(lab.traceFile)).toEqual(lab.trace());
  });
}, 60_000);
