import type { Action, ToxicDefinition } from './toxic.js';

export interface LimitDataAttributes { bytes: number }

interface LimitDataState { transmitted: number }

/**
 * Lets `bytes` bytes through, then closes the connection. The count is kept per link across
 * updates (Toxiproxy's StatefulToxic), so raising the limit lets more through on the same link.
 */
export const limitData: ToxicDefinition<LimitDataAttributes> = {
  type: 'limit_data',
  goName: 'LimitDataToxic',
  attributes: { bytes: 'int64' },
  newState: (): LimitDataState => ({ transmitted: 0 }),
  description: 'closes the connection after bytes bytes have passed',
  create(attrs, ctx) {
    const state = ctx.state as LimitDataState;
    return {
      data(chunk, nowMs) {
        const remaining = Math.max(0, attrs.bytes - state.transmitted);
        const data = remaining < chunk.data.length ? chunk.data.subarray(0, remaining) : chunk.data;
        const actions: Action[] = [];
        if (data.length > 0) {
          actions.push({ type: 'emit', chunk: { ...chunk, data }, atMs: nowMs });
          state.transmitted += data.length;
        }
        if (attrs.bytes - state.transmitted <= 0) actions.push({ type: 'close', atMs: nowMs });
        return actions;
      },
    };
  },
};
