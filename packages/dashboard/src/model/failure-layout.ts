/**
 * Partial failure on the space-time diagram (pure geometry, in the diagram's pixels; the canvas and
 * the SVG export draw it):
 * - each suspicion a triangle on its observer's lifeline pointing at the peer, filled when right
 *   (the peer was down), hollow when wrong (it was alive), labelled with the peer, and its span (a
 *   thin line beside the lifeline, dashed when wrong) until the observer trusted it again;
 * - each term of office a band left of its node's lifeline, labelled with its term; the stretches
 *   where another node led at the same time are `clashes`, and the first instant two led is flagged
 *   across their lifelines (when in view; the page also says it above the diagram);
 * - each client operation of a lesson's histories a bar right of its client's lifeline from its
 *   invocation to its completion (open-ended: to the bottom), labelled in words; a
 *   counterexample's operations outlined, the stuck one most strongly, with its caption.
 */
import type { Leadership } from '@faultline/checkers';
import { HEADER, type Layout, type Viewport } from './layout.js';
import type { FailureFacts } from './failure-facts.js';
import { overlapWarning } from './failure-words.js';
import { STUCK_CAPTION, type OpView } from './history-ops.js';

export interface SuspicionGlyph {
  readonly seq: number;
  readonly observer: string;
  readonly peer: string;
  readonly right: boolean;
  /** The triangle: its base on the lifeline side, its tip `dir` toward the peer's column. */
  readonly x: number;
  readonly y: number;
  readonly dir: 1 | -1;
  /** The span, a vertical line at `spanX` from `y` to `y2`; `open` when it was never trusted again (in view). */
  readonly spanX: number;
  readonly y2: number;
  readonly open: boolean;
  readonly label: string;
  readonly labelX: number;
  readonly labelY: number;
}

export interface TermBand {
  readonly node: string;
  readonly term: number;
  readonly x1: number;
  readonly x2: number;
  readonly y1: number;
  readonly y2: number;
  /** Still leading at the end of the trace (or the slider). */
  readonly open: boolean;
  readonly label: string;
  /** The stretches of it while another node led too. */
  readonly clashes: readonly { readonly y1: number; readonly y2: number }[];
}

export interface OverlapFlag {
  readonly atTrueMs: number;
  readonly y: number;
  readonly x1: number;
  readonly x2: number;
  readonly text: string;
}

export interface OpBar extends Pick<OpView, 'history' | 'id' | 'client' | 'label' | 'type' | 'stale' | 'role'> {
  readonly x1: number;
  readonly x2: number;
  readonly y1: number;
  readonly y2: number;
  readonly open: boolean;
  /**
   * Undefined: no room for it under the one before (zoom in). Right of the bar (`start`), or left
   * of the lifeline (`end`) when it would run off the diagram (the last column).
   */
  readonly labelAt?: { readonly x: number; readonly y: number; readonly anchor: 'start' | 'end' };
  /** The stuck operation's caption, under its label. */
  readonly caption?: string;
}

export interface FailureLayout {
  readonly suspicions: SuspicionGlyph[];
  readonly terms: TermBand[];
  readonly overlap?: OverlapFlag;
  readonly ops: OpBar[];
}

/** Pixels from the lifeline: suspicions nearest, then a term's band (left), a client's operations (right). */
export const GEOMETRY = { triangle: 4, tip: 12, band: [24, 17], op: 18, opWidth: 6, lane: 10, line: 11, charPx: 6.1 } as const;

export interface FailureInput {
  readonly facts: FailureFacts;
  readonly ops: readonly OpView[];
  /** The trace's last true time: what is still open is drawn to here (or the slider). */
  readonly lastMs: number;
  readonly clock: (ms: number) => string;
}

export function layoutFailure(layout: Pick<Layout, 'columns'>, v: Viewport, input: FailureInput): FailureLayout {
  const xOf = new Map(layout.columns.map((c) => [c.node, c.x]));
  const indexOf = new Map(layout.columns.map((c, i) => [c.node, i]));
  const span = Math.max(1, v.t1 - v.t0);
  const yOf = (ms: number): number => HEADER + ((ms - v.t0) / span) * (v.height - HEADER);
  const until = v.untilMs ?? Number.POSITIVE_INFINITY;
  const nowMs = Math.min(until, input.lastMs);
  /** [from, to] cut to what exists and what is in view; undefined when none of it is. */
  const inView = (fromMs: number, toMs: number | null): { y1: number; y2: number; open: boolean } | undefined => {
    if (fromMs > until || fromMs > v.t1) return undefined;
    const open = toMs === null || toMs > until;
    const end = open ? Math.max(nowMs, fromMs) : toMs;
    if (end < v.t0) return undefined;
    return { y1: yOf(Math.max(fromMs, v.t0)), y2: yOf(Math.min(end, v.t1)), open };
  };

  const suspicions: SuspicionGlyph[] = [];
  const labelBelow = new Map<string, number>();
  for (const s of input.facts.suspicions) {
    const x = xOf.get(s.observer);
    const px = xOf.get(s.peer);
    const r = inView(s.trueMs, s.endTrueMs);
    if (x === undefined || px === undefined || !r) continue;
    // Its mark where it began, above the view if it began before it (its span still shows).
    const y = yOf(s.trueMs);
    const dir = px >= x ? 1 : -1;
    // Each peer its own span: one further out for each column between them.
    const gap = Math.abs(indexOf.get(s.peer)! - indexOf.get(s.observer)!) - 1;
    const spanX = x + dir * (GEOMETRY.triangle + 2 + 3 * gap);
    // Suspicions of several peers at once (an observer back from a pause): labels one under another.
    const key = `${s.observer}:${dir}`;
    const labelY = Math.max(y + 3, (labelBelow.get(key) ?? -Infinity) + GEOMETRY.line);
    labelBelow.set(key, labelY);
    suspicions.push({ seq: s.seq, observer: s.observer, peer: s.peer, right: s.right, x, y, dir, spanX, y2: r.y2, open: r.open, label: `suspects ${s.peer}`, labelX: x + dir * (GEOMETRY.tip + 2), labelY });
  }

  const terms: TermBand[] = [];
  for (const t of input.facts.terms) {
    const x = xOf.get(t.node);
    const r = inView(t.fromTrueMs, t.toTrueMs);
    if (x === undefined || !r) continue;
    const clashes = clashesOf(t, input.facts.terms, nowMs)
      .map(([from, to]) => inView(from, to))
      .filter((c): c is NonNullable<typeof c> => c !== undefined)
      .map(({ y1, y2 }) => ({ y1, y2 }));
    terms.push({ node: t.node, term: t.term, x1: x - GEOMETRY.band[0], x2: x - GEOMETRY.band[1], ...r, label: `term ${t.term}`, clashes });
  }

  let overlap: OverlapFlag | undefined;
  const warning = overlapWarning(input.facts.overlap, input.clock);
  const first = input.facts.overlap.first;
  if (warning && first && first.atTrueMs <= until && first.atTrueMs >= v.t0 && first.atTrueMs <= v.t1) {
    const xs = first.leaders.map((l) => xOf.get(l.node)).filter((x): x is number => x !== undefined);
    if (xs.length > 0) overlap = { atTrueMs: first.atTrueMs, y: yOf(first.atTrueMs), x1: Math.min(...xs) - 30, x2: Math.max(...xs) + 30, text: warning };
  }

  const ops: OpBar[] = [];
  /** Per client and lane, where the next label may go (below the last one and its caption). */
  const nextLabel = new Map<string, number>();
  for (const op of input.ops) {
    const x = xOf.get(op.client);
    const r = inView(op.fromMs, op.toMs);
    if (x === undefined || !r) continue;
    const x1 = x + GEOMETRY.op + op.lane * GEOMETRY.lane;
    const lane = `${op.client}:${op.lane}`;
    const y = r.y1 + 9;
    // A label that would sit on the one before is left out, unless its operation is in a counterexample.
    const right = x1 + GEOMETRY.opWidth + 3;
    const widest = Math.max(op.label.length, op.role === 'stuck' ? STUCK_CAPTION.length : 0) * GEOMETRY.charPx;
    const side = right + widest <= v.width ? { x: right, anchor: 'start' as const } : { x: x - GEOMETRY.band[0] - 4, anchor: 'end' as const };
    const labelAt = y >= (nextLabel.get(lane) ?? -Infinity) || op.role ? { ...side, y } : undefined;
    if (labelAt) nextLabel.set(lane, y + GEOMETRY.line * (op.role === 'stuck' ? 2 : 1));
    ops.push({
      history: op.history, id: op.id, client: op.client, label: op.label, type: op.type, stale: op.stale, ...(op.role ? { role: op.role } : {}),
      x1, x2: x1 + GEOMETRY.opWidth, y1: r.y1, y2: Math.max(r.y2, r.y1 + 2), open: r.open,
      ...(labelAt ? { labelAt } : {}), ...(op.role === 'stuck' ? { caption: STUCK_CAPTION } : {}),
    });
  }
  return { suspicions, terms, ...(overlap ? { overlap } : {}), ops };
}

/** The stretches of `term` while another node also led, as [from, to] in true time. */
export function clashesOf(term: Leadership, all: readonly Leadership[], nowMs: number): [number, number][] {
  const end = (t: Leadership): number => t.toTrueMs ?? Math.max(nowMs, t.fromTrueMs);
  const out: [number, number][] = [];
  for (const other of all) {
    if (other.node === term.node) continue;
    const from = Math.max(term.fromTrueMs, other.fromTrueMs);
    const to = Math.min(end(term), end(other));
    if (to > from) out.push([from, to]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}
