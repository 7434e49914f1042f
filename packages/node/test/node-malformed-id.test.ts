/**
 * A message that is not a valid envelope but whose JSON has an id: its `malformed` line names that
 * id, so the trace tells what became of the message (it arrived and was dropped as malformed).
 */
import type { Envelope } from '@faultline/protocol';
import { LAB_SECRET_HEADER } from '@faultline/protocol/lab-secret';
import { WebSocket } from 'ws';
import { afterEach, expect, it } from 'vitest';
import { FakeCoordinator } from './support/fake-coordinator.js';

let lab: FakeCoordinator | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

it('the malformed line of a message with a readable id carries it; one without any id does not', async () => {
  lab = await FakeCoordinator.start();
  const n1 = await lab.spawn('n1', ['--heartbeat-ms', '0', '--lab-nodes', 'n1,n2']);
  const ws = new WebSocket(`ws://127.0.0.1:${n1.port}/`, { perMessageDeflate: false, headers: { [LAB_SECRET_HEADER]: lab.secret } });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const envelope: Envelope = { id: 'n2-1', from: 'n2', to: 'n1', type: 'ping', body: {}, lamport: 5, vc: { n2: 5 }, hlc: { wallMs: Date.now(), logical: 0 }, sentWall: Date.now() };
    ws.send(JSON.stringify({ ...envelope, id: 'n2-7', type: 'x'.repeat(101) }));
    ws.send('not json at all');
    ws.send(JSON.stringify({ ...envelope, id: 42 }));
    ws.send(JSON.stringify(envelope));
    await lab.waitForTrace('n1', (t) => t.event.kind === 'receive' && t.event.msg === 'n2-1');
    const malformed = lab.events('n1', 'malformed');
    expect(malformed.map((e) => e.msg)).toEqual(['n2-7', undefined, undefined]);
    expect(malformed[0].error).toMatch(/^envelope\.type/);
  } finally {
    ws.terminate();
  }
  expect(lab.violations).toEqual([]);
});
