/**
 * A forged peer: a local process (or a web page) that found a node's peer port. Without the lab's
 * secret, or with a browser's `Origin`, the handshake is refused; with the secret, an envelope
 * whose stamps are out of bounds is refused whole. Either way the node traces the refusal and its
 * reason, its clocks stay sane, and it goes on working.
 */
import { LAB_SECRET_HEADER } from '@faultline/protocol/lab-secret';
import type { Envelope, NodeStatus, TraceLine } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { useLab } from './support/lab.js';
import type { Lab } from '../src/lab.js';

/** The HTTP status a handshake on `port` with these headers gets (101: it opened; the socket is then handed back). */
function handshake(port: number, headers: Record<string, string>): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers, perMessageDeflate: false });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.once('error', reject);
  });
}

function peerPort(lab: Lab, node: string): number {
  const start = lab.trace({ node, kinds: ['node_start'] }).at(-1);
  if (start?.kind !== 'node_start') throw new Error(`no node_start of ${node}`);
  return start.port;
}

async function statusOf(lab: Lab, node: string): Promise<NodeStatus> {
  const status = (await lab.status()).nodes.find((n) => n.id === node)?.status;
  if (!status) throw new Error(`no status of ${node}`);
  return status;
}

function refusals(lab: Lab, node: string, since: number): Extract<TraceLine, { kind: 'refused' }>[] {
  return lab.trace({ node, kinds: ['refused'], since }).filter((l): l is Extract<TraceLine, { kind: 'refused' }> => l.kind === 'refused');
}

/** Waits for the `count`-th refusal at `node` after seq `since` (each line is looked at once), then answers them all. */
async function waitForRefusals(lab: Lab, node: string, since: number, count: number): Promise<Extract<TraceLine, { kind: 'refused' }>[]> {
  let seen = 0;
  await lab.waitForTrace((l) => l.node === node && l.kind === 'refused' && ++seen === count, { since, timeoutMs: 30_000, what: `${count} refusals at ${node}` });
  return refusals(lab, node, since);
}

/** Every clock value of a status is sane: nothing near 2^53, no node outside the lab, the HLC near now. */
function expectSaneClocks(status: NodeStatus): void {
  expect(status.lamport).toBeLessThan(1e9);
  expect(Object.keys(status.vc).every((k) => ['n1', 'n2', 'n3'].includes(k))).toBe(true);
  expect(Math.max(...Object.values(status.vc))).toBeLessThan(1e9);
  expect(Math.abs(status.hlc.wallMs - Date.now())).toBeLessThan(3_600_000);
  expect(status.hlc.logical).toBeLessThan(1e9);
}

describe('a forged peer', () => {
  const theLab = useLab();

  it('is refused at the handshake with an Origin header (403) or without the secret (401), and the node traces why', async () => {
    const lab = theLab();
    const since = lab.trace().at(-1)!.seq;
    const port = peerPort(lab, 'n1');
    expect((await handshake(port, { [LAB_SECRET_HEADER]: lab.labSecret(), Origin: 'http://evil.example' })).status).toBe(403);
    expect((await handshake(port, {})).status).toBe(401);
    expect((await handshake(port, { [LAB_SECRET_HEADER]: 'a guess' })).status).toBe(401);
    const lines = await waitForRefusals(lab, 'n1', since, 3);
    expect(lines.map((l) => [l.stage, l.reason])).toEqual([
      ['handshake', 'an Origin header ("http://evil.example"): browsers are refused'],
      ['handshake', `no ${LAB_SECRET_HEADER} header: the lab's secret is required`],
      ['handshake', `a wrong ${LAB_SECRET_HEADER}`],
    ]);

    // The same through the proxy of link n2 → n1: it passes the handshake on, and n1's answer back.
    const proxies = (await (await fetch(`${lab.proxyUrl}/proxies`)).json()) as Record<string, { listen: string }>;
    const linkPort = Number(proxies['n2-n1'].listen.split(':').at(-1));
    expect((await handshake(linkPort, { [LAB_SECRET_HEADER]: lab.labSecret(), Origin: 'http://evil.example' })).status).toBe(403);
    expect((await handshake(linkPort, {})).status).toBe(401);
    expect((await waitForRefusals(lab, 'n1', since, 5)).slice(3).map((l) => l.reason)).toEqual([lines[0].reason, lines[1].reason]);
    expect((await lab.rpc('n2', 'n1')).result.outcome).toBe('ok');
  });

  it('with the secret, an envelope out of bounds is refused whole; the clocks stay sane and RPCs go on', async () => {
    const lab = theLab();
    const since = lab.trace().at(-1)!.seq;
    const { status, ws } = await handshake(peerPort(lab, 'n1'), { [LAB_SECRET_HEADER]: lab.labSecret() });
    expect(status).toBe(101);
    const base: Envelope = { id: 'n2-1', from: 'n2', to: 'n1', type: 'ping', body: {}, lamport: 1, vc: { n2: 1 }, hlc: { wallMs: Date.now(), logical: 0 }, sentWall: Date.now() };
    const wideVc = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`n${i + 1}`, 1]));
    const forged: [Partial<Envelope>, RegExp][] = [
      [{ id: 'n2-900001', lamport: Number.MAX_SAFE_INTEGER }, /^lamport: 9007199254740991 is past the bound/],
      [{ id: 'n2-900002', vc: { n2: 1, mallory: 1 } }, /^vc: key "mallory" is not a node of this lab \(n1, n2, n3\)$/],
      [{ id: 'n2-900003', vc: { n2: Number.MAX_SAFE_INTEGER } }, /^vc\.n2: 9007199254740991 is past the bound/],
      [{ id: 'n2-900004', vc: wideVc }, /^vc: 20000 entries, but this lab has 3 nodes$/],
      [{ id: 'n2-900005', hlc: { wallMs: 1e300, logical: 0 } }, /^hlc\.wallMs: 1e\+300 is .* ms ahead of this node's wall clock; at most 604800000 ms/],
      [{ id: 'n2-900006', from: 'n7', vc: {} }, /^from: "n7" is not a node of this lab/],
      [{ id: 'n2-900007', sentWall: 1e300 }, /^sentWall: 1e\+300 is ahead of the message's own hlc\.wallMs/],
    ];
    try {
      for (const [fields] of forged) ws!.send(JSON.stringify({ ...base, ...fields }));
      await waitForRefusals(lab, 'n1', since, forged.length);
    } finally {
      ws!.terminate();
    }
    const lines = refusals(lab, 'n1', since);
    expect(lines.map((l) => l.msg)).toEqual(forged.map(([f]) => f.id));
    lines.forEach((line, i) => {
      expect(line.stage).toBe('envelope');
      expect(line.reason).toMatch(forged[i][1]);
    });
    // None of them was received, so none reached a behaviour or a clock.
    const ids = new Set(forged.map(([f]) => f.id));
    expect(lab.trace({ node: 'n1', kinds: ['receive'], since }).filter((l) => l.kind === 'receive' && ids.has(l.msg))).toEqual([]);
    expectSaneClocks(await statusOf(lab, 'n1'));

    // Both ways, the node still works, and so do its peers' clocks after hearing from it.
    expect((await lab.rpc('n2', 'n1')).result.outcome).toBe('ok');
    expect((await lab.rpc('n1', 'n3')).result.outcome).toBe('ok');
    for (const node of ['n1', 'n2', 'n3']) expectSaneClocks(await statusOf(lab, node));
  });
});
