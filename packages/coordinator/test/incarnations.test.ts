/**
 * Message ids across a kill and a revive, on real processes: a revived node counts its messages
 * from 1 again, so each of its lives (incarnations) has its own ids (`n2-1` …, then `n2.2-1` …),
 * and every receive in the trace pairs with exactly one send: the one it really came from.
 */
import { parseMessageId, type TraceLine } from '@faultline/protocol';
import { expect, it } from 'vitest';
import { withLab } from './support/lab.js';

type Line<K extends TraceLine['kind']> = Extract<TraceLine, { kind: K }>;

/** Each node line's incarnation: that of the node's latest `node_start` before it. */
function incarnations(trace: readonly TraceLine[]): Map<number, number> {
  const current = new Map<string, number>();
  const bySeq = new Map<number, number>();
  for (const l of trace) {
    if (l.kind === 'node_start') current.set(l.node!, l.incarnation ?? 1);
    if (l.node !== undefined && current.has(l.node)) bySeq.set(l.seq, current.get(l.node)!);
  }
  return bySeq;
}

it('n1 ↔ n2, kill n2, revive n2, n1 ↔ n2 again: every message id is unique and every receive pairs with its own send', async () => {
  await withLab({ nodes: 2 }, async (lab) => {
    for (const [from, to] of [['n1', 'n2'], ['n2', 'n1'], ['n1', 'n2']] as const) expect((await lab.rpc(from, to, 'echo', { before: true })).result.outcome).toBe('ok');
    await lab.kill('n2');
    await lab.revive('n2');
    const start = lab.trace({ node: 'n2', kinds: ['node_start'] }).at(-1)!;
    for (const [from, to] of [['n1', 'n2'], ['n2', 'n1'], ['n1', 'n2']] as const) expect((await lab.rpc(from, to, 'echo', { after: true })).result.outcome).toBe('ok');
    // A heartbeat of the revived n2 reaches n1 (its ids are counted from 1 again).
    await lab.waitForTrace((l) => l.kind === 'receive' && l.node === 'n1' && l.from === 'n2' && l.msgType === 'heartbeat', { since: start.seq, timeoutMs: 10_000 });
    await lab.stop();

    const trace = lab.trace();
    const starts = trace.filter((l): l is Line<'node_start'> => l.kind === 'node_start' && l.node === 'n2');
    expect(starts.map((l) => l.incarnation)).toEqual([1, 2]);
    const incarnationOf = incarnations(trace);

    const sends = trace.filter((l): l is Line<'send'> | Line<'failed_send'> => l.kind === 'send' || l.kind === 'failed_send');
    const ids = sends.map((l) => l.msg);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(repeated, 'message ids sent twice').toEqual([]);
    // Each id names the node and the incarnation that sent it.
    for (const s of sends) expect(parseMessageId(s.msg), `${s.msg} (#${s.seq})`).toEqual({ node: s.node, incarnation: incarnationOf.get(s.seq), counter: expect.any(Number) as number });

    const sendOf = new Map(sends.map((s) => [s.msg, s]));
    const receives = trace.filter((l): l is Line<'receive'> => l.kind === 'receive');
    for (const r of receives) {
      const s = sendOf.get(r.msg);
      expect(s, `the send of ${r.msg} received at #${r.seq}`).toBeDefined();
      // The envelope received is the one sent: same sender, type, and the sender's wall clock at the send.
      expect({ from: r.from, msgType: r.msgType, sentWall: r.sentWall }, `receive #${r.seq} of ${r.msg}`).toEqual({ from: s!.node, msgType: s!.msgType, sentWall: s!.clocks!.wallMs });
    }
    // Both of n2's lives were heard by n1.
    const heardFrom = new Set(receives.filter((r) => r.node === 'n1' && r.from === 'n2').map((r) => incarnationOf.get(sendOf.get(r.msg)!.seq)));
    expect([...heardFrom].sort()).toEqual([1, 2]);
  });
}, 60_000);
