import type { ToxicDefinition } from './toxic.js';

export interface TimeoutAttributes { timeout: number }

/**
 * Stops all data from getting through (it is discarded) and closes the connection after `timeout`
 * ms; with `timeout` 0 the connection stays open, silent, until the other side gives up.
 * Removing the toxic closes the connections it held (Toxiproxy's Cleanup), it does not revive them.
 */
export const timeout: ToxicDefinition<TimeoutAttributes> = {
  type: 'timeout',
  goName: 'TimeoutToxic',
  attributes: { timeout: 'int64' },
  description: 'discards data and closes the connection after timeout ms (0: never)',
  closesOnRemove: true,
  create(attrs) {
    return {
      start: (nowMs) => (attrs.timeout > 0 ? [{ type: 'close', atMs: nowMs + attrs.timeout }] : []),
      data: () => [],
    };
  },
};
