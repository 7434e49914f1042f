/**
 * What is in force, from the trace so far (pure): each node's last process event (crash, pause,
 * resume, revive, exit) and, for each link, the last partition or block that cut it. Kept as
 * lines pass, a few per node and link, so an RPC's story need not read the whole trace.
 */
import type { NodeId, TraceLine } from '@faultline/protocol';

export const PROCESS_EVENTS: ReadonlySet<string> = new Set(['crash', 'pause', 'resume', 'revive', 'exit']);

export class TraceLandmarks {
  private readonly lastProcess = new Map<NodeId, TraceLine>();
  private readonly lastCut = new Map<string, TraceLine>();

  observe(line: TraceLine): void {
    if (PROCESS_EVENTS.has(line.kind) && line.node !== undefined) this.lastProcess.set(line.node, line);
    if (line.kind === 'fault' && line.action === 'set' && /^(partition|block)\b/.test(line.fault)) {
      for (const link of line.links) this.lastCut.set(link, line);
    }
  }

  /** The pause line of each of `ids` that is its last process event (paused, not resumed, killed or revived since). */
  pausesInForce(ids: readonly NodeId[]): TraceLine[] {
    return ids.flatMap((id) => {
      const last = this.lastProcess.get(id);
      return last?.kind === 'pause' ? [last] : [];
    });
  }

  /** The last partition or block line that cut `link`, if any (whether it still holds is the fault book's to say). */
  lastCutOf(link: string): TraceLine | undefined {
    return this.lastCut.get(link);
  }
}
