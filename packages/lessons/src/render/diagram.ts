/**
 * A space-time diagram in the terminal: one column a node, time going down (true time, as far as
 * causality allows: `diagramOrder`), one row an event, led by its seq (what `faultline order`
 * takes). A message is drawn on the row where it was received, as an arrow from the sender's
 * column to the receiver's; the proxy's action on a message as a line from the sender towards the
 * receiver that ends, half a column before the receiver, in ✗ (dropped) or ◆ (anything else), so
 * an action on the n1 → n3 link never sits in n2's column.
 *
 *                   n1          n2          n3
 *   #12 …01.200     ●                        n1 sent ping n1-4
 *   #13 …01.201     ●──────────▶             n2 got ping n1-4
 *   #14 …01.300     ●─────────────────✗      proxy dropped ping n1-5 n1→n3
 */
import { behaviourWords, clockTime } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';
import { diagramOrder } from './diagram-order.js';
import { visibleWidth, wrapLine } from './fit.js';

/** A node's column at its widest, and at its narrowest (room for `n10` and a space). */
const WIDEST_COLUMN = 12;
const NARROWEST_COLUMN = 4;

/** The widest even column that leaves a label its room in `maxWidth` (12 without a width). */
function columnWidth(nodes: number, lead: number, maxWidth?: number): number {
  if (maxWidth === undefined || nodes < 2) return WIDEST_COLUMN;
  const fits = Math.floor((maxWidth - lead - MIN_LABEL_ROOM - 4) / (nodes - 1));
  return Math.max(NARROWEST_COLUMN, Math.min(WIDEST_COLUMN, fits - (fits % 2)));
}

function columnOf(nodes: string[], id: string | undefined): number {
  return id === undefined ? -1 : nodes.indexOf(id);
}

function arrow(cells: string[], from: number, to: number, head: string, COLUMN: number): void {
  const lo = Math.min(from, to) * COLUMN;
  const hi = Math.max(from, to) * COLUMN;
  for (let i = lo + 1; i < hi; i++) cells[i] = '─';
  cells[from * COLUMN] = '●';
  cells[to * COLUMN] = head;
}

/** The room the columns leave a label at the least, when the rows must fit a width. */
const MIN_LABEL_ROOM = 24;
/** A label is never wrapped narrower than this. */
const MIN_WRAP = 12;

/**
 * The rows of the diagram for these trace lines (in true time as causality allows), with a header
 * row. With `maxWidth`, the columns narrow (to 4 at the least) when many nodes would leave a label
 * too little room, and a label too long for its row goes on under itself, on rows of its own.
 */
export function drawDiagram(lines: readonly TraceLine[], nodes: string[], maxWidth?: number): string[] {
  const seqWidth = Math.max(0, ...lines.map((l) => String(l.seq).length)) + 2;
  const lead = seqWidth + 13;
  // Many nodes get narrower columns, so that a row still fits the width with its label.
  const COLUMN = columnWidth(nodes.length, lead, maxWidth);
  // The last column needs one cell, not a whole column.
  const width = (nodes.length - 1) * COLUMN + 1;
  const header = ' '.repeat(lead) + nodes.map((n) => n.padEnd(COLUMN)).join('');
  const rows = [header.trimEnd()];
  for (const line of diagramOrder(lines)) {
    const cells = Array.from({ length: width }, () => ' ');
    const at = columnOf(nodes, line.node);
    let label: string | undefined;
    if (line.kind === 'receive') {
      const from = columnOf(nodes, line.from);
      if (from < 0 || at < 0) continue;
      arrow(cells, from, at, from < at ? '▶' : '◀', COLUMN);
      label = `${line.node} got ${line.msgType} ${line.msg}`;
    } else if (line.kind === 'proxy') {
      const [a, b] = line.link.split('-');
      const from = columnOf(nodes, a);
      const to = columnOf(nodes, b);
      if (from < 0 || to < 0) continue;
      if (from === to) continue;
      // Half a column before the receiver: between two node columns, on this link's line only.
      const mark = to * COLUMN + (from < to ? -1 : 1) * (COLUMN / 2);
      for (let i = Math.min(from * COLUMN, mark) + 1; i < Math.max(from * COLUMN, mark); i++) cells[i] = '─';
      cells[from * COLUMN] = '●';
      cells[mark] = line.action === 'dropped' ? '✗' : '◆';
      label = `proxy ${line.action} ${line.msgType ?? ''} ${line.msg ?? ''} ${a}→${b}`.replace(/ +/g, ' ').trim();
    } else if (line.kind === 'fault' && at < 0) {
      // A fault on links: a dotted row across every column, the fault in words.
      for (let i = 0; i < width; i++) cells[i] = i % COLUMN === 0 ? '┊' : '┄';
      label = `⚡ ${rowLabel(line)}`;
    } else if (at >= 0) {
      const mark: Partial<Record<TraceLine['kind'], string>> = { send: '●', failed_send: '✗', crash: '✗', pause: '‖', resume: '▶', revive: '↺', rpc_timeout: '⏱', clock_change: '◷' };
      cells[at * COLUMN] = mark[line.kind] ?? '•';
      label = rowLabel(line);
    } else {
      continue;
    }
    const head = `${`#${line.seq}`.padEnd(seqWidth)}${clockTime(line.trueMs).padEnd(13)}${cells.join('').trimEnd().padEnd(width)}  `;
    // At the narrowest columns a label may have less than MIN_LABEL_ROOM; never less than a word or two.
    const room = maxWidth === undefined ? Infinity : Math.max(MIN_WRAP, maxWidth - head.length);
    const [first, ...rest] = visibleWidth(label) <= room ? [label] : wrapLine(label, room);
    rows.push(`${head}${first}`);
    for (const more of rest) rows.push(`${' '.repeat(head.length)}${more}`);
  }
  return rows;
}

/** What a row that is not an arrow says. */
function rowLabel(line: TraceLine): string {
  const who = line.node ?? 'lab';
  switch (line.kind) {
    case 'send':
      return `${who} sent ${line.msgType} ${line.msg}`;
    case 'failed_send':
      return `${who} could not send ${line.msgType} ${line.msg}`;
    case 'rpc_timeout':
      return `${who} timed out on ${line.msg}`;
    case 'late_reply':
      return `${who} got a late reply to ${line.replyTo}`;
    case 'retry':
      return `${who} retries: ${line.msg}`;
    case 'state':
      return `${who} ${behaviourWords(line) ?? `${line.key} ${JSON.stringify(line.value)}`}${line.msg ? ` (${line.msg})` : ''}`;
    case 'crash':
      return `${who} killed`;
    case 'pause':
      return `${who} paused`;
    case 'resume':
      return `${who} resumed`;
    case 'revive':
      return `${who} revived`;
    case 'fault':
      return `${line.action === 'set' ? '' : 'cleared: '}${line.fault}`;
    default:
      return line.kind.replace('_', ' ');
  }
}
