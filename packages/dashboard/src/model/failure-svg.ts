/** Partial failure in the SVG export (pure), drawn from the same geometry as the canvas (failure-layout.ts). */
import type { FailureLayout, SuspicionGlyph } from './failure-layout.js';
import { GEOMETRY } from './failure-layout.js';
import { FAILURE_COLORS as C, opColor } from './palette.js';

const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const n = (v: number): string => String(Math.round(v * 10) / 10);

/** The triangle of a suspicion, pointing at its peer, as SVG path data (the canvas draws the same path). */
export function suspicionPath(g: Pick<SuspicionGlyph, 'x' | 'y' | 'dir'>): string {
  const base = g.x + g.dir * GEOMETRY.triangle;
  return `M${n(base)} ${n(g.y - 4)}L${n(g.x + g.dir * GEOMETRY.tip)} ${n(g.y)}L${n(base)} ${n(g.y + 4)}Z`;
}

/** The elements to add to the diagram's SVG, under its title. */
export function failureSvg(f: FailureLayout): string[] {
  const out: string[] = [];
  for (const t of f.terms) {
    out.push(`<rect data-term="${t.node}:${t.term}" x="${t.x1}" y="${n(t.y1)}" width="${t.x2 - t.x1}" height="${n(Math.max(1, t.y2 - t.y1))}" fill="${C.term}" opacity="0.6"><title>${t.node} leads ${esc(t.label)}</title></rect>`);
    for (const c of t.clashes) out.push(`<rect x="${t.x1}" y="${n(c.y1)}" width="${t.x2 - t.x1}" height="${n(Math.max(1, c.y2 - c.y1))}" fill="${C.clash}"/>`);
    out.push(`<text x="${t.x1 - 2}" y="${n(t.y1 + 10)}" text-anchor="end" font-size="10" fill="#975a16">${esc(t.label)}</text>`);
  }
  if (f.overlap) {
    const o = f.overlap;
    out.push(`<line x1="${o.x1}" y1="${n(o.y)}" x2="${o.x2}" y2="${n(o.y)}" stroke="${C.clash}" stroke-width="2" stroke-dasharray="6 3"/>`);
    out.push(`<text x="${o.x1}" y="${n(o.y - 4)}" font-size="11" font-weight="bold" fill="${C.clash}">${esc(o.text)}</text>`);
  }
  for (const s of f.suspicions) {
    const color = s.right ? C.right : C.wrong;
    out.push(`<line x1="${n(s.spanX)}" y1="${n(s.y)}" x2="${n(s.spanX)}" y2="${n(s.y2)}" stroke="${color}" stroke-width="1.5"${s.right ? '' : ' stroke-dasharray="3 2"'}/>`);
    const fill = s.right ? `fill="${color}"` : `fill="#fff" stroke="${color}" stroke-width="1.5"`;
    out.push(`<path data-suspicion="${s.seq}" data-right="${s.right}" d="${suspicionPath(s)}" ${fill}><title>${esc(`${s.observer} ${s.label}`)}</title></path>`);
    out.push(`<text x="${n(s.labelX)}" y="${n(s.labelY)}" text-anchor="${s.dir > 0 ? 'start' : 'end'}" font-size="10" fill="${color}">${esc(s.label)}</text>`);
  }
  for (const o of f.ops) {
    const outline = o.role === 'stuck' ? ` stroke="${C.stuck}" stroke-width="3"` : o.role ? ` stroke="${C.counterexample}" stroke-width="1.5"` : '';
    out.push(`<rect data-op="${esc(o.history)}:${o.id}"${o.role ? ` data-role="${o.role}"` : ''} x="${o.x1}" y="${n(o.y1)}" width="${o.x2 - o.x1}" height="${n(o.y2 - o.y1)}" fill="${opColor(o)}"${o.open ? ' opacity="0.5"' : ''}${outline}><title>${esc(o.label)}</title></rect>`);
    const anchor = o.labelAt?.anchor === 'end' ? ' text-anchor="end"' : '';
    if (o.labelAt) out.push(`<text x="${n(o.labelAt.x)}" y="${n(o.labelAt.y)}"${anchor} font-size="10" fill="${o.role === 'stuck' ? C.stuck : '#2d3748'}"${o.role === 'stuck' ? ' font-weight="bold"' : ''}>${esc(o.label)}</text>`);
    if (o.labelAt && o.caption) out.push(`<text x="${n(o.labelAt.x)}" y="${n(o.labelAt.y + GEOMETRY.line)}"${anchor} font-size="10" fill="${C.stuck}">${esc(o.caption)}</text>`);
  }
  return out;
}
