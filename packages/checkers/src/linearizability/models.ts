/**
 * The sequential specifications a history is checked against (pure), as Porcupine's models: an
 * initial state, and for each operation whether it could happen in a state and what state it
 * leaves. States are JSON values, compared by their JSON text (the search memoises on it).
 *
 * - register: one value, initially null. `read` must answer the value; `write` sets it; `cas
 *   [expected, new]` happens only when the value is `expected`.
 * - kv: one such state per key (the search runs key by key): `get` must answer the value (null
 *   before any put or append), `put` sets it, `append` adds its item to the list at the key.
 */
import type { HistoryModel } from '@faultline/protocol';
import type { Operation } from './operations.js';

export interface Model {
  readonly init: unknown;
  /** Whether `op` could take effect in `state`, and the state after it. */
  step(state: unknown, op: Operation): { ok: boolean; next: unknown };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const register: Model = {
  init: null,
  step(state, op) {
    switch (op.f) {
      case 'read':
      case 'get':
        return { ok: same(op.output, state), next: state };
      case 'write':
      case 'put':
        return { ok: true, next: op.input ?? null };
      case 'cas': {
        const [expected, next]: unknown[] = Array.isArray(op.input) ? (op.input as unknown[]) : [undefined, undefined];
        return same(expected, state) ? { ok: true, next: next ?? null } : { ok: false, next: state };
      }
      case 'append': {
        const list: unknown[] = Array.isArray(state) ? (state as unknown[]) : state === null ? [] : [state];
        return { ok: true, next: [...list, op.input] };
      }
    }
  },
};

export const MODELS: Record<HistoryModel, Model> = { register, kv: register };

/** Which operations a model checks together: the register all at once, the kv map key by key. */
export function partitions(model: HistoryModel, ops: readonly Operation[]): Map<string, Operation[]> {
  const parts = new Map<string, Operation[]>();
  for (const op of ops) {
    const key = model === 'kv' ? (op.key ?? '') : '';
    const part = parts.get(key);
    if (part) part.push(op);
    else parts.set(key, [op]);
  }
  return parts;
}
