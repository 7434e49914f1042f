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

/**
 * Which life of a node's process this is: 1 at its first start, one more at every revive. The
 * coordinator tells each process its own (`faultline-node --incarnation N`), so a revived node,
 * which starts counting its messages from 1 again, never reuses an id of an earlier life.
 */
export const incarnationSchema = z.number().int().positive().max(999_999);

/**
 * A message id: `<node>-<counter>` in a node's first incarnation (`n2-1`, `n2-2`, …) and
 * `<node>.<incarnation>-<counter>` in a later one (`n2.2-1` after the first revive, `n2.3-1` after
 * the second). Unique in a run: views pair a send with its receives by this id alone.
 */
export const MESSAGE_ID_PATTERN = /^(n[1-9][0-9]{0,3})(?:\.([2-9]|[1-9][0-9]{1,5}))?-([1-9][0-9]*)$/;

export const messageIdSchema = z.string().regex(MESSAGE_ID_PATTERN, 'expected a message id like n1-4 or n2.2-1');

/** The id of message number `counter` (from 1) of `node` in its incarnation `incarnation`. */
export function messageId(node: NodeId, incarnation: number, counter: number): string {
  return incarnation === 1 ? `${node}-${counter}` : `${node}.${incarnation}-${counter}`;
}

export interface MessageIdParts {
  readonly node: NodeId;
  readonly incarnation: number;
  readonly counter: number;
}

/** The parts of a message id (`n2.2-7` → n2, 2, 7), or undefined if it is not one. */
export function parseMessageId(id: string): MessageIdParts | undefined {
  const m = MESSAGE_ID_PATTERN.exec(id);
  if (!m) return undefined;
  return { node: m[1], incarnation: m[2] === undefined ? 1 : Number(m[2]), counter: Number(m[3]) };
}
