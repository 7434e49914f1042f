/**
 * The run's partial failures for the reveal (pure, over the trace outside the sweeps' rows):
 * suspicions by observer and peer, the real failures and their detection, the terms of office
 * (each with those of its own group that led at the same time).
 * Times are from the run's first line (true time).
 */
import { detections, leaderships, suspicions } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';
import type { FailureViews, LeaderRow, SuspicionRow } from './lesson-report.js';

export function failureViewsOf(lines: readonly TraceLine[]): FailureViews {
  const t0 = lines[0]?.trueMs ?? 0;
  const groups = new Map<string, SuspicionRow>();
  for (const s of suspicions(lines)) {
    const key = `${s.observer}>${s.peer}`;
    const row = groups.get(key) ?? { observer: s.observer, peer: s.peer, right: 0, wrong: 0, firstGapMs: Math.round(s.sinceMs) };
    groups.set(key, { ...row, right: row.right + (s.right ? 1 : 0), wrong: row.wrong + (s.right ? 0 : 1) });
  }
  const terms = leaderships(lines);
  const end = lines.at(-1)?.trueMs ?? t0;
  // Who elects with whom: each node's `members` from its behaviour's `started` line (none: the whole lab).
  const members = new Map<string, readonly string[]>();
  for (const l of lines) {
    if (l.kind !== 'state' || l.behaviour !== 'leader' || l.key !== 'started' || l.node === undefined) continue;
    const m = (l.value as { members?: unknown } | null)?.members;
    if (Array.isArray(m)) members.set(l.node, m.map(String));
  }
  const together = (a: string, b: string): boolean => (members.get(a)?.includes(b) ?? true) && (members.get(b)?.includes(a) ?? true);
  const leaders: LeaderRow[] = terms.map((t) => ({
    node: t.node,
    term: t.term,
    fromMs: Math.round(t.fromTrueMs - t0),
    toMs: t.toTrueMs === null ? null : Math.round(t.toTrueMs - t0),
    ended: t.ended,
    alongside: terms.filter((o) => o !== t && o.node !== t.node && together(o.node, t.node) && o.fromTrueMs < (t.toTrueMs ?? end) && t.fromTrueMs < (o.toTrueMs ?? end)).map((o) => `${o.node} (term ${o.term})`),
  }));
  return {
    suspicions: [...groups.values()],
    detections: detections(lines).map((d) => ({ peer: d.peer, how: d.how, failedMs: Math.round(d.failedTrueMs - t0), observer: d.observer, detectionMs: d.detectionMs === null ? null : Math.round(d.detectionMs) })),
    leaders,
  };
}
