/**
 * The sequential specifications a history is checked against (pure), as Porcupine's models: an
 * initial state, and for each operation whether it could happen in a state and what state it
 * leaves. States are JSON values, compared by their JSON text.
 *
 * - register: one value, initially null. `read` must answer the value; `write` sets it; `cas
 *   [expected, new]` happens only when the value is `expected`.
 * - kv: one such state per key (the search runs key by key): `get` must answer the value (null
 *   before any put or append), `put` sets it, `append` adds its item to the list at the key.
 *
 * For speed the search never handles the values themselves: a model is compiled against one
 * partition's operations into a step on small integers. Each distinct JSON text (a state, or a
 * value a read or a cas compares the state with) is interned once as an integer, so comparing
 * states is comparing integers, and the text of a state is made only when an operation builds a
 * new one (an append), once per (state, operation).
 */
import type { HistoryModel } from '@faultline/protocol';
import type { Operation } from './operations.js';

/** Distinct JSON texts as small integers (0, 1, 2…), with a value for each. */
export class Interned {
  private readonly ids = new Map<string | undefined, number>();
  /** The value interned first under each integer (its JSON text is the integer's meaning). */
  readonly values: unknown[] = [];

  id(value: unknown): number {
    const v = value ?? null;
    const text = JSON.stringify(v) as string | undefined;
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(text, id);
      this.values.push(v);
    }
    return id;
  }
}

/** A model compiled for one partition's operations: states are integers. */
export interface CompiledModel {
  readonly init: number;
  /** The state after operation `op` (its index in the compiled list) in `state`, or -1 when it cannot take effect there. */
  step(state: number, op: number): number;
}

export interface Model {
  compile(ops: readonly Operation[]): CompiledModel;
}

const READ = 0;
const WRITE = 1;
const CAS = 2;
const APPEND = 3;

const register: Model = {
  compile(ops) {
    const interned = new Interned();
    const init = interned.id(null);
    const kind = new Uint8Array(ops.length);
    // read: a = the answer; write: b = the new state; cas: a = expected, b = new.
    const a = new Int32Array(ops.length).fill(-1);
    const b = new Int32Array(ops.length).fill(-1);
    ops.forEach((op, i) => {
      switch (op.f) {
        case 'read':
        case 'get':
          kind[i] = READ;
          a[i] = interned.id(op.output);
          break;
        case 'write':
        case 'put':
          kind[i] = WRITE;
          b[i] = interned.id(op.input);
          break;
        case 'cas': {
          const [expected, next]: unknown[] = Array.isArray(op.input) ? (op.input as unknown[]) : [undefined, undefined];
          kind[i] = CAS;
          a[i] = interned.id(expected);
          b[i] = interned.id(next);
          break;
        }
        case 'append':
          kind[i] = APPEND;
          break;
      }
    });
    // An append's state depends on the state before it: computed once per (state, append).
    const appended = new Map<number, number>();
    const n = ops.length;
    return {
      init,
      step(state, op) {
        switch (kind[op]) {
          case READ:
            return a[op] === state ? state : -1;
          case WRITE:
            return b[op];
          case CAS:
            return a[op] === state ? b[op] : -1;
          default: {
            const key = state * n + op;
            let next = appended.get(key);
            if (next === undefined) {
              const value = interned.values[state];
              const list: unknown[] = Array.isArray(value) ? (value as unknown[]) : value === null ? [] : [value];
              next = interned.id([...list, ops[op].input]);
              appended.set(key, next);
            }
            return next;
          }
        }
      },
    };
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
