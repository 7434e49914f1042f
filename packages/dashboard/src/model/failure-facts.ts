/**
 * Partial failure in the run the page holds (pure), kept up to date as lines arrive: the failure
 * detectors' suspicions judged against the truth (`suspicions`), the leaders' terms of office
 * (`leaderships`) and whether two led at once (`overlappingLeaders`), all from
 * `@faultline/checkers`. Only the lines those read are gathered (the detectors' and leaders'
 * `state` lines, the nodes' process events), so a long run is never scanned again.
 */
import { leaderships, overlappingLeaders, suspicions, type LeaderOverlap, type Leadership, type Suspicion } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';
import { lowerBound, type TraceModel } from './trace-model.js';

export interface FailureFacts {
  readonly suspicions: readonly Suspicion[];
  readonly terms: readonly Leadership[];
  readonly overlap: LeaderOverlap;
}

const PROCESS_KINDS = new Set<TraceLine['kind']>(['node_start', 'crash', 'exit', 'pause', 'resume', 'revive']);

/** A line a suspicion's truth or a term of office depends on. */
export function isFailureLine(l: TraceLine): boolean {
  if (l.kind === 'state') return l.behaviour === 'detector' || l.behaviour === 'leader';
  return PROCESS_KINDS.has(l.kind);
}

const NONE: FailureFacts = { suspicions: [], terms: [], overlap: { max: 0, overlapMs: 0, first: null } };

export class FailureLines {
  /** The gathered lines, in the model's order (true time, then seq). */
  private readonly lines: TraceLine[] = [];
  private seen = 0;
  private key = '';
  private cached = NONE;

  constructor(private readonly model: TraceModel) {}

  /** The facts of the run up to `untilMs` (replay), or of all of it. */
  update(untilMs?: number): FailureFacts {
    const { arrivals, version } = this.model;
    const key = `${version}|${untilMs ?? ''}`;
    if (key === this.key) return this.cached;
    this.key = key;
    for (const l of arrivals.slice(this.seen)) if (isFailureLine(l)) insertInOrder(this.lines, l);
    this.seen = arrivals.length;
    const end = untilMs === undefined ? this.lines.length : lowerBound(this.lines, untilMs + 0.001, (l) => l.trueMs);
    if (end === 0) return (this.cached = NONE);
    const lines = this.lines.slice(0, end);
    // The run's last line (up to the slider) too: a leader's lease that lapsed before it has ended.
    const last = this.model.lines[this.model.indexAt(untilMs === undefined ? Number.POSITIVE_INFINITY : untilMs + 0.001) - 1];
    if (last && last.seq !== lines.at(-1)!.seq && last.trueMs >= lines.at(-1)!.trueMs) lines.push(last);
    this.cached = { suspicions: suspicions(lines), terms: leaderships(lines), overlap: overlappingLeaders(lines) };
    return this.cached;
  }
}

function insertInOrder(list: TraceLine[], line: TraceLine): void {
  let i = list.length;
  while (i > 0 && (list[i - 1].trueMs > line.trueMs || (list[i - 1].trueMs === line.trueMs && list[i - 1].seq > line.seq))) i--;
  list.splice(i, 0, line);
}
