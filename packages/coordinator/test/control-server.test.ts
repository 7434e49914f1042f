import type { TraceMessage } from '@faultline/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LAB_SECRET_HEADER } from '@faultline/protocol/lab-secret';
import { ControlServer } from '../src/control-server.js';
import type { NodeChannel } from '../src/node-channel.js';

const stamp = (lamport: number) => ({ trueMs: 1_000 + lamport, wallMs: 1_000 + lamport, lamport, vc: { n1: lamport }, hlc: { wallMs: 1_000 + lamport, logical: 0 } });
const send = (lamport: number): TraceMessage => ({ kind: 'trace', clocks: stamp(lamport), event: { kind: 'send', to: 'n2', msg: `n1-${lamport}`, msgType: 'burst', size: 9 } });

const SECRET = 'the-lab-secret';

/** The HTTP status a handshake with these headers gets (101: it opened). */
function handshake(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', (err) => reject(err));
  });
}

describe('ControlServer', () => {
  it("refuses a handshake without the lab's secret (401) or with an Origin header (403)", async () => {
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const hellos: string[] = [];
    const server = await ControlServer.start(
      { hello: (c) => (hellos.push(c.node), true), traces: () => undefined, settled: (_n, fn) => fn(), closed: () => undefined, service: () => undefined },
      logger,
      SECRET,
    );
    try {
      expect(await handshake(server.url, {})).toBe(401);
      expect(await handshake(server.url, { [LAB_SECRET_HEADER]: 'guess' })).toBe(401);
      expect(await handshake(server.url, { [LAB_SECRET_HEADER]: SECRET, Origin: 'http://evil.example' })).toBe(403);
      expect(await handshake(server.url, { [LAB_SECRET_HEADER]: SECRET })).toBe(101);
      expect(warnings.join('')).toContain('browsers are refused');
    } finally {
      await server.close();
    }
  });

  it('takes a batch in order: each message checked alone, a reply answered after the traces before it', async () => {
    const recorded: string[] = [];
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    let channel: NodeChannel | undefined;
    const server = await ControlServer.start(
      {
        hello: (c) => {
          channel = c;
          return true;
        },
        traces: (node, messages) => recorded.push(`${node}: ${messages.map((m) => (m.event.kind === 'send' || m.event.kind === 'local' ? m.event.kind : '?')).join(' ')}`),
        settled: (_node, fn) => fn(),
        closed: () => undefined,
      service: () => undefined,
      },
      logger,
      SECRET,
    );
    const ws = new WebSocket(server.url, { headers: { [LAB_SECRET_HEADER]: SECRET } });
    try {
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(JSON.stringify({ kind: 'hello', node: 'n1', pid: 42, port: 4242 }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      ws.on('message', (data: Buffer) => {
        const { id } = JSON.parse(data.toString()) as { id: number };
        const bad = { ...send(3), clocks: { ...stamp(3), lamport: -1 } };
        const local = { kind: 'trace', clocks: stamp(5), event: { kind: 'local', label: 'mark' } };
        ws.send(JSON.stringify({ kind: 'batch', messages: [send(1), send(2), bad, { kind: 'reply', id, ok: true, result: 'done' }, send(4), local] }));
        ws.send(JSON.stringify(send(6)));
      });
      const answered = channel!.command({ type: 'status' }, 2_000).then((result) => ({ result, recordedThen: [...recorded] }));
      // By the time the command's caller runs, the traces sent before the reply are recorded.
      const { result, recordedThen } = await answered;
      expect(result).toBe('done');
      expect(recordedThen[0]).toBe('n1: send send');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(recorded).toEqual(['n1: send send', 'n1: send local', 'n1: send']);
      expect(warnings.join('')).toContain('control message.messages.2.clocks.lamport');
    } finally {
      ws.terminate();
      await server.close();
    }
  });
});
