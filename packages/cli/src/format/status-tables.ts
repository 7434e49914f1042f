/**
 * `faultline status` as text that fits the terminal (80 columns by default), however many nodes:
 * one row a node (the vector clock wraps inside its column), the links with a fault listed one a
 * row and the others counted, then the seed and the trace file.
 */
import Table from 'cli-table3';
import type { LabStatus } from '@faultline/protocol';
import { vectorText } from '@faultline/checkers';
import { formatDuration } from '../units.js';

/** Each cell's padding and border: cli-table3 puts one space each side and one border a column. */
const CELL_EXTRA = 3;

export function statusTables(status: LabStatus, width = 80): string {
  const rows = status.nodes.map((n) => {
    const s = n.status;
    return [n.id, String(n.pid ?? '-'), n.state, s ? `${s.offsetMs >= 0 ? '+' : ''}${formatDuration(s.offsetMs)}` : '?', s ? `${s.driftPpm}ppm` : '?', String(s?.lamport ?? '?'), s ? vectorText(s.vc) : '?'];
  });
  const head = ['node', 'pid', 'state', 'offset', 'drift', 'Lamport', 'vector clock'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
  // The vector clock takes what the other columns leave (never under 16), and wraps at its spaces.
  const rest = widths.slice(0, -1).reduce((a, b) => a + b, 0) + head.length + 1;
  widths[widths.length - 1] = Math.max(16, Math.min(widths.at(-1)!, width - rest));
  const nodes = new Table({ head, colWidths: widths, wordWrap: true, style: { head: [], border: [], compact: true } });
  nodes.push(...rows);
  const faulty = status.links.filter((l) => l.faults.length > 0);
  const lines = [nodes.toString()];
  if (faulty.length === 0) {
    lines.push(`links: ${status.links.length}, none with a fault`);
  } else {
    const links = new Table({ head: ['link', 'faults'], colWidths: [11, Math.max(20, width - 11 - CELL_EXTRA)], wordWrap: true, style: { head: [], border: [], compact: true } });
    for (const l of faulty) links.push([`${l.from} → ${l.to}`, l.faults.join(', ')]);
    lines.push(links.toString());
    if (faulty.length < status.links.length) lines.push(`the other ${status.links.length - faulty.length} links: no fault`);
  }
  lines.push(`seed ${status.seed}`, `trace: ${status.runDir}/trace.ndjson`);
  return lines.join('\n');
}
