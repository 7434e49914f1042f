import type { Action, ToxicDefinition } from './toxic.js';

export interface BandwidthAttributes { rate: number }

/**
 * Limits the rate to `rate` KB/s (1 KB = 1000 bytes, as Toxiproxy computes `len * 1ms / rate`).
 * A chunk leaves when its last byte would have crossed a link of that rate; chunks larger than
 * 100 ms worth of data go out in 100 ms slices, as Toxiproxy does. `rate <= 0` means unlimited.
 */
export const bandwidth: ToxicDefinition<BandwidthAttributes> = {
  type: 'bandwidth',
  goName: 'BandwidthToxic',
  attributes: { rate: 'int64' },
  description: 'limits the rate to rate KB/s',
  create(attrs) {
    let freeAtMs = -Infinity;
    return {
      data(chunk, nowMs) {
        const rate = attrs.rate;
        if (rate <= 0) {
          freeAtMs = Math.max(freeAtMs, nowMs);
          return [{ type: 'emit', chunk, atMs: freeAtMs }];
        }
        const actions: Action[] = [];
        let t = Math.max(freeAtMs, nowMs);
        const slice = rate * 100;
        let data = chunk.data;
        while (data.length > slice) {
          t += 100;
          actions.push({ type: 'emit', chunk: { ...chunk, data: data.subarray(0, slice) }, atMs: t });
          data = data.subarray(slice);
        }
        t += data.length / rate;
        actions.push({ type: 'emit', chunk: { ...chunk, data }, atMs: t });
        freeAtMs = t;
        return actions;
      },
    };
  },
};
