/**
 * The space-time diagram's geometry (pure): one timeline a node, true time going down, every event a
 * mark on its node's line, every message an arrow from its send to its receive (two for a
 * duplicate), a drop a line that ends in ✗ on the link, a held message a dashed line waiting on the
 * wire, crash/pause/revive marks, partitions shaded, and each node's own wall clock beside its line;
 * each arrow labelled with its message's type (a hosted program's own: `gossip` …) where it fits.
 * The canvas, the SVG export and the hit test all draw from this one layout.
 */
import { isHeartbeat } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';
import { lowerBound, type TraceModel } from './trace-model.js';

export interface Viewport {
  /** True time at the top and the bottom of the drawing. */
  readonly t0: number;
  readonly t1: number;
  readonly width: number;
  readonly height: number;
  readonly hideHeartbeats: boolean;
  /** Replay: nothing after this true time exists yet. */
  readonly untilMs?: number;
}

export type Glyph = 'dot' | 'send' | 'receive' | 'crash' | 'pause' | 'resume' | 'revive' | 'timeout' | 'state' | 'clock' | 'failed' | 'late';

export interface EventMark {
  readonly seq: number;
  readonly node: string;
  readonly x: number;
  readonly y: number;
  readonly glyph: Glyph;
}

export type ArrowKind = 'message' | 'duplicate' | 'dropped' | 'held' | 'late';

export interface Arrow {
  /** The message id, and the seq of the lines at its two ends (send, receive or the proxy's action). */
  readonly msg: string;
  readonly fromSeq?: number;
  readonly toSeq?: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly kind: ArrowKind;
  readonly heartbeat: boolean;
  /** The message's type (`gossip`, `read_ok` …), written beside the arrow where there is room. */
  readonly label: string;
}

export interface Band {
  readonly fault: string;
  /** Across the columns of the nodes whose links it cuts. */
  readonly x1: number;
  readonly x2: number;
  readonly y1: number;
  readonly y2: number;
}

export interface WallTick {
  readonly node: string;
  readonly x: number;
  readonly y: number;
  readonly wallMs: number;
}

/** A stretch of a timeline with the node down (killed) or frozen (paused). */
export interface Segment {
  readonly node: string;
  readonly x: number;
  readonly y1: number;
  readonly y2: number;
  readonly state: 'killed' | 'paused';
}

/** Zoomed out: how many events of a node fall in a few pixels of its timeline. */
export interface Density {
  readonly node: string;
  readonly x: number;
  readonly y: number;
  readonly h: number;
  readonly count: number;
}

export interface Layout {
  readonly columns: { node: string; x: number }[];
  /** True when too many events are in view to draw one by one: sends and receives are shown as density. */
  readonly zoomedOut: boolean;
  readonly density: Density[];
  readonly top: number;
  readonly marks: EventMark[];
  readonly arrows: Arrow[];
  /** The arrows' types written beside them, where they fit (`placeLabels`). */
  readonly labels: ArrowLabel[];
  readonly bands: Band[];
  readonly ticks: WallTick[];
  readonly segments: Segment[];
}

export const HEADER = 34;
/** Above this many lines in view, sends and receives are drawn as density, the rest one by one. */
export const DETAIL_LIMIT = 2_500;
const DENSITY_PX = 3;
/** Where on its way a dropped or held message is drawn: this fraction of the way from its sender. */
export const ON_THE_WIRE = 0.4;
const GLYPH: Partial<Record<TraceLine['kind'], Glyph>> = {
  send: 'send',
  receive: 'receive',
  crash: 'crash',
  exit: 'crash',
  pause: 'pause',
  resume: 'resume',
  revive: 'revive',
  rpc_timeout: 'timeout',
  state: 'state',
  clock_change: 'clock',
  failed_send: 'failed',
  late_reply: 'late',
  local: 'dot',
};
const TICKS = 8;

export function layoutDiagram(model: TraceModel, v: Viewport): Layout {
  const nodes = model.nodeIds();
  const colWidth = v.width / Math.max(1, nodes.length);
  const columns = nodes.map((node, i) => ({ node, x: Math.round(colWidth * (i + 0.5)) }));
  const xOf = new Map(columns.map((c) => [c.node, c.x]));
  const span = Math.max(1, v.t1 - v.t0);
  const drawH = v.height - HEADER;
  const yOf = (ms: number): number => HEADER + ((ms - v.t0) / span) * drawH;
  const until = v.untilMs ?? Number.POSITIVE_INFINITY;
  const exists = (l: TraceLine | undefined): l is TraceLine => l !== undefined && l.trueMs <= until;

  const marks: EventMark[] = [];
  const arrows: Arrow[] = [];
  const drawn = new Set<string>();
  // Zoomed out, many events fall on one pixel: one mark (and one arrow) a pixel is drawn, the first.
  const markAt = new Set<number>();
  const arrowAt = new Set<string>();
  const pushArrow = (a: Arrow): void => {
    const key = `${a.kind}${a.heartbeat ? 'h' : ''}:${a.x1},${Math.round(a.y1)}>${a.x2},${Math.round(a.y2)}`;
    if (arrowAt.has(key)) return;
    arrowAt.add(key);
    arrows.push(a);
  };
  const margin = span * 0.02;
  const start = model.indexAt(v.t0 - margin);
  const end = model.indexAt(Math.min(v.t1 + margin, until + 1));
  const zoomedOut = end - start > DETAIL_LIMIT;
  const density: Density[] = [];
  let visible: Iterable<TraceLine>;
  if (zoomedOut) {
    // Each node's events counted in bands a few pixels high; only the rarer lines one by one.
    const lastY = yOf(Math.min(v.t1, until, model.lastMs));
    for (const c of columns) {
      const times = model.times.get(c.node) ?? [];
      for (let y = Math.max(HEADER, yOf(model.firstMs)); y < Math.min(v.height, lastY); y += DENSITY_PX) {
        const from = v.t0 + ((y - HEADER) / drawH) * span;
        const to = v.t0 + ((y + DENSITY_PX - HEADER) / drawH) * span;
        const count = lowerBound(times, to, (t) => t) - lowerBound(times, from, (t) => t);
        if (count > 0) density.push({ node: c.node, x: c.x, y, h: DENSITY_PX, count });
      }
    }
    const s0 = lowerBound(model.special, v.t0 - margin, (l) => l.trueMs);
    const s1 = lowerBound(model.special, Math.min(v.t1 + margin, until + 1), (l) => l.trueMs);
    visible = model.special.slice(s0, s1);
  } else {
    visible = model.lines.slice(start, end);
  }
  for (const l of visible) {
    if (v.hideHeartbeats && isHeartbeat(l)) continue;
    const glyph = GLYPH[l.kind];
    const x = l.node ? xOf.get(l.node) : undefined;
    if (glyph && x !== undefined && l.kind !== 'proxy') {
      const y = yOf(l.trueMs);
      // Process marks (crash, pause …) are never merged away; dots one a pixel row.
      const key = glyph === 'send' || glyph === 'receive' || glyph === 'dot' || glyph === 'state' ? x * 65536 + Math.round(y) : -l.seq;
      if (!markAt.has(key)) {
        markAt.add(key);
        marks.push({ seq: l.seq, node: l.node!, x, y, glyph });
      }
    }
    // Zoomed out, one proxy action of a kind a link a pixel row is enough (before any lookup).
    if (zoomedOut && l.kind === 'proxy') {
      const key = `${l.link}:${l.action}:${Math.round(yOf(l.trueMs))}`;
      if (arrowAt.has(key)) continue;
      arrowAt.add(key);
    }
    // Messages: drawn once, from whichever end is in view.
    const msg = l.kind === 'send' || l.kind === 'receive' ? l.msg : l.kind === 'proxy' && l.msg !== undefined ? String(l.msg) : undefined;
    if (msg === undefined || drawn.has(msg)) continue;
    drawn.add(msg);
    const m = model.messages.get(msg);
    if (!m) continue;
    const send = exists(m.send) ? m.send : undefined;
    const from = send?.node ?? (l.kind === 'receive' ? l.from : undefined);
    const heartbeat = isHeartbeat(l);
    const label = arrowLabel(send ?? m.receives[0] ?? l);
    const receives = m.receives.filter(exists);
    const duplicated = m.proxy.some((p) => p.kind === 'proxy' && p.action === 'duplicated' && exists(p));
    // A message the proxy held and let go arrived late.
    const late = m.proxy.some((p) => p.kind === 'proxy' && p.action === 'released');
    for (const [k, r] of receives.entries()) {
      if (!send || r.kind !== 'receive') continue;
      pushArrow({
        msg, fromSeq: send.seq, toSeq: r.seq,
        x1: xOf.get(send.node!)!, y1: yOf(send.trueMs), x2: xOf.get(r.node!)!, y2: yOf(r.trueMs),
        kind: duplicated && k > 0 ? 'duplicate' : late ? 'late' : 'message', heartbeat, label,
      });
    }
    if (receives.length === 0 && send && send.kind === 'send' && from) {
      const fx = xOf.get(from)!;
      const tx = xOf.get(send.to);
      if (tx === undefined) continue;
      // Part of the way to the receiver (not half way: with three nodes that would sit on the middle one's line).
      const mid = fx + (tx - fx) * ON_THE_WIRE;
      const dropped = m.proxy.find((p) => p.kind === 'proxy' && p.action === 'dropped' && exists(p));
      const held = m.proxy.find((p) => p.kind === 'proxy' && p.action === 'held' && exists(p));
      if (dropped) pushArrow({ msg, fromSeq: send.seq, toSeq: dropped.seq, x1: fx, y1: yOf(send.trueMs), x2: mid, y2: yOf(dropped.trueMs), kind: 'dropped', heartbeat, label });
      else if (held) pushArrow({ msg, fromSeq: send.seq, toSeq: held.seq, x1: fx, y1: yOf(send.trueMs), x2: mid, y2: yOf(Math.min(until, model.lastMs)), kind: 'held', heartbeat, label });
    }
  }

  const bands = model.cuts
    .filter((b) => b.fromMs <= Math.min(v.t1, until) && (b.toMs ?? Number.POSITIVE_INFINITY) >= v.t0)
    .map((b) => {
      const xs = b.links.flatMap((name) => name.split('-').map((n) => xOf.get(n) ?? 0));
      return { fault: b.fault, x1: Math.min(...xs) - 20, x2: Math.max(...xs) + 20, y1: yOf(Math.max(b.fromMs, v.t0)), y2: yOf(Math.min(b.toMs ?? model.lastMs, v.t1, until)) };
    });

  const ticks: WallTick[] = [];
  for (const c of columns) {
    for (let k = 0; k <= TICKS; k++) {
      const ms = v.t0 + (span * k) / TICKS;
      if (ms > until || ms > model.lastMs || ms < model.firstMs) continue;
      const wall = model.wallAt(c.node, ms);
      if (wall !== undefined) ticks.push({ node: c.node, x: c.x, y: yOf(ms), wallMs: wall });
    }
  }

  const segments: Segment[] = [];
  for (const c of columns) {
    let downAt: { ms: number; state: 'killed' | 'paused' } | undefined;
    for (const l of model.transitions.get(c.node) ?? []) {
      if (l.trueMs > until) continue;
      if (l.kind === 'crash' || l.kind === 'exit') downAt ??= { ms: l.trueMs, state: 'killed' };
      else if (l.kind === 'pause') downAt ??= { ms: l.trueMs, state: 'paused' };
      else if ((l.kind === 'resume' || l.kind === 'revive' || l.kind === 'node_start') && downAt) {
        segments.push({ node: c.node, x: c.x, y1: yOf(downAt.ms), y2: yOf(l.trueMs), state: downAt.state });
        downAt = undefined;
      }
    }
    if (downAt) segments.push({ node: c.node, x: c.x, y1: yOf(downAt.ms), y2: yOf(Math.min(until, Math.max(model.lastMs, v.t1))), state: downAt.state });
  }
  return { columns, zoomedOut, density, top: HEADER, marks, arrows, labels: placeLabels(arrows, zoomedOut), bands, ticks, segments };
}

/** The longest label written beside an arrow; longer types end in `~`. */
export const LABEL_MAX = 24;

/**
 * A message's type as its arrow's label: printable ASCII only (a program may name its types in
 * any script; the canvas writes nothing a font may lack), at most LABEL_MAX characters.
 */
export function arrowLabel(line: TraceLine): string {
  const type = 'msgType' in line && typeof line.msgType === 'string' ? line.msgType : '';
  const plain = type.replace(/[^\x20-\x7e]/g, '?');
  return plain.length > LABEL_MAX ? `${plain.slice(0, LABEL_MAX - 1)}~` : plain;
}

export interface ArrowLabel {
  readonly msg: string;
  readonly text: string;
  /** Left end of its baseline. */
  readonly x: number;
  readonly y: number;
}

/** Labels are written in a 10 px monospace font: about this wide a character, this tall a line. */
export const LABEL_CHAR_PX = 6.2;
const LABEL_LINE_PX = 11;

/**
 * Which arrows get their type written beside their middle: each one that is not a heartbeat and
 * whose label overlaps no label placed before it (the earliest win), none when zoomed out. The
 * canvas and the SVG export write the same ones.
 */
export function placeLabels(arrows: readonly Arrow[], zoomedOut: boolean): ArrowLabel[] {
  if (zoomedOut) return [];
  const placed: ArrowLabel[] = [];
  /** Placed labels by row of LABEL_LINE_PX: a label is checked against its own row and the two beside it. */
  const rows = new Map<number, { x1: number; x2: number; y: number }[]>();
  for (const a of arrows) {
    if (a.heartbeat || a.label === '') continue;
    const x = (a.x1 + a.x2) / 2 + 3;
    const y = (a.y1 + a.y2) / 2 - 3;
    const x2 = x + a.label.length * LABEL_CHAR_PX;
    const row = Math.floor(y / LABEL_LINE_PX);
    const clash = [row - 1, row, row + 1].some((r) => rows.get(r)?.some((o) => Math.abs(o.y - y) < LABEL_LINE_PX && o.x1 < x2 && x < o.x2));
    if (clash) continue;
    let list = rows.get(row);
    if (!list) rows.set(row, (list = []));
    list.push({ x1: x, x2, y });
    placed.push({ msg: a.msg, text: a.label, x, y });
  }
  return placed;
}

/** What a click hit: an event (`seq`); on an arrow's body, the message (`msg`) and its send. */
export interface Hit {
  readonly seq: number;
  readonly msg?: string;
}

/** The distance from (x, y) to the segment from (x1, y1) to (x2, y2). */
function toSegment(x: number, y: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((x - x1) * dx + (y - y1) * dy) / len2));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}

/**
 * What is at (x, y): the mark nearest to it within `radius` px, else the arrow whose line passes
 * nearest within `lineRadius` px (anywhere along it, not only at its ends), as its send.
 */
export function hitTest(layout: Layout, x: number, y: number, radius = 8, lineRadius = 5): Hit | undefined {
  let best: EventMark | undefined;
  let bestD = radius * radius;
  for (const m of layout.marks) {
    const d = (m.x - x) ** 2 + (m.y - y) ** 2;
    if (d <= bestD) {
      best = m;
      bestD = d;
    }
  }
  if (best) return { seq: best.seq };
  let arrow: Arrow | undefined;
  let arrowD = lineRadius;
  for (const a of layout.arrows) {
    const d = toSegment(x, y, a.x1, a.y1, a.x2, a.y2);
    if (d <= arrowD && (a.fromSeq ?? a.toSeq) !== undefined) {
      arrow = a;
      arrowD = d;
    }
  }
  return arrow ? { seq: (arrow.fromSeq ?? arrow.toSeq)!, msg: arrow.msg } : undefined;
}
