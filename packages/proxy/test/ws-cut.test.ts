/** ws_cut: every byte vanishes; each whole data message it swallows is one `dropped` event, reason `cut`. */
import { createRng } from '@faultline/random';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../src/toxics/toxic.js';
import { wsCutToxic } from '../src/toxics/ws-cut.js';

const msg = (id: string, type: string): Chunk => ({ data: Buffer.from(`{"id":"${id}"}`), arrivalMs: 0, unit: { kind: 'message', opcode: 1, payloadSize: 11, frames: 1, id, type } });

describe('ws_cut', () => {
  it('passes nothing on; reports each data message, never a control frame or raw bytes', () => {
    const r = wsCutToxic.create({}, { rng: createRng(1, 'test'), state: undefined, name: 'faultline-cut' });
    const chunks: Chunk[] = [
      msg('n1-1', 'ping'),
      { data: Buffer.from([0x89, 0x00]), arrivalMs: 0, unit: { kind: 'control', opcode: 9 } },
      { data: Buffer.from('zz'), arrivalMs: 0, unit: { kind: 'raw' } },
      { data: Buffer.from('plain'), arrivalMs: 0 },
      msg('n1-2', 'heartbeat'),
    ];
    const actions = chunks.flatMap((c) => r.data(c, 5));
    expect(actions).toEqual([
      { type: 'event', event: { action: 'dropped', toxic: 'faultline-cut', size: 11, opcode: 1, id: 'n1-1', msgType: 'ping', reason: 'cut' } },
      { type: 'event', event: { action: 'dropped', toxic: 'faultline-cut', size: 11, opcode: 1, id: 'n1-2', msgType: 'heartbeat', reason: 'cut' } },
    ]);
    // As Toxiproxy's timeout: removing it closes the connection rather than reviving it.
    expect(wsCutToxic.closesOnRemove).toBe(true);
  });
});
