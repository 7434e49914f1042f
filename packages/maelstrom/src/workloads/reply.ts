/**
 * Reading a workload's `_ok` reply (pure): checked against the operation's declared response
 * schema, then the history's value taken from it; a reply of the wrong shape is one line naming
 * the field (`read_ok.value: expected int, got 1.5`).
 */
import { MAELSTROM_RPCS, parseWith, type MaelstromReply, type MaelstromRpcName, type Parsed } from '@faultline/protocol';

export function okReply<N extends MaelstromRpcName>(name: N, body: unknown, pick: (reply: MaelstromReply<N>) => unknown): Parsed<unknown> {
  const rpc = MAELSTROM_RPCS[name];
  const parsed = parseWith(rpc.response, body, rpc.okType) as Parsed<MaelstromReply<N>>;
  return parsed.ok ? { ok: true, value: pick(parsed.value) } : parsed;
}

/** A uniformly drawn element of a non-empty list. */
export function pick<T>(rng: { int(n: number): number }, items: readonly T[]): T {
  return items[rng.int(items.length)];
}
