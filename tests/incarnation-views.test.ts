/**
 * Every view of a run pairs a send with its receives by the full message id, across a kill and a
 * revive: a real lab (n1 ↔ n2, kill n2, revive n2, n1 ↔ n2 again, then a request of the revived n2
 * that the proxy drops), its trace fed to the dashboard's model and layout, the ShiViz export and
 * the ambiguity lens. A revived node counts its messages from 1 again; before its ids carried its
 * incarnation, its new sends took the ids of old ones, and the views joined them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { truthOf } from '@faultline/checkers';
import { startLab } from '@faultline/coordinator';
import { checkShiviz, layoutDiagram, toShiviz, TraceModel } from '@faultline/dashboard';
import type { TraceLine } from '@faultline/protocol';
import { pino } from 'pino';
import { expect, it } from 'vitest';

type Line<K extends TraceLine['kind']> = Extract<TraceLine, { kind: K }>;

/** A receive is of this send: same message, same sender, and the sender's wall clock at the send. */
function expectPair(send: TraceLine | undefined, receive: TraceLine | undefined, where: string): void {
  expect(send?.kind, `${where}: the send end`).toBe('send');
  expect(receive?.kind, `${where}: the receive end`).toBe('receive');
  const s = send as Line<'send'>;
  const r = receive as Line<'receive'>;
  expect({ msg: r.msg, from: r.from, sentWall: r.sentWall }, where).toEqual({ msg: s.msg, from: s.node, sentWall: s.clocks!.wallMs });
  expect(r.trueMs, `${where}: received before it was sent`).toBeGreaterThanOrEqual(s.trueMs);
}

it('the dashboard, the ShiViz export and the lens pair sends and receives right across a kill and a revive', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'faultline-incarnations-'));
  const lab = await startLab({ nodes: 2, seed: '11', runsDir, heartbeatMs: 100, rpcTimeoutMs: 400 }, { logger: pino({ level: 'silent' }) });
  try {
    for (let i = 0; i < 4; i++) {
      expect((await lab.rpc('n1', 'n2', 'echo', { i })).result.outcome).toBe('ok');
      expect((await lab.rpc('n2', 'n1', 'echo', { i })).result.outcome).toBe('ok');
    }
    await lab.kill('n2');
    await lab.revive('n2');
    const start = lab.trace({ node: 'n2', kinds: ['node_start'] }).at(-1)!;
    expect((await lab.rpc('n1', 'n2', 'echo', { again: true })).result.outcome).toBe('ok');
    expect((await lab.rpc('n2', 'n1', 'echo', { again: true })).result.outcome).toBe('ok');
    await lab.waitForTrace((l) => l.kind === 'receive' && l.node === 'n1' && l.from === 'n2' && l.msgType === 'heartbeat', { since: start.seq, timeoutMs: 10_000 });
    await lab.link('n2', 'n1', { dropPct: 100, both: false });
    const dropped = await lab.rpc('n2', 'n1', 'ping', {}, 300);
    expect(dropped.result.outcome).toBe('timeout');
    await lab.stop();
    const trace = lab.trace();

    // The dashboard's model: each message's receives are of its send.
    const model = new TraceModel();
    model.add(trace);
    let pairs = 0;
    for (const m of model.messages.values()) {
      for (const r of m.receives) {
        expectPair(m.send, r, `message ${m.msg}`);
        pairs += 1;
      }
    }
    expect(pairs).toBeGreaterThan(20);
    // Its layout: every arrow runs from a send to a receive of that send, never up the page.
    const layout = layoutDiagram(model, { t0: model.firstMs, t1: model.lastMs, width: 600, height: 4_000, hideHeartbeats: false });
    const arrows = layout.arrows.filter((a) => a.kind === 'message' || a.kind === 'duplicate' || a.kind === 'late');
    expect(arrows.length).toBeGreaterThanOrEqual(20);
    for (const a of arrows) {
      expectPair(model.line(a.fromSeq!), model.line(a.toSeq!), `arrow of ${a.msg}`);
      expect(a.y2, `arrow of ${a.msg}`).toBeGreaterThanOrEqual(a.y1);
    }
    // The ShiViz export keeps ShiViz's rules (a receive after its send, by the clocks too).
    expect(checkShiviz(toShiviz(trace, { hideHeartbeats: false }))).toEqual([]);
    // The lens: the revived n2's request was dropped on the way; its evidence is that send, not an older one.
    const requestId = dropped.result.requestIds[0];
    const truth = truthOf(trace, requestId, 'n2', 'n1');
    expect(truth.truth).toBe('request_dropped');
    const send = trace.find((l) => l.seq === truth.evidence[0]);
    expect(send).toMatchObject({ kind: 'send', node: 'n2', msg: requestId });
    expect(send!.seq).toBeGreaterThan(start.seq);
  } finally {
    await lab.stop();
    rmSync(runsDir, { recursive: true, force: true });
  }
}, 60_000);
