/**
 * The copies a `kv` replica holds, pure: a value with its version (n, node), how versions are
 * ordered (none first, then by n, then by node), and the copy a `put` or an `append` makes from
 * the one it builds on.
 */
import { compareNodeIds } from '@faultline/clock';
import { KV_PUT, type KV_APPEND, type KvVersion, type NodeId } from '@faultline/protocol';

/** What a replica holds for a key. */
export interface Copy {
  readonly value: unknown;
  readonly version: KvVersion;
}

/** Null (no version) first, then by n, then by node. */
export function compareVersions(a: KvVersion | null | undefined, b: KvVersion | null | undefined): number {
  if (!a || !b) return (a ? 1 : 0) - (b ? 1 : 0);
  return a.n - b.n || compareNodeIds(a.node, b.node);
}

/** The copy a write by `node` makes from `base`: `put` sets, `append` adds to the list (nothing or null: the empty list). */
export function written(f: typeof KV_PUT | typeof KV_APPEND, item: unknown, base: Copy | null | undefined, node: NodeId): Copy {
  const version = { n: (base?.version.n ?? 0) + 1, node };
  if (f === KV_PUT) return { value: item, version };
  const held = base?.value ?? null;
  const list: unknown[] = Array.isArray(held) ? held : held === null ? [] : [held];
  return { value: [...list, item], version };
}
