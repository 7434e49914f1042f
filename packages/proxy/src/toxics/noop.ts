import type { ToxicDefinition } from './toxic.js';

/** Passes every chunk through unchanged. Toxiproxy registers it, so `type: "noop"` is valid. */
export const noop: ToxicDefinition<Record<string, never>> = {
  type: 'noop',
  goName: 'NoopToxic',
  attributes: {},
  description: 'passes data through unchanged',
  create: () => ({ data: (chunk, nowMs) => [{ type: 'emit', chunk, atMs: nowMs }] }),
};
