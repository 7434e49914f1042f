/**
 * When each link was cut (pure), read from the trace's `fault` lines: a `partition` replaces the
 * previous partition, a `block` adds one link, `heal` ends both (as the coordinator's FaultBook
 * does). Link faults (`link …`, `hold`, `clock …`) do not cut a link.
 */
import type { TraceLine } from '@faultline/protocol';

export interface CutWindow {
  /** The directed link, `n1-n2`. */
  readonly link: string;
  /** The `fault` line that cut it, in the CLI's words (`partition n1 n2,n3`). */
  readonly fault: string;
  readonly fromSeq: number;
  readonly fromMs: number;
  /** The `heal` line that ended it; undefined while it is still cut at the end of the trace. */
  readonly toSeq?: number;
  readonly toMs?: number;
}

interface Open {
  fault: string;
  fromSeq: number;
  fromMs: number;
  by: 'partition' | 'block';
}

/** Every window in which a link was cut, in the order they began. */
export function cutWindows(lines: Iterable<TraceLine>): CutWindow[] {
  const open = new Map<string, Open>();
  const done: CutWindow[] = [];
  const close = (link: string, line: TraceLine): void => {
    const o = open.get(link);
    if (!o) return;
    open.delete(link);
    done.push({ link, fault: o.fault, fromSeq: o.fromSeq, fromMs: o.fromMs, toSeq: line.seq, toMs: line.trueMs });
  };
  for (const line of lines) {
    if (line.kind !== 'fault') continue;
    const word = line.fault.split(' ')[0];
    if (line.action === 'set' && (word === 'partition' || word === 'block')) {
      if (word === 'partition') {
        for (const [link, o] of [...open]) if (o.by === 'partition' && !line.links.includes(link)) close(link, line);
      }
      for (const link of line.links) {
        if (!open.has(link)) open.set(link, { fault: line.fault, fromSeq: line.seq, fromMs: line.trueMs, by: word });
      }
    } else if (line.action === 'clear' && word === 'heal') {
      for (const link of [...open.keys()]) close(link, line);
    }
  }
  for (const [link, o] of open) done.push({ link, fault: o.fault, fromSeq: o.fromSeq, fromMs: o.fromMs });
  return done.sort((a, b) => a.fromSeq - b.fromSeq);
}
