import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '@faultline/random';
import { bandwidth } from '../src/toxics/bandwidth.js';
import { latency } from '../src/toxics/latency.js';
import { limitData } from '../src/toxics/limit-data.js';
import { noop } from '../src/toxics/noop.js';
import { resetPeer } from '../src/toxics/reset-peer.js';
import { slicePoints, slicer } from '../src/toxics/slicer.js';
import { slowClose } from '../src/toxics/slow-close.js';
import { timeout } from '../src/toxics/timeout.js';
import type { Action, AnyToxicDefinition, Chunk } from '../src/toxics/toxic.js';

const chunk = (size: number, arrivalMs: number, fill = 1): Chunk => ({ data: Buffer.alloc(size, fill), arrivalMs });
const emits = (actions: Action[]) => actions.filter((a): a is Extract<Action, { type: 'emit' }> => a.type === 'emit');

function runner(def: AnyToxicDefinition, attrs: Record<string, number>, seed = 1, state?: unknown) {
  return def.create(attrs, { rng: createRng(seed, 'test'), state: state ?? def.newState?.(), name: def.type });
}

describe('latency', () => {
  it('delays each chunk by latency from its arrival, in order', () => {
    const r = runner(latency, { latency: 50, jitter: 0 });
    const a = emits(r.data(chunk(10, 100), 100));
    const b = emits(r.data(chunk(10, 101), 101.5));
    expect(a[0].atMs).toBe(150);
    expect(b[0].atMs).toBe(151);
    // a chunk that reached this stage late still leaves at arrival + latency, never earlier than now
    const c = emits(r.data(chunk(10, 90), 200));
    expect(c[0].atMs).toBe(200);
  });

  it('draws jitter in [-jitter, jitter) and never reorders', () => {
    const r = runner(latency, { latency: 100, jitter: 20 }, 7);
    let last = -Infinity;
    const delays: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const [e] = emits(r.data(chunk(1, i * 50), i * 50));
      delays.push(e.atMs - i * 50);
      expect(e.atMs).toBeGreaterThanOrEqual(last);
      last = e.atMs;
    }
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...delays)).toBeLessThan(120);
    expect(new Set(delays).size).toBeGreaterThan(30);
  });

  it('passes the delayed timestamp on, so two latency toxics add up', () => {
    const first = runner(latency, { latency: 30, jitter: 0 });
    const second = runner(latency, { latency: 20, jitter: 0 });
    const [e1] = emits(first.data(chunk(1, 0), 0));
    const [e2] = emits(second.data(e1.chunk, e1.atMs));
    expect(e2.atMs).toBe(50);
  });

  it('is replayed exactly by the same seed', () => {
    const times = (seed: number) => {
      const r = runner(latency, { latency: 10, jitter: 5 }, seed);
      return Array.from({ length: 50 }, (_, i) => emits(r.data(chunk(1, i * 100), i * 100))[0].atMs);
    };
    expect(times(42)).toEqual(times(42));
    expect(times(42)).not.toEqual(times(43));
  });
});

describe('bandwidth', () => {
  it('paces chunks at rate KB/s (1 KB = 1000 bytes)', () => {
    const r = runner(bandwidth, { rate: 100 }); // 100 000 bytes/s = 100 bytes/ms
    const a = emits(r.data(chunk(1000, 0), 0));
    const b = emits(r.data(chunk(500, 0), 0));
    expect(a.map((e) => e.atMs)).toEqual([10]);
    expect(b.map((e) => e.atMs)).toEqual([15]);
    const c = emits(r.data(chunk(100, 100), 100)); // link idle again
    expect(c[0].atMs).toBe(101);
  });

  it('sends chunks larger than 100 ms of data in 100 ms slices', () => {
    const r = runner(bandwidth, { rate: 1 }); // 100 bytes per 100 ms
    const out = emits(r.data(chunk(250, 0), 0));
    expect(out.map((e) => e.chunk.data.length)).toEqual([100, 100, 50]);
    expect(out.map((e) => e.atMs)).toEqual([100, 200, 250]);
  });

  it('is unlimited at rate 0', () => {
    const r = runner(bandwidth, { rate: 0 });
    expect(emits(r.data(chunk(1e6, 5), 5))[0].atMs).toBe(5);
  });
});

describe('slow_close', () => {
  it('passes data and delays the close by delay ms', () => {
    const r = runner(slowClose, { delay: 300 });
    expect(emits(r.data(chunk(3, 0), 0))[0].atMs).toBe(0);
    expect(r.end!(10)).toEqual([{ type: 'close', atMs: 310 }]);
  });
});

describe('timeout', () => {
  it('discards data and closes after timeout ms', () => {
    const r = runner(timeout, { timeout: 1000 });
    expect(r.start!(5)).toEqual([{ type: 'close', atMs: 1005 }]);
    expect(r.data(chunk(10, 6), 6)).toEqual([]);
  });

  it('holds the connection forever with timeout 0; its removal closes the links (Toxiproxy Cleanup)', () => {
    const r = runner(timeout, { timeout: 0 });
    expect(r.start!(0)).toEqual([]);
    expect(r.data(chunk(10, 1), 1)).toEqual([]);
    expect(timeout.closesOnRemove).toBe(true);
    expect(latency.closesOnRemove).toBeUndefined();
  });
});

describe('reset_peer', () => {
  it('resets timeout ms after the first data, discarding it and all later data', () => {
    const r = runner(resetPeer, { timeout: 200 });
    expect(r.data(chunk(1, 50), 50)).toEqual([{ type: 'reset', atMs: 250 }]);
    expect(r.data(chunk(1, 60), 60)).toEqual([]);
    expect(r.end!(70)).toEqual([]);
  });

  it('also resets timeout ms after the input ends, if no data came', () => {
    expect(runner(resetPeer, { timeout: 30 }).end!(10)).toEqual([{ type: 'reset', atMs: 40 }]);
  });
});

describe('slicer', () => {
  it('slices into pieces around average_size that add up to the chunk', () => {
    const r = runner(slicer, { average_size: 10, size_variation: 5, delay: 100 }, 3);
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    const out = emits(r.data({ data, arrivalMs: 0 }, 0));
    expect(Buffer.concat(out.map((e) => e.chunk.data))).toEqual(data);
    for (const e of out) expect(e.chunk.data.length).toBeGreaterThan(0);
    expect(out.length).toBeGreaterThan(40);
    out.forEach((e, i) => expect(e.atMs).toBeCloseTo(i * 0.1, 9));
  });

  it('survives average_size 0 and a variation larger than the pieces (Toxiproxy crashes on these)', () => {
    expect(slicePoints(5, { average_size: 0, size_variation: 0, delay: 0 }, createRng(1))).toEqual([0, 1, 2, 3, 4, 5]);
    const points = slicePoints(100, { average_size: 2, size_variation: 500, delay: 0 }, createRng(1));
    expect(points[points.length - 1]).toBe(100);
  });

  it('never loses, reorders or duplicates bytes, whatever the attributes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: -5, max: 300 }), fc.integer({ min: -5, max: 600 }), fc.integer(), (len, avg, variation, seed) => {
        const points = slicePoints(len, { average_size: avg, size_variation: variation, delay: 0 }, createRng(seed));
        expect(points[0]).toBe(0);
        expect(points[points.length - 1]).toBe(len);
        for (let i = 1; i < points.length; i++) expect(points[i]).toBeGreaterThan(points[i - 1]);
      }),
    );
  });
});

describe('limit_data', () => {
  it('lets `bytes` through, truncating the chunk that crosses it, then closes', () => {
    const r = runner(limitData, { bytes: 15 });
    expect(emits(r.data(chunk(10, 0), 0)).map((e) => e.chunk.data.length)).toEqual([10]);
    const out = r.data(chunk(10, 1), 1);
    expect(emits(out).map((e) => e.chunk.data.length)).toEqual([5]);
    expect(out[out.length - 1]).toEqual({ type: 'close', atMs: 1 });
  });

  it('keeps its count across re-runs on the same link (an update raising the limit)', () => {
    const state = limitData.newState!();
    emits(runner(limitData, { bytes: 10 }, 1, state).data(chunk(8, 0), 0));
    const again = runner(limitData, { bytes: 12 }, 1, state);
    const out = again.data(chunk(8, 1), 1);
    expect(emits(out).map((e) => e.chunk.data.length)).toEqual([4]);
    expect(out.some((a) => a.type === 'close')).toBe(true);
  });

  it('closes at once when the limit is 0', () => {
    expect(runner(limitData, { bytes: 0 }).data(chunk(3, 0), 0)).toEqual([{ type: 'close', atMs: 0 }]);
  });
});

describe('noop', () => {
  it('passes chunks unchanged', () => {
    const c = chunk(4, 2);
    expect(runner(noop, {}).data(c, 3)).toEqual([{ type: 'emit', chunk: c, atMs: 3 }]);
  });
});
