import type { ToxicDefinition } from './toxic.js';

export interface LatencyAttributes { latency: number; jitter: number }

/**
 * Delays every chunk by `latency` ms ± `jitter` ms, measured from when the proxy read it, in order
 * (a chunk never overtakes the one before it). Jitter is drawn like Go's `rand.Int63n(2j) - j`.
 */
export const latency: ToxicDefinition<LatencyAttributes> = {
  type: 'latency',
  goName: 'LatencyToxic',
  attributes: { latency: 'int64', jitter: 'int64' },
  description: 'delays data by latency ms, plus or minus jitter ms',
  create(attrs, { rng }) {
    let lastAtMs = -Infinity;
    return {
      data(chunk, nowMs) {
        let delayMs = attrs.latency;
        if (attrs.jitter > 0) delayMs += rng.int(attrs.jitter * 2) - attrs.jitter;
        const atMs = Math.max(chunk.arrivalMs + delayMs, nowMs, lastAtMs);
        lastAtMs = atMs;
        // Like Toxiproxy's `c.Timestamp.Add(sleep)`: a later latency toxic counts from here.
        return [{ type: 'emit', chunk: { ...chunk, arrivalMs: chunk.arrivalMs + delayMs }, atMs }];
      },
    };
  },
};
