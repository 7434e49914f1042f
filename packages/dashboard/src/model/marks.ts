/**
 * How a mark or an arrow's end looks (pure), the same on the canvas and in the SVG export: drawn
 * shapes as SVG path data, never a symbol from a font (⏱, ✗ or ◆ come out as empty boxes in
 * fonts without them). The canvas draws the path data with Path2D, the SVG with <path>.
 */
import type { ArrowKind, Glyph } from './layout.js';

export interface Shape {
  /** SVG path data, in the drawing's pixels. */
  readonly d: string;
  /** Filled, or stroked 2 px wide. */
  readonly fill: boolean;
}

const n = (v: number): string => String(Math.round(v * 10) / 10);

/** A cross: a crashed node, a failed send, a dropped message. */
const cross = (x: number, y: number, r: number): Shape => ({ d: `M${n(x - r)} ${n(y - r)}L${n(x + r)} ${n(y + r)}M${n(x + r)} ${n(y - r)}L${n(x - r)} ${n(y + r)}`, fill: false });

/** A clock face with two hands: a timeout, a late reply, a clock change. */
const clockFace = (x: number, y: number): Shape => ({
  d: `M${n(x + 5)} ${n(y)}A5 5 0 1 1 ${n(x - 5)} ${n(y)}A5 5 0 1 1 ${n(x + 5)} ${n(y)}M${n(x)} ${n(y)}L${n(x)} ${n(y - 4)}M${n(x)} ${n(y)}L${n(x + 3)} ${n(y + 1)}`,
  fill: false,
});

/** The glyphs drawn as shapes; the others (sends, receives, local and state events) are dots. */
export const SHAPED: ReadonlySet<Glyph> = new Set(['crash', 'failed', 'pause', 'resume', 'revive', 'timeout', 'late', 'clock']);

/** ✗ crash or failed send; ‖ pause; ▶ resume; ↺ revive (an open ring); a clock face for a timeout, a late reply, a clock change. */
export function markShape(glyph: Glyph, x: number, y: number): Shape | undefined {
  switch (glyph) {
    case 'crash':
    case 'failed':
      return cross(x, y, 5);
    case 'pause':
      return { d: `M${n(x - 5)} ${n(y - 5)}h3v10h-3ZM${n(x + 2)} ${n(y - 5)}h3v10h-3Z`, fill: true };
    case 'resume':
      return { d: `M${n(x - 4)} ${n(y - 5)}L${n(x + 5)} ${n(y)}L${n(x - 4)} ${n(y + 5)}Z`, fill: true };
    case 'revive': {
      const [a, b] = [0.3, Math.PI * 1.8];
      return { d: `M${n(x + 5 * Math.cos(a))} ${n(y + 5 * Math.sin(a))}A5 5 0 1 1 ${n(x + 5 * Math.cos(b))} ${n(y + 5 * Math.sin(b))}`, fill: false };
    }
    case 'timeout':
    case 'late':
    case 'clock':
      return clockFace(x, y);
    default:
      return undefined;
  }
}

/** The colour of a mark when no selection colours it. */
export function markColor(glyph: Glyph): string {
  if (glyph === 'crash' || glyph === 'failed') return '#c53030';
  if (glyph === 'timeout' || glyph === 'late') return '#b7791f';
  if (glyph === 'state') return '#2f855a';
  return '#2d3748';
}

/** Where a message that never arrived ends on the wire: ✗ dropped, ◆ held. */
export function arrowEndShape(kind: ArrowKind, x: number, y: number): Shape | undefined {
  if (kind === 'dropped') return cross(x, y, 5);
  if (kind === 'held') return { d: `M${n(x)} ${n(y - 5)}L${n(x + 5)} ${n(y)}L${n(x)} ${n(y + 5)}L${n(x - 5)} ${n(y)}Z`, fill: true };
  return undefined;
}
