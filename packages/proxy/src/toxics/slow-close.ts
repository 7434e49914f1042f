import type { ToxicDefinition } from './toxic.js';

export interface SlowCloseAttributes { delay: number }

/** Passes data, but when the input ends waits `delay` ms before closing the stream. */
export const slowClose: ToxicDefinition<SlowCloseAttributes> = {
  type: 'slow_close',
  goName: 'SlowCloseToxic',
  attributes: { delay: 'int64' },
  description: 'delays the close of the connection by delay ms',
  create(attrs) {
    return {
      data: (chunk, nowMs) => [{ type: 'emit', chunk, atMs: nowMs }],
      end: (nowMs) => [{ type: 'close', atMs: nowMs + Math.max(0, attrs.delay) }],
    };
  },
};
