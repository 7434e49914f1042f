/**
 * lin-tso: a linearizable timestamp oracle. `ts` → `ts_ok {ts}`: 0, 1, 2 … one more for each
 * request, in the order the service handles them (so every timestamp is greater than every one
 * answered before, across all clients). Another type: error 10 not-supported.
 */
import { MAELSTROM_ERROR_CODE, MAELSTROM_RPCS } from '@faultline/protocol';
import { show } from '../json.js';
import { errorTo, replyTo, type Service } from './service.js';

export interface LinTsoState {
  /** The timestamp the next `ts` gets. */
  readonly next: number;
}

export const linTsoService: Service<LinTsoState> = {
  name: 'lin-tso',
  doc: 'a timestamp oracle: each `ts` answers an integer greater than every one before',
  init: () => ({ next: 0 }),
  handle(state, request) {
    if (request.body.type !== MAELSTROM_RPCS.ts.type) return { state, reply: errorTo(request, MAELSTROM_ERROR_CODE['not-supported'], `lin-tso does not support ${show(request.body.type)}: only ts`) };
    return { state: { next: state.next + 1 }, reply: replyTo(request, { type: MAELSTROM_RPCS.ts.okType, ts: state.next }) };
  },
};
