/**
 * The clock synchronisation rounds of the run the page holds (pure), kept up to date as lines
 * arrive: only the lines `syncRounds` reads are gathered (each round's `sync` line, the replies'
 * sends and receives, clock steps), so a long run is never scanned again for a chart.
 */
import { syncRounds, type SyncRoundCheck } from '@faultline/checkers';
import { TIME_RESPONSE, type TraceLine } from '@faultline/protocol';
import type { TraceModel } from './trace-model.js';

/** A line a sync round's truth depends on. */
export function isSyncLine(l: TraceLine): boolean {
  if (l.kind === 'state') return l.behaviour === 'sync' && l.key === 'sync';
  if (l.kind === 'send' || l.kind === 'receive') return l.msgType === TIME_RESPONSE;
  return l.kind === 'clock_change';
}

export class SyncLines {
  private readonly lines: TraceLine[] = [];
  private seen = 0;
  private version = -1;
  private rounds = 0;
  private cached: SyncRoundCheck[] = [];

  constructor(private readonly model: TraceModel) {}

  /** Every round in the run so far, in true-time order (none: an empty list). */
  update(): readonly SyncRoundCheck[] {
    const { arrivals, version } = this.model;
    if (version === this.version) return this.cached;
    this.version = version;
    for (const l of arrivals.slice(this.seen)) {
      if (!isSyncLine(l)) continue;
      this.lines.push(l);
      if (l.kind === 'state') this.rounds += 1;
    }
    this.seen = arrivals.length;
    this.cached = this.rounds === 0 ? [] : syncRounds(this.lines).sort((a, b) => a.trueMs - b.trueMs || a.seq - b.seq);
    return this.cached;
  }
}
