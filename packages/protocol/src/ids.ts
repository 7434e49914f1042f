import * as z from 'zod';

/** What a node id looks like. */
export const NODE_ID_PATTERN = /^n[1-9][0-9]{0,3}$/;

/** A node's id: `n1`, `n2`, … (the lab numbers nodes from 1). */
export const nodeIdSchema = z.string().regex(NODE_ID_PATTERN, 'expected a node id like n1');
export type NodeId = z.infer<typeof nodeIdSchema>;

/** The proxy of the directed link `from` → `to` is named `from-to` (e.g. `n1-n2`). */
export function linkName(from: NodeId, to: NodeId): string {
  return `${from}-${to}`;
}
