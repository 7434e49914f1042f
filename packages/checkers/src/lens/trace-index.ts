/** Finding the lines about one message in a trace (pure). */
import type { NodeId, TraceLine } from '@faultline/protocol';

type Kind = TraceLine['kind'];
export type LineOf<K extends Kind> = Extract<TraceLine, { kind: K }>;

/** The message id a line is about (`msg`), as a string. */
export function msgOf(line: TraceLine): string | undefined {
  const value = (line as { msg?: unknown }).msg;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export function linesOf<K extends Kind>(lines: readonly TraceLine[], kind: K, where: (line: LineOf<K>) => boolean = () => true): LineOf<K>[] {
  return lines.filter((l): l is LineOf<K> => l.kind === kind && where(l as LineOf<K>));
}

export function firstOf<K extends Kind>(lines: readonly TraceLine[], kind: K, where: (line: LineOf<K>) => boolean = () => true): LineOf<K> | undefined {
  return lines.find((l): l is LineOf<K> => l.kind === kind && where(l as LineOf<K>));
}

/** The proxy's actions on message `msg`, in order. */
export function proxyActions(lines: readonly TraceLine[], msg: string): LineOf<'proxy'>[] {
  return linesOf(lines, 'proxy', (l) => l.msg !== undefined && String(l.msg) === msg);
}

/** Link name `n1-n2` for the direction `from` → `to`. */
export function linkName(from: NodeId, to: NodeId): string {
  return `${from}-${to}`;
}

/**
 * The cut in force on `link` at line `seq`, if any: the fault line that made it. As the lab keeps
 * them, a partition replaces the last partition, a block adds to what is cut, heal ends both.
 */
export function cutInForce(lines: readonly TraceLine[], link: string, seq: number): LineOf<'fault'> | undefined {
  let partition: LineOf<'fault'> | undefined;
  let block: LineOf<'fault'> | undefined;
  for (const l of lines) {
    if (l.seq > seq) break;
    if (l.kind !== 'fault') continue;
    if (l.action === 'set' && l.fault.startsWith('partition')) partition = l.links.includes(link) ? l : undefined;
    else if (l.action === 'set' && l.fault.startsWith('block') && l.links.includes(link)) block = l;
    else if (l.action === 'clear' && l.fault === 'heal') partition = block = undefined;
  }
  return block ?? partition;
}
