/** The diagram as an SVG document (pure), drawn from the same layout as the canvas. */
import type { Layout } from './layout.js';
import { arrowEndShape, markColor, markShape, type Shape } from './marks.js';
import { ARROW_COLORS as COLORS } from './palette.js';

const path = (shape: Shape, color: string, attrs = ''): string =>
  `<path${attrs} d="${shape.d}" ${shape.fill ? `fill="${color}"` : `fill="none" stroke="${color}" stroke-width="2"`}/>`;

const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** `extra`: more elements drawn on top (partial failure's, model/failure-svg.ts). */
export function layoutToSvg(layout: Layout, width: number, height: number, title: string, clock: (ms: number) => string, extra: readonly string[] = []): string {
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, monospace" font-size="11">`);
  out.push(`<title>${esc(title)}</title>`, `<rect width="${width}" height="${height}" fill="#fff"/>`);
  for (const b of layout.bands) out.push(`<rect x="${b.x1}" y="${b.y1.toFixed(1)}" width="${b.x2 - b.x1}" height="${Math.max(1, b.y2 - b.y1).toFixed(1)}" fill="#fed7d7" opacity="0.5"><title>${esc(b.fault)}</title></rect>`);
  for (const c of layout.columns) {
    out.push(`<text x="${c.x}" y="16" text-anchor="middle" font-weight="bold" font-size="13">${c.node}</text>`);
    out.push(`<line x1="${c.x}" y1="${layout.top}" x2="${c.x}" y2="${height}" stroke="#718096"/>`);
  }
  const max = layout.density.reduce((m, d) => Math.max(m, d.count), 1);
  for (const d of layout.density) out.push(`<rect x="${d.x - 4}" y="${d.y.toFixed(1)}" width="8" height="${d.h}" fill="#2b6cb0" opacity="${(0.15 + 0.85 * (d.count / max)).toFixed(2)}"/>`);
  for (const s of layout.segments) out.push(`<line x1="${s.x}" y1="${s.y1.toFixed(1)}" x2="${s.x}" y2="${s.y2.toFixed(1)}" stroke="${s.state === 'killed' ? '#c53030' : '#d69e2e'}" stroke-width="4" stroke-dasharray="4 3"/>`);
  for (const t of layout.ticks) out.push(`<text x="${t.x + 6}" y="${t.y.toFixed(1)}" fill="#a0aec0" font-size="9">${esc(clock(t.wallMs))}</text>`);
  for (const a of layout.arrows) {
    const dash = a.kind === 'held' ? ' stroke-dasharray="5 4"' : '';
    out.push(`<line data-msg="${esc(a.msg)}" x1="${a.x1}" y1="${a.y1.toFixed(1)}" x2="${a.x2}" y2="${a.y2.toFixed(1)}" stroke="${COLORS[a.kind]}"${dash} opacity="${a.heartbeat ? 0.3 : 0.9}"/>`);
    const end = arrowEndShape(a.kind, a.x2, a.y2);
    if (end) out.push(path(end, COLORS[a.kind]));
  }
  for (const l of layout.labels) out.push(`<text data-label="${esc(l.msg)}" x="${l.x.toFixed(1)}" y="${l.y.toFixed(1)}" font-size="10" fill="#2d3748" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(l.text)}</text>`);
  // Shapes, not symbols: the same on the canvas, and in any font.
  for (const m of layout.marks) {
    const shape = markShape(m.glyph, m.x, m.y);
    if (shape) out.push(path(shape, markColor(m.glyph), ` data-seq="${m.seq}"`));
    else out.push(`<circle data-seq="${m.seq}" cx="${m.x}" cy="${m.y.toFixed(1)}" r="3" fill="${markColor(m.glyph)}"/>`);
  }
  out.push(...extra, '</svg>');
  return `${out.join('\n')}\n`;
}
