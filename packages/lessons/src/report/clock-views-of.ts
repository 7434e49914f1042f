/**
 * The reveal's view of the clocks (pure, from the trace and the run's named requests): each write
 * a named invoke made, with its wall time on its own node beside true time, the stamp its
 * resolution compared and what became of it; each round of each named `sync`, beside the truth.
 */
import { vectorText, clockTime, registerHistory, syncRounds, type RegisterHistory } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';
import type { InvokeRecord } from '../checks/context.js';
import type { ClockViews, SyncRow, WriteRow } from './lesson-report.js';

function stampText(w: RegisterHistory['writes'][number], resolution: string | undefined): string {
  if (resolution === 'lamport') return `Lamport ${w.stamp.lamport}`;
  if (resolution === 'hlc') return `HLC ${clockTime(w.stamp.hlc.wallMs)} +${w.stamp.hlc.logical}`;
  if (resolution === 'vector') return `vector ${vectorText(w.stamp.vc)}`;
  return `wall ${clockTime(w.stamp.wallMs)}`;
}

export function clockViewsOf(lines: readonly TraceLine[], invokes: ReadonlyMap<string, InvokeRecord>): ClockViews {
  const named = [...invokes.values()];
  const nameOf = new Map(named.filter((r) => r.msgType === 'write' && typeof r.answer.id === 'string').map((r) => [r.answer.id as string, r.name]));
  const history = nameOf.size > 0 ? registerHistory(lines) : { writes: [], decisions: [] };
  const writes: WriteRow[] = history.writes
    .filter((w) => nameOf.has(w.id))
    .map((w) => {
      const decided = history.decisions.find((d) => d.write === w.id);
      const siblingNow = history.decisions.some((d) => d.write === w.id && d.kind === 'sibling');
      // Replaced by a write made later is last-writer-wins working; lost to one made earlier is the harm.
      const winners = w.lostTo.map((id) => history.writes.find((x) => x.id === id));
      const earlier = winners.some((x) => x !== undefined && x.trueMs < w.trueMs);
      const names = w.lostTo.map((id) => nameOf.get(id) ?? id).join(', ');
      const fate = w.fate === 'lost' ? `${earlier ? 'lost to' : 'replaced by'} ${names}` : siblingNow && w.heldBy.length > 0 ? 'a sibling' : 'kept';
      return { name: nameOf.get(w.id)!, id: w.id, node: w.node, key: w.key, value: w.value, wallMs: w.stamp.wallMs, trueMs: w.trueMs, stamp: stampText(w, decided?.resolution), fate };
    });
  const sync: SyncRow[] = [];
  for (const asked of named.filter((r) => r.msgType === 'sync')) {
    const done = lines.find((l) => l.seq > asked.sinceSeq && l.kind === 'state' && l.node === asked.node && l.key === 'sync_done');
    for (const r of syncRounds(lines, { node: asked.node })) {
      if (r.seq <= asked.sinceSeq || (done !== undefined && r.seq > done.seq)) continue;
      sync.push({ name: asked.name, round: r.round + 1, rttMs: r.rttMs, estimateMs: r.estimateMs, boundMs: r.boundMs, trueOffsetMs: r.trueOffsetMs, errorMs: r.errorMs });
    }
  }
  return { writes, sync };
}
