import type { ToxicDefinition } from './toxic.js';

export interface ResetPeerAttributes { timeout: number }

/**
 * On the first data after it is attached, waits `timeout` ms and then resets the connection with a
 * TCP RST (SO_LINGER 0). That chunk and everything after it is discarded.
 */
export const resetPeer: ToxicDefinition<ResetPeerAttributes> = {
  type: 'reset_peer',
  goName: 'ResetToxic',
  attributes: { timeout: 'int64' },
  description: 'resets the connection (TCP RST) timeout ms after data arrives',
  create(attrs) {
    let fired = false;
    return {
      data(_chunk, nowMs) {
        if (fired) return [];
        fired = true;
        return [{ type: 'reset', atMs: nowMs + Math.max(0, attrs.timeout) }];
      },
      // Toxiproxy's select also wakes on the end of the input (a nil chunk): reset after timeout.
      end(nowMs) {
        if (fired) return [];
        fired = true;
        return [{ type: 'reset', atMs: nowMs + Math.max(0, attrs.timeout) }];
      },
    };
  },
};
