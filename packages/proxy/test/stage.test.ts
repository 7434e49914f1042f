/**
 * The stage shell around a toxic: it must never carry out an unbounded number of actions in one
 * turn of the event loop (a slicer with average_size 0 or 1 turns one 64 KiB read into 65,536
 * writes), and its backpressure must weigh queued items, not only their bytes.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '@faultline/random';
import { Fifo } from '../src/link/fifo.js';
import { ITEM_COST_BYTES, MAX_ACTIONS_PER_TURN, Stage, type StageHost, type StageSink } from '../src/link/stage.js';
import { nowMs } from '../src/link/precise-timer.js';
import { slicer } from '../src/toxics/slicer.js';

function slicerStage(averageSize: number) {
  const pieces: Buffer[] = [];
  let ended = false;
  let buffered = 0;
  let maxBuffered = 0;
  const sink: StageSink = { data: (c) => pieces.push(c.data), end: () => (ended = true) };
  const host: StageHost = {
    reset: () => undefined,
    event: () => undefined,
    buffered: (d) => {
      buffered += d;
      maxBuffered = Math.max(maxBuffered, buffered);
    },
  };
  const spec = { name: 'sl', def: slicer, toxicity: 1, attributes: { average_size: averageSize, size_variation: 0, delay: 0 } };
  const stage = new Stage(spec, sink, host, createRng(1, 'stage'));
  return { stage, pieces, ended: () => ended, buffered: () => buffered, maxBuffered: () => maxBuffered };
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Stage', () => {
  for (const averageSize of [0, 1]) {
    it(`average_size ${averageSize}: writes at most ${MAX_ACTIONS_PER_TURN} slices a turn, then yields, and delivers every byte in order`, async () => {
      const s = slicerStage(averageSize);
      const data = Buffer.from(Array.from({ length: 65_536 }, (_, i) => i % 251));
      s.stage.data({ data, arrivalMs: nowMs() });
      expect(s.pieces.length).toBeLessThanOrEqual(MAX_ACTIONS_PER_TURN);
      await nextTurn();
      expect(s.pieces.length).toBeLessThanOrEqual(2 * MAX_ACTIONS_PER_TURN);
      s.stage.end();
      while (!s.ended()) await nextTurn();
      expect(s.pieces.length).toBe(65_536);
      expect(Buffer.concat(s.pieces).equals(data)).toBe(true);
      expect(s.buffered()).toBe(0);
      // The read waits in 4 KiB pieces and is cut 4,096 slices at a time (not 65,536 objects at
      // once, which kept the garbage collector busy for seconds with twenty such links); queued
      // slices weigh their objects too, for backpressure.
      expect(s.maxBuffered()).toBeGreaterThan(65_536);
      expect(s.maxBuffered()).toBeLessThanOrEqual(65_536 + 16 * ITEM_COST_BYTES + 4_096 * (1 + ITEM_COST_BYTES));
    });
  }
});

describe('Fifo', () => {
  it('keeps order across compactions and drains what is left', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    for (let i = 0; i < 3000; i++) expect(q.shift()).toBe(i);
    q.push(5000);
    expect(q.length).toBe(2001);
    expect(q.peek()).toBe(3000);
    const rest = q.drain();
    expect(rest[0]).toBe(3000);
    expect(rest.at(-1)).toBe(5000);
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
  });
});

describe('Stage removal', () => {
  it('flushes the pieces a removed slicer still queued as whole reads, not one write each', async () => {
    const s = slicerStage(1);
    const a = Buffer.alloc(65_536, 1);
    const b = Buffer.alloc(1_000, 2);
    s.stage.data({ data: a, arrivalMs: nowMs() });
    s.stage.data({ data: b, arrivalMs: nowMs() + 0.001 });
    const before = s.pieces.length;
    s.stage.remove();
    // What was written before, then the cut slices rejoined and the 4 KiB pieces still waiting.
    expect(s.pieces.length - before).toBeLessThanOrEqual(65_536 / 4_096 + 2);
    expect(Buffer.concat(s.pieces).equals(Buffer.concat([a, b]))).toBe(true);
    expect(s.buffered()).toBe(0);
    await nextTurn();
    expect(Buffer.concat(s.pieces).length).toBe(66_536);
  });
});
