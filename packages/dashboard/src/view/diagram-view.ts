/**
 * The live space-time diagram on a canvas (shell): owns the viewport (which stretch of true time
 * is shown), pans with a drag, zooms with the wheel around the pointer, follows the newest events
 * unless the user moved away, redraws at most once a frame, and reports clicks on events (on an
 * arrow anywhere along it: its send). What it drew last is kept (`drawn`) so tests and the SVG
 * export read the same picture.
 */
import { CausalSelection, type CausalSets } from '../model/causality.js';
import { hitTest, layoutDiagram, type ArrowKind, type Layout, type Viewport } from '../model/layout.js';
import type { TraceModel } from '../model/trace-model.js';
import { arrowEndShape, markColor, markShape, type Shape } from '../model/marks.js';
import { ARROW_COLORS as COLORS } from '../model/palette.js';

export interface Drawn {
  readonly zoomedOut: boolean;
  readonly marks: number;
  readonly arrows: Record<string, number>;
  /** How many arrows had each type written beside them. */
  readonly labels: Record<string, number>;
  readonly crashes: number;
  readonly bands: number;
  readonly selected?: number;
  readonly past: number;
  readonly future: number;
  readonly concurrent: number;
}

/** More drawn over the diagram each time it is drawn (partial failure: view/failure-overlay.ts). */
export interface DiagramOverlay {
  draw(c: CanvasRenderingContext2D, model: TraceModel, layout: Layout, viewport: Viewport): void;
}

export class DiagramView {
  follow = true;
  readonly overlays: DiagramOverlay[] = [];
  hideHeartbeats = true;
  /** Replay: the time the slider stands at. */
  untilMs?: number;
  selected?: number;
  private selection?: CausalSelection;
  layout?: Layout;
  drawn: Drawn = { zoomedOut: false, marks: 0, arrows: {}, labels: {}, crashes: 0, bands: 0, past: 0, future: 0, concurrent: 0 };
  private t0 = 0;
  private span = 10_000;
  private scheduled = false;
  private lastVersion = -1;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    /** What is drawn; a replay swaps in the saved run. */
    public model: TraceModel,
    private readonly onSelect: (seq: number | undefined) => void,
    private readonly clock: (ms: number) => string,
  ) {
    this.ctx = canvas.getContext('2d')!;
    new ResizeObserver(() => this.invalidate()).observe(canvas);
    let drag: { y: number; t0: number; moved: boolean } | undefined;
    canvas.addEventListener('pointerdown', (e) => {
      drag = { y: e.clientY, t0: this.t0, moved: false };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dy = e.clientY - drag.y;
      if (Math.abs(dy) > 3) drag.moved = true;
      if (!drag.moved) return;
      this.follow = false;
      this.t0 = drag.t0 - (dy / this.plotHeight()) * this.span;
      this.invalidate();
    });
    canvas.addEventListener('pointerup', (e) => {
      const wasDrag = drag?.moved;
      drag = undefined;
      if (!wasDrag) this.click(e.offsetX, e.offsetY);
    });
    canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const at = this.t0 + ((e.offsetY - 34) / this.plotHeight()) * this.span;
        const factor = Math.exp(e.deltaY * 0.0015);
        this.span = Math.min(Math.max(this.span * factor, 5), 1e9);
        this.t0 = at - ((e.offsetY - 34) / this.plotHeight()) * this.span;
        this.follow = false;
        this.invalidate();
      },
      { passive: false },
    );
  }

  /** Shows the whole run. */
  fit(): void {
    this.follow = false;
    const first = this.model.firstMs;
    const last = this.untilMs ?? this.model.lastMs;
    this.span = Math.max(100, (last - first) * 1.05);
    this.t0 = first - this.span * 0.01;
    this.invalidate();
  }

  /** Shows true time `fromMs` … `toMs`, and stays there. */
  showRange(fromMs: number, toMs: number): void {
    this.follow = false;
    this.span = Math.max(5, toMs - fromMs);
    this.t0 = fromMs;
    this.invalidate();
  }

  /** Shows `spanMs` ending at the newest event, and keeps up with new ones. */
  followLatest(spanMs = 10_000): void {
    this.follow = true;
    this.span = spanMs;
    this.invalidate();
  }

  select(seq: number | undefined): void {
    this.selected = seq;
    const line = seq === undefined ? undefined : this.model.line(seq);
    this.selection = line ? new CausalSelection(line) : undefined;
    this.invalidate();
    this.onSelect(seq);
  }

  /** The selected event's causal past, future and concurrent events, including those that came after the click. */
  get causal(): CausalSets | undefined {
    return this.selection?.update(this.model);
  }

  /** The viewport now (for the SVG export). */
  viewport(): Viewport {
    const { width, height } = this.size();
    return { t0: this.t0, t1: this.t0 + this.span, width, height, hideHeartbeats: this.hideHeartbeats, untilMs: this.untilMs };
  }

  invalidate(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.draw();
    });
  }

  /** Redraw only if the model changed (called on every batch of new lines). */
  modelChanged(): void {
    if (this.model.version !== this.lastVersion) this.invalidate();
  }

  private size(): { width: number; height: number } {
    return { width: this.canvas.clientWidth || 800, height: this.canvas.clientHeight || 600 };
  }

  private plotHeight(): number {
    return Math.max(1, this.size().height - 34);
  }

  private click(x: number, y: number): void {
    if (!this.layout) return;
    const hit = hitTest(this.layout, x, y);
    this.select(hit?.seq);
  }

  draw(): void {
    this.lastVersion = this.model.version;
    const { width, height } = this.size();
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(height * dpr)) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
    }
    if (this.follow) {
      const last = this.untilMs ?? this.model.lastMs;
      this.t0 = last - this.span * 0.95;
    }
    const layout = layoutDiagram(this.model, this.viewport());
    this.layout = layout;
    const c = this.ctx;
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.clearRect(0, 0, width, height);
    c.fillStyle = '#fff';
    c.fillRect(0, 0, width, height);
    c.font = '10px ui-monospace, monospace';
    c.textAlign = 'left';
    for (const b of layout.bands) {
      c.fillStyle = 'rgba(254, 215, 215, 0.55)';
      c.fillRect(b.x1, b.y1, Math.max(1, b.x2 - b.x1), Math.max(1, b.y2 - b.y1));
      c.fillStyle = '#c53030';
      c.fillText(b.fault, b.x1 + 4, b.y1 + 11);
    }
    c.font = 'bold 13px ui-monospace, monospace';
    c.textAlign = 'center';
    c.fillStyle = '#1a202c';
    for (const col of layout.columns) c.fillText(col.node, col.x, 18);
    c.strokeStyle = '#a0aec0';
    c.lineWidth = 1;
    c.beginPath();
    for (const col of layout.columns) {
      c.moveTo(col.x + 0.5, layout.top);
      c.lineTo(col.x + 0.5, height);
    }
    c.stroke();
    c.lineWidth = 4;
    for (const s of layout.segments) {
      c.strokeStyle = s.state === 'killed' ? 'rgba(197, 48, 48, 0.6)' : 'rgba(214, 158, 46, 0.7)';
      c.setLineDash([4, 3]);
      c.beginPath();
      c.moveTo(s.x + 0.5, s.y1);
      c.lineTo(s.x + 0.5, s.y2);
      c.stroke();
    }
    c.setLineDash([]);
    c.font = '9px ui-monospace, monospace';
    c.textAlign = 'left';
    c.fillStyle = '#718096';
    for (const t of layout.ticks) c.fillText(this.clock(t.wallMs), t.x + 6, t.y);
    if (layout.zoomedOut) {
      // Density: darker where more events fall; a hint to zoom in for each message.
      const max = layout.density.reduce((m, d) => Math.max(m, d.count), 1);
      for (const d of layout.density) {
        c.fillStyle = `rgba(43, 108, 176, ${(0.15 + 0.85 * (d.count / max)).toFixed(2)})`;
        c.fillRect(d.x - 4, d.y, 8, d.h);
      }
      c.fillStyle = '#4a5568';
      c.font = '11px system-ui, sans-serif';
      c.textAlign = 'right';
      c.fillText('zoomed out: events shown as density (scroll to zoom in on each message)', width - 8, 30);
    }
    const highlight = this.causal;
    const tone = (seq: number | undefined): string | undefined => {
      if (!highlight || seq === undefined) return undefined;
      if (seq === this.selected) return '#000';
      if (highlight.past.has(seq)) return '#3182ce';
      if (highlight.future.has(seq)) return '#dd6b20';
      return undefined;
    };
    const arrowCounts: Record<string, number> = {};
    // One path a style (colour, opacity, dash): a few strokes, however many arrows.
    const groups = new Map<string, { kind: ArrowKind; color: string; alpha: number; dash: boolean; lines: number[]; heads: number[]; ends: number[] }>();
    for (const a of layout.arrows) {
      arrowCounts[a.kind] = (arrowCounts[a.kind] ?? 0) + 1;
      const t = tone(a.toSeq) ?? tone(a.fromSeq);
      const color = t ?? COLORS[a.kind];
      const alpha = highlight && !t ? 0.15 : a.heartbeat ? 0.3 : 0.9;
      const key = `${color}|${alpha}|${a.kind}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { kind: a.kind, color, alpha, dash: a.kind === 'held', lines: [], heads: [], ends: [] }));
      g.lines.push(a.x1, a.y1, a.x2, a.y2);
      if (a.kind === 'message' || a.kind === 'duplicate' || a.kind === 'late') g.heads.push(a.x1, a.y1, a.x2, a.y2);
      if (a.kind === 'dropped' || a.kind === 'held') g.ends.push(a.x2, a.y2);
    }
    c.lineWidth = 1.2;
    for (const g of groups.values()) {
      c.globalAlpha = g.alpha;
      c.strokeStyle = g.color;
      c.fillStyle = g.color;
      c.setLineDash(g.dash ? [5, 4] : []);
      c.beginPath();
      for (let i = 0; i < g.lines.length; i += 4) {
        c.moveTo(g.lines[i], g.lines[i + 1]);
        c.lineTo(g.lines[i + 2], g.lines[i + 3]);
      }
      c.stroke();
      c.setLineDash([]);
      c.beginPath();
      for (let i = 0; i < g.heads.length; i += 4) this.head(g.heads[i], g.heads[i + 1], g.heads[i + 2], g.heads[i + 3]);
      c.fill();
      for (let i = 0; i < g.ends.length; i += 2) this.shape(arrowEndShape(g.kind, g.ends[i], g.ends[i + 1]), g.color);
    }
    // The messages' types beside their arrows (white-edged, so a line under one does not hide it).
    const labelCounts: Record<string, number> = {};
    c.font = '10px ui-monospace, monospace';
    c.textAlign = 'left';
    c.lineJoin = 'round';
    c.globalAlpha = highlight ? 0.45 : 1;
    for (const l of layout.labels) {
      labelCounts[l.text] = (labelCounts[l.text] ?? 0) + 1;
      c.strokeStyle = '#fff';
      c.lineWidth = 3;
      c.strokeText(l.text, l.x, l.y);
      c.fillStyle = '#2d3748';
      c.fillText(l.text, l.x, l.y);
    }
    c.lineWidth = 1.2;
    c.globalAlpha = 1;
    let crashes = 0;
    const dots = new Map<string, number[]>();
    for (const m of layout.marks) {
      const t = tone(m.seq);
      const dim = highlight && !t;
      c.globalAlpha = dim ? (highlight.concurrent.has(m.seq) ? 0.35 : 0.2) : 1;
      if (m.glyph === 'crash') crashes += 1;
      const shape = markShape(m.glyph, m.x, m.y);
      if (shape) this.shape(shape, t ?? markColor(m.glyph));
      else {
        const color = t ?? markColor(m.glyph);
        const key = `${color}|${c.globalAlpha}`;
        let list = dots.get(key);
        if (!list) dots.set(key, (list = []));
        list.push(m.x, m.y, m.seq === this.selected ? 5 : 3);
      }
    }
    for (const [key, list] of dots) {
      const [color, alpha] = key.split('|');
      c.fillStyle = color;
      c.globalAlpha = Number(alpha);
      c.beginPath();
      for (let i = 0; i < list.length; i += 3) {
        c.moveTo(list[i] + list[i + 2], list[i + 1]);
        c.arc(list[i], list[i + 1], list[i + 2], 0, Math.PI * 2);
      }
      c.fill();
    }
    c.globalAlpha = 1;
    const viewport = this.viewport();
    for (const o of this.overlays) o.draw(c, this.model, layout, viewport);
    this.drawn = {
      zoomedOut: layout.zoomedOut,
      marks: layout.marks.length,
      arrows: arrowCounts,
      labels: labelCounts,
      crashes,
      bands: layout.bands.length,
      ...(this.selected === undefined ? {} : { selected: this.selected }),
      past: highlight?.past.size ?? 0,
      future: highlight?.future.size ?? 0,
      concurrent: highlight?.concurrent.size ?? 0,
    };
    this.canvas.dataset.marks = String(this.drawn.marks);
    this.canvas.dispatchEvent(new CustomEvent('drawn'));
  }

  /** A mark's or an arrow end's shape (model/marks.ts), filled or stroked. */
  private shape(shape: Shape | undefined, color: string): void {
    if (!shape) return;
    const c = this.ctx;
    const path = new Path2D(shape.d);
    if (shape.fill) {
      c.fillStyle = color;
      c.fill(path);
    } else {
      c.strokeStyle = color;
      c.lineWidth = 2;
      c.stroke(path);
      c.lineWidth = 1.2;
    }
  }

  /** Adds an arrowhead at (x2, y2) to the current path. */
  private head(x1: number, y1: number, x2: number, y2: number): void {
    const angle = Math.atan2(y2 - y1, x2 - x1);
    const c = this.ctx;
    c.moveTo(x2, y2);
    c.lineTo(x2 - 7 * Math.cos(angle - 0.4), y2 - 7 * Math.sin(angle - 0.4));
    c.lineTo(x2 - 7 * Math.cos(angle + 0.4), y2 - 7 * Math.sin(angle + 0.4));
    c.closePath();
  }
}
