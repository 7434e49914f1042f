/**
 * lin-kv: a linearizable key-value store. One copy of the map; each request is applied to it at
 * the moment the service handles it (the shell handles requests one at a time, in arrival
 * order), so every operation takes effect at one instant between its request and its reply.
 * Semantics of read, write and cas (with `create_if_not_exists`): kv-store.ts.
 */
import { kvStep, type KvEntry, type KvMap } from './kv-store.js';
import type { Service } from './service.js';

export interface LinKvState {
  readonly map: KvMap;
}

const entry = (key: unknown, value: unknown): KvEntry => ({ key, value });

export const linKvService: Service<LinKvState> = {
  name: 'lin-kv',
  doc: 'a linearizable key-value store: read, write, cas on any key, as if one copy answered everyone in real-time order',
  init: () => ({ map: new Map() }),
  handle(state, request) {
    const step = kvStep(state.map, request, entry, 'lin-kv');
    return { state: step.changed ? { map: step.map } : state, reply: step.reply };
  },
};
