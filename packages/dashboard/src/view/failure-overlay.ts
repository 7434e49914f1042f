/**
 * Partial failure on the diagram's canvas (shell): suspicions, leaders' terms of office and a
 * lesson's client operations (model/failure-layout.ts), drawn over the space-time diagram each
 * time it is drawn. What it drew last is kept (`drawn`) for tests and the SVG export.
 */
import type { ReportHistories } from '../api/lesson-histories.js';
import { FailureLines, type FailureFacts } from '../model/failure-facts.js';
import { GEOMETRY, layoutFailure, type FailureLayout } from '../model/failure-layout.js';
import { suspicionPath } from '../model/failure-svg.js';
import { historyOps, type OpView } from '../model/history-ops.js';
import type { Layout, Viewport } from '../model/layout.js';
import { FAILURE_COLORS as C, opColor } from '../model/palette.js';
import type { TraceModel } from '../model/trace-model.js';
import type { DiagramOverlay } from './diagram-view.js';

export class FailureOverlay implements DiagramOverlay {
  /** The operations of the last lesson report's histories. */
  ops: readonly OpView[] = [];
  drawn: FailureLayout = { suspicions: [], terms: [], ops: [] };
  private readonly lines = new WeakMap<TraceModel, FailureLines>();

  constructor(private readonly clock: (ms: number) => string) {}

  /** The run's suspicions and leaders, up to `untilMs` (replay). */
  facts(model: TraceModel, untilMs?: number): FailureFacts {
    let lines = this.lines.get(model);
    if (!lines) this.lines.set(model, (lines = new FailureLines(model)));
    return lines.update(untilMs);
  }

  /** A lesson's report arrived: its histories' operations are drawn from now on. */
  setHistories(report: ReportHistories): void {
    this.ops = historyOps(report);
  }

  /** What is drawn over `layout` (the SVG export draws it too). */
  layout(model: TraceModel, layout: Pick<Layout, 'columns'>, v: Viewport): FailureLayout {
    return layoutFailure(layout, v, { facts: this.facts(model, v.untilMs), ops: this.ops, lastMs: model.lastMs, clock: this.clock });
  }

  draw(c: CanvasRenderingContext2D, model: TraceModel, layout: Layout, v: Viewport): void {
    const f = this.layout(model, layout, v);
    this.drawn = f;
    c.save();
    for (const t of f.terms) {
      c.globalAlpha = 0.6;
      c.fillStyle = C.term;
      c.fillRect(t.x1, t.y1, t.x2 - t.x1, Math.max(1, t.y2 - t.y1));
      c.globalAlpha = 1;
      c.fillStyle = C.clash;
      for (const k of t.clashes) c.fillRect(t.x1, k.y1, t.x2 - t.x1, Math.max(1, k.y2 - k.y1));
      label(c, t.label, t.x1 - 2, t.y1 + 10, '#975a16', 'right');
    }
    for (const s of f.suspicions) {
      const color = s.right ? C.right : C.wrong;
      c.strokeStyle = color;
      c.lineWidth = 1.5;
      c.setLineDash(s.right ? [] : [3, 2]);
      c.beginPath();
      c.moveTo(s.spanX, s.y);
      c.lineTo(s.spanX, s.y2);
      c.stroke();
      c.setLineDash([]);
      const path = new Path2D(suspicionPath(s));
      // Right: filled; wrong: hollow (told apart without the colour too).
      c.fillStyle = s.right ? color : '#fff';
      c.fill(path);
      c.stroke(path);
      label(c, s.label, s.labelX, s.labelY, color, s.dir > 0 ? 'left' : 'right');
    }
    if (f.overlap) {
      const o = f.overlap;
      c.strokeStyle = C.clash;
      c.lineWidth = 2;
      c.setLineDash([6, 3]);
      c.beginPath();
      c.moveTo(o.x1, o.y);
      c.lineTo(o.x2, o.y);
      c.stroke();
      c.setLineDash([]);
      label(c, o.text, o.x1, o.y - 4, C.clash, 'left', 'bold 11px system-ui, sans-serif');
    }
    for (const o of f.ops) {
      c.globalAlpha = o.open ? 0.5 : 1;
      c.fillStyle = opColor(o);
      c.fillRect(o.x1, o.y1, o.x2 - o.x1, o.y2 - o.y1);
      c.globalAlpha = 1;
      if (o.role) {
        c.strokeStyle = o.role === 'stuck' ? C.stuck : C.counterexample;
        c.lineWidth = o.role === 'stuck' ? 3 : 1.5;
        c.strokeRect(o.x1 - 1, o.y1 - 1, o.x2 - o.x1 + 2, o.y2 - o.y1 + 2);
      }
      if (!o.labelAt) continue;
      const stuck = o.role === 'stuck';
      const align = o.labelAt.anchor === 'end' ? 'right' : 'left';
      label(c, o.label, o.labelAt.x, o.labelAt.y, stuck ? C.stuck : '#2d3748', align, stuck ? 'bold 10px ui-monospace, monospace' : undefined);
      if (o.caption) label(c, o.caption, o.labelAt.x, o.labelAt.y + GEOMETRY.line, C.stuck, align);
    }
    c.restore();
  }
}

/** Text with a white halo, readable over lines and bands. */
function label(c: CanvasRenderingContext2D, text: string, x: number, y: number, color: string, align: CanvasTextAlign, font = '10px ui-monospace, monospace'): void {
  c.font = font;
  c.textAlign = align;
  c.lineWidth = 3;
  c.strokeStyle = 'rgba(255, 255, 255, 0.85)';
  c.strokeText(text, x, y);
  c.fillStyle = color;
  c.fillText(text, x, y);
}
