/**
 * The other events of a node at the same instant as one of them (pure). A node traces some events
 * in the same millisecond (a register's write and its own decision on it): the diagram draws them
 * as one mark, so the selected-event panel offers the others by name.
 */
import type { TraceLine } from '@faultline/protocol';
import type { TraceModel } from './trace-model.js';

/** `line`'s node's other events at `line`'s true time, in trace order (none for a lab event). */
export function sameInstant(model: TraceModel, line: TraceLine): TraceLine[] {
  if (!line.node) return [];
  const out: TraceLine[] = [];
  for (let i = model.indexAt(line.trueMs); i < model.lines.length && model.lines[i].trueMs === line.trueMs; i++) {
    const l = model.lines[i];
    if (l.node === line.node && l.seq !== line.seq) out.push(l);
  }
  return out;
}
